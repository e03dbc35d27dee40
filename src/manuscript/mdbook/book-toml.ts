/**
 * mdBook's book.toml: the `[book]` table gives the metadata (title, authors, description, language)
 * and the chapters' folder (`src`); an optional `[output.colophon]` table holds any book.yaml key.
 * Read with toml-eslint-parser, which keeps where every key was written, so a wrong value in
 * book.toml is reported at its line like one in book.yaml. The rest of book.toml is mdBook's own
 * (HTML theme, playground, redirects) and means nothing in a printed book.
 */
import { type AST, getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type { ConfigData } from '../../config/load-config.ts';
import { ColophonError, type Diagnostic, error, note, type SourceLocation, warning } from '../../diagnostics.ts';

export interface BookToml {
  /** book.yaml-shaped metadata, with where each key was written in book.toml. */
  config: ConfigData;
  /** The chapters' folder relative to the book folder (`[book] src`, default `src`). */
  src: string;
  /** `[output.html.code.hidelines]`: language → prefix of the code lines mdBook hides. */
  hideLines: Record<string, string>;
  diagnostics: Diagnostic[];
}

/** mdBook's built-in preprocessors: `links` ({{#include}}) and `index` (README.md → index) are done here. */
const BUILT_IN_PREPROCESSORS = new Set(['links', 'index']);

export function readBookToml(text: string, file: string, folderName: string): BookToml {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (e) {
    const err = e as Error & { lineNumber?: number; column?: number };
    throw new ColophonError(
      error(
        'config/toml-syntax',
        `TOML syntax error: ${err.message}`,
        { file, ...(err.lineNumber ? { line: err.lineNumber, column: (err.column ?? 0) + 1 } : {}) },
        'Fix the TOML syntax of book.toml (a missing quote or a key defined twice are the usual causes).',
      ),
    );
  }
  const all = datesAsText(getStaticTOMLValue(ast) ?? {}) as Record<string, unknown>;
  const { keys: tomlKeys, values: tomlValues } = tomlPositions(ast, file);
  const diagnostics: Diagnostic[] = [];
  const book = isTable(all.book) ? all.book : {};
  const output = isTable(all.output) ? all.output : {};
  const colophon = isTable(output.colophon) ? output.colophon : {};

  const data: Record<string, unknown> = {};
  const keys = new Map<string, SourceLocation>();
  const values = new Map<string, SourceLocation>([['', { file, line: 1, column: 1 }]]);
  const take = (to: string, from: string, value: unknown) => {
    data[to] = value;
    for (const [map, source] of [
      [keys, tomlKeys],
      [values, tomlValues],
    ] as const) {
      for (const [p, loc] of source) {
        if (p === from) map.set(to, loc);
        else if (p.startsWith(`${from}.`)) map.set(to + p.slice(from.length), loc);
      }
    }
  };

  if (typeof book.title === 'string' && book.title.trim() !== '') take('title', 'book.title', book.title);
  if (Array.isArray(book.authors) && book.authors.length > 0) take('author', 'book.authors', book.authors);
  if (book.description !== undefined) take('description', 'book.description', book.description);
  if (book.language !== undefined) take('language', 'book.language', book.language);
  for (const [key, value] of Object.entries(colophon)) take(key, `output.colophon.${key}`, value);
  if (data.title === undefined) {
    data.title = folderName;
    diagnostics.push(
      warning(
        'mdbook/no-title',
        `book.toml gives the book no title; it is called "${folderName}" after its folder`,
        tomlKeys.get('book') ?? { file },
        'Add `title = "…"` under [book] in book.toml.',
      ),
    );
  }

  const preprocessors = isTable(all.preprocessor) ? Object.keys(all.preprocessor) : [];
  for (const name of preprocessors.filter((n) => !BUILT_IN_PREPROCESSORS.has(n))) {
    diagnostics.push(
      note(
        'mdbook/preprocessor',
        `preprocessor "${name}" is not run: what it would change stays as written in the chapters`,
        tomlKeys.get(`preprocessor.${name}`) ?? { file },
        'Colophon expands {{#include}} and {{#rustdoc_include}} itself; other preprocessors run only under mdBook.',
      ),
    );
  }
  const src = typeof book.src === 'string' && book.src.trim() !== '' ? book.src.trim() : 'src';
  const html = isTable(output.html) ? output.html : {};
  const code = isTable(html.code) ? html.code : {};
  const hideLines = Object.fromEntries(
    Object.entries(isTable(code.hidelines) ? code.hidelines : {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  return { config: { file, data, keys, values }, src, hideLines, diagnostics };
}

/** TOML has date values; book.yaml keys hold dates as ISO 8601 text (`2010-10-24`). */
function datesAsText(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (Array.isArray(value)) return value.map(datesAsText);
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesAsText(v)]));
  return value;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dotted path → where its key and its value start, for every key, table and array item of the file. */
function tomlPositions(ast: AST.TOMLProgram, file: string) {
  const keys = new Map<string, SourceLocation>();
  const values = new Map<string, SourceLocation>();
  const loc = (node: AST.TOMLNode): SourceLocation => ({ file, line: node.loc.start.line, column: node.loc.start.column + 1 });
  const keyName = (k: AST.TOMLKey['keys'][number]) => String(k.type === 'TOMLBare' ? k.name : k.value);
  const walkValue = (node: AST.TOMLContentNode, prefix: string) => {
    values.set(prefix, loc(node));
    if (node.type === 'TOMLInlineTable') for (const kv of node.body) walkKeyValue(kv, `${prefix}.`);
    else if (node.type === 'TOMLArray') {
      node.elements.forEach((el, i) => {
        keys.set(`${prefix}.${i}`, loc(el));
        walkValue(el, `${prefix}.${i}`);
      });
    }
  };
  const walkKeyValue = (kv: AST.TOMLKeyValue, prefix: string) => {
    const path = prefix + kv.key.keys.map(keyName).join('.');
    keys.set(path, loc(kv.key));
    walkValue(kv.value, path);
  };
  for (const top of ast.body) {
    for (const item of top.body) {
      if (item.type === 'TOMLTable') {
        const prefix = item.resolvedKey.map(String).join('.');
        if (!keys.has(prefix)) keys.set(prefix, loc(item.key));
        values.set(prefix, loc(item));
        for (const kv of item.body) walkKeyValue(kv, `${prefix}.`);
      } else {
        walkKeyValue(item, '');
      }
    }
  }
  return { keys, values };
}
