/**
 * Parse book.yaml (or front matter) and validate it against the schema, mapping every problem back to
 * the line and column of the YAML node it concerns. The `yaml` package keeps node ranges, which zod
 * issue paths can be looked up in.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type * as z from 'zod';
import { ColophonError, type Diagnostic, error, type SourceLocation } from '../diagnostics.ts';
import { LABEL_KEYS } from './labels.ts';
import { type BookConfig, bookConfigSchema } from './schema.ts';

export interface ConfigSource {
  /** File the YAML came from (for messages). */
  file: string;
  text: string;
  /** Lines before the YAML text in `file` (front matter starts after the opening `---`). */
  lineOffset?: number;
  /** Keys set from outside the book (a catalogue's per-title overrides), applied over the book's own. */
  overrides?: ConfigOverrides;
}

/**
 * book.yaml keys given elsewhere, as a catalogue gives them for one title: mappings merge key by key
 * (`print: {trim: 5x8in}` keeps the book's other `print` keys), anything else replaces the book's
 * value. Plain data, unlike ConfigData's maps: it travels to worker threads and in queue jobs as JSON.
 */
export interface ConfigOverrides {
  values: Record<string, unknown>;
  /** Where each override key was written, by dotted path (`print.trim`), for messages. */
  positions: Record<string, SourceLocation>;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** `values` over `base`, mappings merged key by key (two catalogue levels: defaults, then the title's own). */
export function mergeOverrides(base: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(values)) {
    const current = out[key];
    out[key] = isPlainMap(current) && isPlainMap(value) ? mergeOverrides(current, value) : value;
  }
  return out;
}

/**
 * The book's metadata with the overrides over it. Each overridden key and value is located where the
 * override was written, so a wrong value is reported at its line in the catalogue; the book's own
 * file stays the one named for anything else.
 */
export function withOverrides(input: ConfigData, overrides: ConfigOverrides | undefined): ConfigData {
  if (!overrides) return input;
  const at = new Map(Object.entries(overrides.positions));
  const merged = mergeConfigData(input, { file: input.file, data: overrides.values, keys: at, values: at });
  return { ...merged, file: input.file };
}

/**
 * Where the author wrote each key and list item, so that later stages can point at the line of
 * `cover:` or of the third entry under `chapters:` without reading the YAML again, and can tell a key
 * the author gave from a default the schema filled in.
 */
export class ConfigPositions {
  constructor(
    readonly file: string,
    /** Dotted path (`cover`, `print.trim`, `chapters.2`) → where its key (or list item) starts. */
    private readonly locations: ReadonlyMap<string, SourceLocation> = new Map(),
  ) {}

  /** Whether the author wrote this key (a default the schema filled in is not given). */
  given(path: string): boolean {
    return this.locations.has(path);
  }

  /** The key's location, else its nearest written parent's, else just the file. */
  at(path: string): SourceLocation {
    for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const found = this.locations.get(p);
      if (found) return found;
    }
    return { file: this.file };
  }
}

export interface LoadedConfig {
  config: BookConfig;
  positions: ConfigPositions;
}

/**
 * Book metadata as plain data, with where each part was written. Read from YAML here, or assembled
 * by the importers (book.toml, Pandoc metadata) from several files: each location names its own file.
 */
export interface ConfigData {
  /** File named when no better location is known. */
  file: string;
  data: unknown;
  /** Dotted path (`print.trim`, `chapters.2`) → where its key (or list item) starts. */
  keys: Map<string, SourceLocation>;
  /** Dotted path → where its value starts (`''` is the whole mapping). */
  values: Map<string, SourceLocation>;
}

export function parseConfig(source: ConfigSource): LoadedConfig {
  return validateConfig(withOverrides(readYamlConfig(source), source.overrides));
}

/** Parses YAML metadata into data and locations, without checking it against the schema. */
export function readYamlConfig(source: ConfigSource): ConfigData {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const offset = source.lineOffset ?? 0;
  const locate = (pos: number) => {
    const { line, col } = lineCounter.linePos(pos);
    return { file: source.file, line: line + offset, column: col };
  };

  if (doc.errors.length > 0) {
    throw new ColophonError(
      doc.errors.map((e) =>
        error(
          'config/yaml-syntax',
          `YAML syntax error: ${e.message.split('\n')[0]}`,
          locate(e.pos[0]),
          'Fix the YAML syntax (indentation, a missing colon or an unclosed quote are the usual causes).',
        ),
      ),
    );
  }
  const keys = new Map<string, SourceLocation>();
  const values = new Map<string, SourceLocation>([['', locate((doc.contents as Node | null)?.range?.[0] ?? 0)]]);
  positionsOf(doc.contents, locate, keys, values);
  return { file: source.file, data: doc.toJS() ?? {}, keys, values };
}

/** Checks metadata against the schema; every problem is reported at the key or value it concerns. */
export function validateConfig(input: ConfigData): LoadedConfig {
  const { data } = input;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ColophonError(
      error(
        'config/not-a-map',
        'book metadata must be a YAML mapping of keys to values',
        input.values.get('') ?? { file: input.file },
        'Start with a line such as `title: My Book`.',
      ),
    );
  }
  const result = bookConfigSchema.safeParse(data);
  if (result.success) return { config: result.data, positions: new ConfigPositions(input.file, input.keys) };
  throw new ColophonError(result.error.issues.flatMap((issue) => issueToDiagnostics(issue, input)));
}

type Locate = (pos: number) => { file: string; line: number; column: number };

/** Every key and list item of the document by dotted path: where its key (or item) and its value start. */
function positionsOf(root: unknown, locate: Locate, keys: Map<string, SourceLocation>, values: Map<string, SourceLocation>): void {
  const walk = (node: unknown, prefix: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const path = prefix + String(pair.key.value);
        if (pair.key.range) keys.set(path, locate(pair.key.range[0]));
        const range = (pair.value as Node | null)?.range;
        if (range) values.set(path, locate(range[0]));
        walk(pair.value, `${path}.`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const path = prefix + String(index);
        const range = (item as Node | null)?.range;
        if (range) {
          keys.set(path, locate(range[0]));
          values.set(path, locate(range[0]));
        }
        walk(item, `${path}.`);
      });
    }
  };
  walk(root, '');
}

function issueToDiagnostics(issue: z.core.$ZodIssue, input: ConfigData): Diagnostic[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const dotted = path.join('.') || '(top level)';
  const fallback = { file: input.file };
  if (issue.code === 'unrecognized_keys') {
    const parent = path.join('.');
    return issue.keys.map((key) => {
      const at = input.keys.get(parent ? `${parent}.${key}` : key) ?? input.values.get(parent) ?? fallback;
      const where = path.length ? ` in ${dotted}` : '';
      return error('config/unknown-key', `unknown key "${key}"${where}`, at, suggestKey(key, path));
    });
  }
  const value = valueAt(input.data, path);
  const missing = value === undefined;
  // A missing key is reported at the mapping that should contain it.
  const at = (missing ? input.values.get(path.slice(0, -1).join('.')) : input.values.get(path.join('.'))) ?? fallback;
  const message = missing && issue.code === 'invalid_type' ? 'is required' : issue.code === 'invalid_type' ? describeType(issue, value) : issue.message;
  return [
    error(
      missing ? 'config/missing-key' : 'config/invalid-value',
      `"${dotted}" ${message}`,
      at,
      missing ? `Add \`${String(path.at(-1))}:\` to the book metadata.` : `Correct the value of \`${dotted}\` (see "Manuscript format" in README.md).`,
    ),
  ];
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let here = data;
  for (const key of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[String(key)];
  }
  return here;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

/** zod says "expected string, received number"; an author is better served by "must be text (got 3)". */
function describeType(issue: z.core.$ZodIssueInvalidType, value: unknown): string {
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  const got = value !== null && typeof value !== 'object' ? ` (got ${JSON.stringify(value)})` : '';
  return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${got}`;
}

/** Every key book.yaml may hold at its top level. */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(bookConfigSchema.shape);

/** "did you mean" for typos, by edit distance against the keys valid at that level. */
function suggestKey(key: string, path: (string | number)[]): string {
  const labels = path.length === 1 && path[0] === 'labels';
  if (path.length > 0 && !labels) return `Remove "${key}" or check its spelling (see "Manuscript format" in README.md).`;
  const keys = labels ? LABEL_KEYS : TOP_LEVEL_KEYS;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of keys) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? `Did you mean "${best}"? Valid keys: ${keys.join(', ')}.` : `Remove it; valid keys are: ${keys.join(', ')}.`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/**
 * Metadata from two files, the second winning key by key (mappings such as `print:` are merged, so a
 * book.yaml can change one print setting of a book.toml). Each location keeps the file it came from.
 */
export function mergeConfigData(base: ConfigData, over: ConfigData): ConfigData {
  const merge = (a: unknown, b: unknown): unknown => {
    if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : b;
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  };
  const values = new Map([...base.values, ...over.values]);
  // The whole document's location stays the base file's: that is where a missing key belongs.
  values.set('', base.values.get('') ?? { file: base.file });
  return { file: over.file, data: merge(base.data, over.data), keys: new Map([...base.keys, ...over.keys]), values };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
