/**
 * Parse book.yaml (or front matter) and validate it against the schema, mapping every problem back to
 * the line and column of the YAML node it concerns. The `yaml` package keeps node ranges, which zod
 * issue paths can be looked up in.
 */
import { type Document, isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import { type BookConfig, bookConfigSchema } from './schema.ts';

export interface ConfigSource {
  /** File the YAML came from (for messages). */
  file: string;
  text: string;
  /** Lines before the YAML text in `file` (front matter starts after the opening `---`). */
  lineOffset?: number;
}

export function parseConfig(source: ConfigSource): BookConfig {
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
  if (result.success) return result.data;
  throw new ColophonError(result.error.issues.flatMap((issue) => issueToDiagnostics(issue, doc, locate)));
}

type Locate = (pos: number) => { file: string; line: number; column: number };

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
  if (path.length > 0) return `Remove "${key}" or check its spelling (see "Manuscript format" in README.md).`;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of TOP_LEVEL_KEYS) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? `Did you mean "${best}"? Valid keys: ${TOP_LEVEL_KEYS.join(', ')}.` : `Remove it; valid keys are: ${TOP_LEVEL_KEYS.join(', ')}.`;
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
