/**
 * Which books a catalogue command works on. Each argument is a manuscript (a folder with book.yaml,
 * or one .md file) or a catalogue: a `catalogue.yaml` file (or a folder holding one and no book.yaml)
 * that lists titles, each with optional per-title settings:
 *
 * ```yaml
 * defaults:               # for every title; a title's own settings win
 *   formats: [html, epub, pdf]
 *   set: { publisher: Hawthorn Press }
 * titles:
 *   - walden.md           # paths are relative to catalogue.yaml
 *   - path: books/emma
 *     slug: emma          # the output folder's name (default: the slug of the book's title)
 *     set:                # book.yaml keys, over the book's own
 *       identifier: "978-0-00-000000-2"
 *       print: { trim: 5x8in }
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { type ConfigOverrides, mergeOverrides } from '../config/load-config.ts';
import { ColophonError, type Diagnostic, error, type SourceLocation } from '../diagnostics.ts';
import { readTitleBlock } from '../manuscript/title-block.ts';
import { FORMAT_NAMES } from '../outputs/format-names.ts';

export interface Title {
  /** Absolute path of the manuscript. */
  input: string;
  /** The manuscript as the command line or the catalogue named it. */
  label: string;
  /** Output folder name; default: the slug of the book's title. */
  slug?: string;
  formats?: string[];
  overrides?: ConfigOverrides;
  /** Where the catalogue lists this title. */
  listedAt?: SourceLocation;
}

export const CATALOGUE_NAMES = ['catalogue.yaml', 'catalogue.yml'];

function catalogueFileOf(arg: string): string | undefined {
  const abs = path.resolve(arg);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return /\.ya?ml$/i.test(abs) ? abs : undefined;
  if (['book.yaml', 'book.yml'].some((n) => fs.existsSync(path.join(abs, n)))) return undefined;
  return CATALOGUE_NAMES.map((n) => path.join(abs, n)).find((f) => fs.existsSync(f));
}

const MARKDOWN = /\.(md|markdown)$/i;
const FRONT_MATTER_TITLE = /^---[ \t]*\r?\n(?:[\s\S]*?\r?\n)?title[ \t]*:/;

/** A Markdown file that carries its own title (front matter with `title:`, or a `# Title:` block): a book by itself. */
function hasOwnTitle(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return false;
  }
  const fm = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (fm) return FRONT_MATTER_TITLE.test(fm[0]);
  return readTitleBlock(text)?.lines.has('title') === true;
}

/**
 * Whether several arguments are several books rather than one book's chapters in the Pandoc manner
 * (`colophon build ch1.md ch2.md`): they are books when any is not a Markdown file (a folder, a
 * catalogue) or when every Markdown file carries its own title.
 */
export function wholeBooks(args: string[]): boolean {
  return args.some((a) => !MARKDOWN.test(a)) || args.every((a) => hasOwnTitle(path.resolve(a)));
}

/** Whether any argument names a catalogue (so the command builds into one folder per title). */
export function namesCatalogue(args: string[]): boolean {
  return args.some((a) => catalogueFileOf(a) !== undefined);
}

/**
 * The titles the arguments name, in order. A manuscript that does not exist is still a title (its
 * build fails with the usual error and the others go on); a malformed catalogue stops everything,
 * since which books it meant cannot be known.
 */
export function resolveTitles(args: string[]): Title[] {
  const titles: Title[] = [];
  const seen = new Map<string, Title>();
  const problems: Diagnostic[] = [];
  for (const arg of args) {
    const file = catalogueFileOf(arg);
    const found = file ? readCatalogue(file, problems) : [{ input: path.resolve(arg), label: arg }];
    for (const title of found) {
      const earlier = seen.get(title.input);
      if (earlier) {
        problems.push(
          error(
            'catalogue/duplicate',
            `${title.label} is listed twice (also as ${earlier.label})`,
            title.listedAt,
            'List each manuscript once; to build it twice with other settings, copy it.',
          ),
        );
        continue;
      }
      seen.set(title.input, title);
      titles.push(title);
    }
  }
  if (problems.length > 0) throw new ColophonError(problems);
  return titles;
}

function readCatalogue(file: string, problems: Diagnostic[]): Title[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (node: Node | null | undefined): SourceLocation => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const fail = (node: Node | null | undefined, message: string, hint: string) => {
    problems.push(error('catalogue/invalid', message, at(node), hint));
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      problems.push(error('catalogue/yaml-syntax', `YAML syntax error: ${e.message.split('\n')[0]}`, { file, line, column: col }, 'Fix the YAML syntax.'));
    }
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) {
    fail(root, 'a catalogue must be a mapping with a `titles:` list', 'Start with `titles:` followed by one `- path/to/book` line per title.');
    return [];
  }
  checkKeys(root, ['defaults', 'titles'], fail);
  const defaults = root.get('defaults', true) as Node | undefined;
  if (isMap(defaults)) checkKeys(defaults, ['formats', 'set'], fail);
  const base = defaults === undefined ? {} : readSettings(defaults, at, fail);
  const list = root.get('titles', true) as Node | undefined;
  if (!isSeq(list) || list.items.length === 0) {
    fail(list ?? root, '`titles:` must be a non-empty list of manuscripts', 'Add `titles:` with one `- path/to/book` line per title.');
    return [];
  }
  const dir = path.dirname(file);
  const titles: Title[] = [];
  for (const item of list.items as Node[]) {
    let rel: unknown;
    let own: Settings = {};
    if (isScalar(item)) rel = item.value;
    else if (isMap(item)) {
      checkKeys(item, ['path', 'slug', 'formats', 'set'], fail);
      rel = item.get('path');
      own = readSettings(item, at, fail);
    }
    if (typeof rel !== 'string' || rel.trim() === '') {
      fail(item, 'each title needs a path', 'Write the manuscript folder or .md file, relative to the catalogue, as `- path` or `- path: …`.');
      continue;
    }
    const overrides = mergeSettings(base.overrides, own.overrides);
    const slug = own.slug ?? undefined;
    const formats = own.formats ?? base.formats;
    titles.push({
      input: path.resolve(dir, rel),
      label: path.relative(process.cwd(), path.resolve(dir, rel)) || rel,
      ...(slug ? { slug } : {}),
      ...(formats ? { formats } : {}),
      ...(overrides ? { overrides } : {}),
      listedAt: at(item),
    });
  }
  return titles;
}

interface Settings {
  slug?: string;
  formats?: string[];
  overrides?: ConfigOverrides;
}

type Fail = (node: Node | null | undefined, message: string, hint: string) => void;

function checkKeys(map: YAMLMap, allowed: string[], fail: Fail): void {
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!allowed.includes(key)) fail(pair.key as Node, `unknown key "${key}" in the catalogue`, `Valid keys here: ${allowed.join(', ')}.`);
  }
}

function readSettings(node: Node, at: (n: Node | null | undefined) => SourceLocation, fail: Fail): Settings {
  if (!isMap(node)) {
    fail(node, 'catalogue settings must be a mapping', 'Write `formats:`, `slug:` or `set:` keys under it.');
    return {};
  }
  const out: Settings = {};
  const slugNode = node.get('slug', true) as Node | undefined;
  if (slugNode !== undefined) {
    const slug = isScalar(slugNode) ? slugNode.value : undefined;
    if (typeof slug !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(slug) || slug.includes('..')) {
      fail(slugNode, '`slug` must be a plain folder name (letters, digits, `-`, `_`, `.`)', 'For example `slug: emma`.');
    } else out.slug = slug;
  }
  const formatsNode = node.get('formats', true) as Node | undefined;
  if (formatsNode !== undefined) {
    const raw = isSeq(formatsNode) ? (formatsNode.toJSON() as unknown[]) : isScalar(formatsNode) ? String(formatsNode.value).split(',') : [];
    const names = raw.map((f) => String(f).trim()).filter(Boolean);
    const unknown = names.filter((n) => !(FORMAT_NAMES as readonly string[]).includes(n));
    if (names.length === 0 || unknown.length > 0) {
      fail(
        formatsNode,
        `\`formats\` must list output formats${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        `Choose from ${FORMAT_NAMES.join(', ')}.`,
      );
    } else out.formats = names;
  }
  const setNode = node.get('set', true) as Node | undefined;
  if (setNode !== undefined) {
    if (!isMap(setNode)) fail(setNode, '`set` must be a mapping of book.yaml keys', 'For example `set: { publisher: Hawthorn Press }`.');
    else {
      const positions: Record<string, SourceLocation> = {};
      const walk = (map: YAMLMap, prefix: string) => {
        for (const pair of map.items) {
          if (!isPair(pair) || !isScalar(pair.key)) continue;
          const key = `${prefix}${String(pair.key.value)}`;
          positions[key] = at(pair.key as Node);
          if (isMap(pair.value)) walk(pair.value, `${key}.`);
        }
      };
      walk(setNode, '');
      out.overrides = { values: setNode.toJSON() as Record<string, unknown>, positions };
    }
  }
  return out;
}

function mergeSettings(base: ConfigOverrides | undefined, own: ConfigOverrides | undefined): ConfigOverrides | undefined {
  if (!base) return own;
  if (!own) return base;
  return { values: mergeOverrides(base.values, own.values), positions: { ...base.positions, ...own.positions } };
}
