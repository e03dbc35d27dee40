/**
 * mdBook's "links" preprocessor, which runs on a chapter's text before it is parsed:
 * `{{#include file}}`, `{{#include file:10:20}}`, `{{#include file:anchor}}`, `{{#rustdoc_include …}}`
 * (the lines outside the range or anchor are kept, marked hidden with `# `), `{{#playground file}}`
 * (the file as a Rust code block) and `{{#title …}}` (a web page title: nothing in a book). `\{{#…}}`
 * is the escape for the literal text. Written here because mdBook's rules are Rust code, not a
 * library; they follow mdBook's `preprocess/links.rs` line for line where they can. Included files
 * are expanded in turn, relative to their own folder, and must lie inside the book folder.
 */
import path from 'node:path';
import { ColophonError, error, type SourceLocation } from '../../diagnostics.ts';
import { describeRefusal, resolveInside } from '../paths.ts';
import { readManuscriptText } from '../read-text.ts';

export interface Expanded {
  text: string;
  /** For each line of `text` (index 0 = line 1), the line of the original file it came from. */
  lineMap: number[];
  /** Absolute paths of every file included (for edition archives and the preview's watch list). */
  files: string[];
}

/** mdBook's own limit: an include that includes itself stops here instead of looping. */
const MAX_DEPTH = 10;
const LINK = /\\\{\{#[^}]*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}/g;
const ANCHOR_START = /ANCHOR:\s*([\w_-]+)/;
const ANCHOR_END = /ANCHOR_END:\s*([\w_-]+)/;

export function expandIncludes(text: string, file: string, root: string): Expanded {
  if (!text.includes('{{')) return { text, lineMap: text.split('\n').map((_, i) => i + 1), files: [] };
  const files: string[] = [];
  const out: string[] = [];
  const lineMap: number[] = [];
  text.split('\n').forEach((line, index) => {
    const expanded = line.includes('{{') ? replaceLinks(line, { file, line: index + 1 }, path.dirname(file), root, 0, files) : line;
    for (const piece of expanded.split('\n')) {
      out.push(piece);
      lineMap.push(index + 1);
    }
  });
  return { text: out.join('\n'), lineMap, files };
}

function replaceLinks(text: string, at: SourceLocation, dir: string, root: string, depth: number, files: string[]): string {
  return text.replace(LINK, (whole: string, kind: string | undefined, target: string | undefined) => {
    if (whole.startsWith('\\')) return whole.slice(1);
    const args = (target as string).trim();
    switch (kind) {
      case 'title':
        return '';
      case 'include':
      case 'rustdoc_include':
      case 'playground': {
        const [spec = '', ...props] = args.split(/\s+/);
        const { file: ref, selector } = splitSelector(spec);
        const included = readIncluded(ref, dir, root, at, whole);
        files.push(included.path);
        let content: string;
        if (kind === 'playground') {
          content = `\`\`\`${['rust', ...props].join(',')}\n${included.text}\n\`\`\`\n`;
        } else if (kind === 'include') {
          content = selector.kind === 'anchor' ? anchoredLines(included.text, selector.name, at, whole) : takeLines(included.text, selector);
        } else {
          content = selector.kind === 'anchor' ? rustdocAnchoredLines(included.text, selector.name, at, whole) : rustdocLines(included.text, selector);
        }
        if (depth + 1 >= MAX_DEPTH) return content;
        return replaceLinks(content, at, path.dirname(included.path), root, depth + 1, files);
      }
      default:
        // Not a link mdBook knows ({{#foo}}): mdBook leaves it as written, and so do we.
        return whole;
    }
  });
}

type Selector = { kind: 'all' } | { kind: 'lines'; start: number; end: number | undefined } | { kind: 'anchor'; name: string };

/** `file`, `file:anchor`, `file:N`, `file:N:`, `file::M`, `file:N:M` (lines count from 1, inclusive). */
export function splitSelector(spec: string): { file: string; selector: Selector } {
  const [file = '', first, second] = spec.split(':');
  if (first === undefined) return { file, selector: { kind: 'all' } };
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  if (second === undefined) {
    const n = num(first);
    if (n !== undefined) return { file, selector: { kind: 'lines', start: n, end: n } };
    if (first === '') return { file, selector: { kind: 'all' } };
    return { file, selector: { kind: 'anchor', name: first } };
  }
  return { file, selector: { kind: 'lines', start: num(first) ?? 1, end: num(second) } };
}

function inRange(index: number, selector: Selector): boolean {
  if (selector.kind !== 'lines') return true;
  const line = index + 1;
  return line >= Math.max(1, selector.start) && (selector.end === undefined || line <= selector.end);
}

function lines(text: string): string[] {
  // Rust's str::lines(): a final newline does not start another line.
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

export function takeLines(text: string, selector: Selector): string {
  return lines(text)
    .filter((_, i) => inRange(i, selector))
    .join('\n');
}

export function rustdocLines(text: string, selector: Selector): string {
  return lines(text)
    .map((l, i) => (inRange(i, selector) ? l : `# ${l}`))
    .join('\n');
}

export function anchoredLines(text: string, anchor: string, at?: SourceLocation, written?: string): string {
  const kept: string[] = [];
  let found = false;
  for (const l of lines(text)) {
    if (found) {
      if (ANCHOR_END.exec(l)?.[1] === anchor) return kept.join('\n');
      if (!ANCHOR_START.test(l) && !ANCHOR_END.test(l)) kept.push(l);
    } else if (ANCHOR_START.exec(l)?.[1] === anchor) {
      found = true;
    }
  }
  if (!found) throw missingAnchor(anchor, at, written);
  return kept.join('\n');
}

export function rustdocAnchoredLines(text: string, anchor: string, at?: SourceLocation, written?: string): string {
  const out: string[] = [];
  let within = false;
  let found = false;
  for (const l of lines(text)) {
    if (within) {
      const end = ANCHOR_END.exec(l);
      if (end) {
        if (end[1] === anchor) within = false;
      } else if (!ANCHOR_START.test(l)) out.push(l);
    } else if (ANCHOR_START.exec(l)) {
      if (ANCHOR_START.exec(l)?.[1] === anchor) within = found = true;
    } else if (!ANCHOR_END.test(l)) {
      out.push(`# ${l}`);
    }
  }
  if (!found) throw missingAnchor(anchor, at, written);
  return out.join('\n');
}

function missingAnchor(anchor: string, at: SourceLocation | undefined, written: string | undefined): ColophonError {
  return new ColophonError(
    error(
      'mdbook/include-anchor',
      `${written ?? 'include'}: the file has no anchor "${anchor}"`,
      at,
      `Mark the lines with comments \`ANCHOR: ${anchor}\` and \`ANCHOR_END: ${anchor}\` in the included file, or fix the name.`,
    ),
  );
}

function readIncluded(ref: string, dir: string, root: string, at: SourceLocation, written: string): { path: string; text: string } {
  const resolved = resolveInside(root, dir, ref);
  if (!resolved.ok) {
    throw new ColophonError(
      error(
        resolved.reason === 'missing' ? 'mdbook/include-missing' : 'mdbook/include-outside',
        `${written}: "${ref}" ${describeRefusal(resolved.reason)}`,
        at,
        resolved.reason === 'missing'
          ? 'Check the path: it is relative to the file that holds the {{#include}}.'
          : 'Included files must be inside the book folder (the one with book.toml).',
      ),
    );
  }
  try {
    return { path: resolved.path, text: readManuscriptText(resolved.path) };
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    const first = e.diagnostics[0];
    throw new ColophonError(error(first?.code ?? 'mdbook/include-unreadable', `${written}: ${first?.message ?? 'cannot be read'}`, at, first?.hint));
  }
}
