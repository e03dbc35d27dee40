/**
 * Parse book.yaml (or front matter) and validate it against the schema, mapping every problem back to
 * the line and column of the YAML node it concerns. The `yaml` package keeps node ranges, which zod
 * issue paths can be looked up in.
 */
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ColophonError, type Diagnostic, error, type SourceLocation } from '../diagnostics.ts';
import { LABEL_KEYS } from './labels.ts';
import { type BookConfig, bookConfigSchema } from './schema.ts';

export interface ConfigSource {
  /** File the YAML came from (for messages). */
  file: string;
  text: string;
  /** Lines before the YAML text in `file` (front matter starts after the opening `---`). */
  lineOffset?: number;
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

export function parseConfig(source: ConfigSource): LoadedConfig {
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
  const data = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ColophonError(
      error('config/not-a-map', 'book metadata must be a YAML mapping of keys to values', locate(0), 'Start with a line such as `title: My Book`.'),
    );
  }
  const result = bookConfigSchema.safeParse(data);
  if (result.success) return { config: result.data, positions: new ConfigPositions(source.file, positionsOf(doc.contents, locate)) };
  throw new ColophonError(result.error.issues.flatMap((issue) => issueToDiagnostics(issue, doc, locate)));
}

type Locate = (pos: number) => { file: string; line: number; column: number };

/** Every key and list item of the document by dotted path, at the start of its key or item. */
function positionsOf(root: unknown, locate: Locate): Map<string, SourceLocation> {
  const out = new Map<string, SourceLocation>();
  const walk = (node: unknown, prefix: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const path = prefix + String(pair.key.value);
        if (pair.key.range) out.set(path, locate(pair.key.range[0]));
        walk(pair.value, `${path}.`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const path = prefix + String(index);
        const range = (item as Node | null)?.range;
        if (range) out.set(path, locate(range[0]));
        walk(item, `${path}.`);
      });
    }
  };
  walk(root, '');
  return out;
}

function issueToDiagnostics(issue: z.core.$ZodIssue, doc: Document, locate: Locate): Diagnostic[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const dotted = path.join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length ? doc.getIn(path, true) : doc.contents;
    return issue.keys.map((key) => {
      const keyNode = findKeyNode(parent as Node | null, key);
      const at = keyNode?.range ? locate(keyNode.range[0]) : nodeLocation(parent as Node | null, locate);
      const where = path.length ? ` in ${dotted}` : '';
      return error('config/unknown-key', `unknown key "${key}"${where}`, at, suggestKey(key, path));
    });
  }
  const node = doc.getIn(path, true) as Node | undefined;
  const missing = node === undefined;
  // A missing key is reported at the mapping that should contain it.
  const at = missing ? nodeLocation(doc.getIn(path.slice(0, -1), true) as Node | null, locate) : nodeLocation(node, locate);
  const message = missing && issue.code === 'invalid_type' ? 'is required' : issue.code === 'invalid_type' ? describeType(issue, node) : issue.message;
  return [
    error(
      missing ? 'config/missing-key' : 'config/invalid-value',
      `"${dotted}" ${message}`,
      at,
      missing ? `Add \`${String(path.at(-1))}:\` to the book metadata.` : `Correct the value of \`${dotted}\` (see "Manuscript format" in README.md).`,
    ),
  ];
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

/** zod says "expected string, received number"; an author is better served by "must be text (got 3)". */
function describeType(issue: z.core.$ZodIssueInvalidType, node: Node | undefined): string {
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  const got = node && isScalar(node) ? ` (got ${JSON.stringify(node.value)})` : '';
  return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${got}`;
}

function nodeLocation(node: Node | null | undefined, locate: Locate) {
  return locate(node?.range?.[0] ?? 0);
}

function findKeyNode(parent: Node | null, key: string): Node | undefined {
  if (!parent || !isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key;
  }
  return undefined;
}

const TOP_LEVEL_KEYS = Object.keys(bookConfigSchema.shape);

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
