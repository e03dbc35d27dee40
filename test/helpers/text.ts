/**
 * The no-text-lost check: every word of a manuscript's prose (Markdown syntax stripped) must appear,
 * in order, in the text of each output — the web edition, the EPUB's documents, the PDF's text layer.
 * Outputs add words of their own (title page, contents, running heads, folios, note numbers), so the
 * check looks for the manuscript's words as a subsequence, each within a bounded distance of the
 * previous one: a lost or changed word is reported where it happened, with the text around it.
 *
 * Independent of Colophon's pipeline on purpose: the manuscript side is read with remark-parse and
 * GFM only (no math, no smart punctuation), so a fault in Colophon's own parsing cannot hide itself.
 * Typography that is not text is normalised on both sides: quotation marks and apostrophes, dashes
 * and ellipses, soft hyphens, and Unicode normalisation. A book with intended math would not compare
 * (its `$…$` become MathML); the corpus books have none, which is part of what the check proves.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Element, RootContent as HastContent, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import JSZip from 'jszip';
import type { RootContent as MdastContent, Root as MdastRoot } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const execFileAsync = promisify(execFile);

/** The words a reader must find: the body in reading order, and each footnote on its own (outputs move notes). */
export interface Prose {
  /** Every word in reading order, tables in place. */
  body: string[];
  notes: string[][];
  /** The body without its tables, and each table's words: print may float a table to the next page top. */
  bodyWithoutTables: string[];
  tables: string[][];
}

/** Plain-text title-block lines (`# Title: …`, `## Author: …`) at the top of a file are metadata, not prose. */
const TITLE_BLOCK = /^#{1,6}[ \t]+(Title|Subtitle|Author|Date|Year|Language|Publisher|Rights|Translator|Illustrator|Editor)[ \t]*:/i;

function withoutTitleBlock(markdown: string): string {
  const lines = markdown.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]?.trim() === '' || TITLE_BLOCK.test(lines[i] as string))) i++;
  return i > 0 && lines.slice(0, i).some((l) => TITLE_BLOCK.test(l)) ? lines.slice(i).join('\n') : markdown;
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);

/** rustdoc's code-block attributes: a block whose info string starts with one of them is Rust. */
const RUSTDOC_ATTRIBUTE = /^(ignore(-[\w-]+)?|no_run|should_panic|compile_fail|test_harness|edition\d{4}|E\d{4}|editable|noplayground)$/;

/**
 * What a reader of an mdBook sees of its Rust code blocks: mdBook hides a line whose first non-blank
 * character is `#` unless `#!` or `#[` follows, and shows `##` as one `#` (its hide_lines_rust). Written
 * here from mdBook's documentation, not taken from Colophon's importer, so the check stays independent.
 */
export function withoutMdBookHiddenLines(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  let rust = false;
  for (const line of markdown.split('\n')) {
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([^\s,`{]*)/.exec(line);
    if (fence === undefined && open) {
      fence = open[1] as string;
      const lang = open[2] ?? '';
      rust = lang === 'rust' || RUSTDOC_ATTRIBUTE.test(lang);
      out.push(line);
      continue;
    }
    const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1];
    if (fence !== undefined && close !== undefined && close[0] === fence[0] && close.length >= fence.length) {
      fence = undefined;
      out.push(line);
      continue;
    }
    if (fence !== undefined && rust) {
      const m = /^(\s*)#(.?)(.*)$/.exec(line);
      if (m && m[2] === '#') {
        out.push(`${m[1]}#${m[3]}`);
        continue;
      }
      if (m && m[2] !== '!' && m[2] !== '[') continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Where a table stood in a file's text (a private-use character no book holds). */
const TABLE_MARK = ' \uF8FF ';

/** The prose of one or more Markdown files, in reading order. */
export function manuscriptProse(files: string | string[]): Prose {
  const body: string[] = [];
  const notes: string[][] = [];
  const bodyWithoutTables: string[] = [];
  const tables: string[][] = [];
  for (const markdown of Array.isArray(files) ? files : [files]) {
    const tree = parser.parse(withoutTitleBlock(markdown)) as MdastRoot;
    const out: string[] = [];
    const walk = (node: MdastRoot | MdastContent, into: string[]) => {
      switch (node.type) {
        case 'yaml':
        case 'image':
        case 'imageReference':
        case 'definition':
          return;
        case 'footnoteDefinition': {
          const note: string[] = [];
          for (const child of node.children) walk(child, note);
          notes.push(words(note.join(' ')));
          return;
        }
        case 'table': {
          const table: string[] = [];
          for (const row of node.children) {
            for (const cell of row.children) {
              walk(cell, table);
              table.push(' ');
            }
          }
          tables.push(words(table.join('')));
          into.push(TABLE_MARK);
          return;
        }
        case 'text':
        case 'inlineCode':
          into.push(node.value);
          return;
        case 'code':
          // A block: its words never run into the next block's.
          into.push(` ${node.value} `);
          return;
        case 'html':
          // Raw HTML: its text, not its tags.
          into.push(` ${node.value.replace(/<[^>]*>/g, ' ')} `);
          return;
        case 'break':
          into.push(' ');
          return;
        default:
          if ('children' in node) {
            const block = !['emphasis', 'strong', 'delete', 'link', 'linkReference', 'textDirective'].includes(node.type);
            if (block) into.push(' ');
            for (const child of node.children as MdastContent[]) walk(child, into);
            if (block) into.push(' ');
          }
      }
    };
    walk(tree, out);
    const text = out.join('');
    // The table's place is marked in the text: its words go back there for the body, not for the rest.
    let table = tables.length - text.split(TABLE_MARK).length + 1;
    for (const [i, part] of text.split(TABLE_MARK).entries()) {
      if (i > 0) body.push(...(tables[table++] as string[]));
      body.push(...words(part));
      bodyWithoutTables.push(...words(part));
    }
  }
  return { body, notes, bodyWithoutTables, tables };
}

/** Elements whose boundaries separate words; inline ones (em, a, span, sup) may sit inside a word. */
const BLOCKS = new Set(
  'address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul math'.split(
    ' ',
  ),
);

/** The visible text of an HTML or XHTML document (or of its first `<selector>` element). */
export function htmlText(html: string, tagName?: string): string {
  const tree = fromHtml(html);
  const out: string[] = [];
  let started = tagName === undefined;
  const walk = (node: HastRoot | HastContent) => {
    if (node.type === 'text') {
      if (started) out.push(node.value);
      return;
    }
    if (node.type !== 'element' && node.type !== 'root') return;
    if (node.type === 'element') {
      const el = node as Element;
      // Not shown: head content, MathML's TeX annotation, hidden navigation.
      if (['head', 'script', 'style', 'annotation', 'template'].includes(el.tagName) || el.properties.hidden !== undefined) return;
      const opens = !started && el.tagName === tagName;
      if (opens) started = true;
      const block = BLOCKS.has(el.tagName);
      if (block) out.push(' ');
      for (const child of el.children) walk(child);
      if (block) out.push(' ');
      if (opens) started = false;
      return;
    }
    for (const child of node.children) walk(child);
  };
  walk(tree);
  return out.join('');
}

/** The XHTML of an EPUB's documents in spine order. */
export async function epubSpineXhtml(data: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(data);
  const container = (await zip.file('META-INF/container.xml')?.async('string')) ?? '';
  const opfPath = /full-path="([^"]+)"/.exec(container)?.[1] ?? '';
  const opf = (await zip.file(opfPath)?.async('string')) ?? '';
  const dir = opfPath.includes('/') ? opfPath.slice(0, opfPath.lastIndexOf('/') + 1) : '';
  const hrefs = new Map([...opf.matchAll(/<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const spine = [...opf.matchAll(/<itemref\b[^>]*\bidref="([^"]+)"/g)].map((m) => hrefs.get(m[1] as string) as string);
  return Promise.all(spine.map(async (href) => (await zip.file(dir + href)?.async('string')) ?? ''));
}

/** The text of each page of a PDF (pdftotext, one run; `area` as for pdfText), soft hyphens undone. */
export async function pdfPageTexts(file: string, area?: Area): Promise<string[]> {
  const box = area ? { x: Math.floor(area.x), y: Math.floor(area.y), W: Math.ceil(area.width), H: Math.ceil(area.height) } : undefined;
  const crop = box ? ['-r', '72', ...Object.entries(box).flatMap(([flag, value]) => [`-${flag}`, String(value)])] : [];
  const { stdout } = await execFileAsync('pdftotext', ['-enc', 'UTF-8', ...crop, file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // pdftotext ends every page with a form feed.
  return stdout
    .replace(/\u00ad\s*/g, '')
    .split('\f')
    .slice(0, -1);
}

/** The text of an EPUB's documents in spine order, as a reading system shows them. */
export async function epubText(data: Uint8Array): Promise<string> {
  return (await epubSpineXhtml(data)).map((xhtml) => htmlText(xhtml, 'body')).join(' ');
}

/** A rectangle of the page in points, from its top-left corner. */
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The PDF's text layer (pdftotext, reading order), with soft hyphens and the line and page breaks
 * after them undone. With `area` (the text block), running heads and folios are left out, so a word
 * hyphenated across a page break reads as one word.
 */
/**
 * The text layer of a PDF (or of one area of every page). `streamOrder`: in the order the text was
 * drawn (pdftotext -raw; Chromium draws in document order), for pages where text sits in columns
 * within a line — code with aligned comments, which pdftotext's reading-order guess moves after the
 * code; a word broken at a line-end hyphen is then joined again.
 */
export async function pdfText(file: string, area?: Area, options: { streamOrder?: boolean } = {}): Promise<string> {
  const box = area ? { x: Math.floor(area.x), y: Math.floor(area.y), W: Math.ceil(area.width), H: Math.ceil(area.height) } : undefined;
  const crop = box ? ['-r', '72', ...Object.entries(box).flatMap(([flag, value]) => [`-${flag}`, String(value)])] : [];
  const mode = options.streamOrder ? ['-raw'] : [];
  // Asynchronous: a novel takes pdftotext seconds, and a test worker must keep answering vitest meanwhile.
  const { stdout } = await execFileAsync('pdftotext', ['-enc', 'UTF-8', ...mode, ...crop, file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const text = stdout.replace(/\u00ad\s*/g, '').replace(/\f/g, '\n');
  return options.streamOrder ? text.replace(/(\p{L})-\n\s*(\p{L})/gu, '$1$2') : text;
}

/** Typography that is not text, the same on both sides. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .replace(/\u00ad/g, '')
      // Dashes (`--`/`---` became – and —) and ellipses separate words; before quotes go, so that
      // `."...` is read as the writer's `.` then an ellipsis.
      .replace(/[–—‒―]|-{2,}/g, ' ')
      .replace(/…|\.{3}/g, ' ')
      .replace(/["“”„‟«»‹›'‘’‚‛`]/g, '')
      .split(/\s+/)
      // Tokens of punctuation alone carry no word (a spaced hyphen, a lone asterisk).
      .filter((w) => /[\p{L}\p{N}$€£¥]/u.test(w))
  );
}

/** How far past the last match the next word may be: room for running heads, folios, note numbers, a contents page. */
const WINDOW = 600;

/**
 * Undefined when every word of `prose` is in `output` in order; otherwise a description of the first
 * word that is not, with the manuscript's words around it and what the output has there instead.
 * Up to three output tokens may make one word: a line broken at a hyphen or inside a long word.
 */
export function findLostText(prose: Prose, output: string, options: { pdf?: boolean } = {}): string | undefined {
  // pdftotext guesses spaces from glyph positions (a justified line may show "off )."), and joins a
  // word broken at a line-end hyphen without the hyphen ("three-and-" + "twenty" → "three-andtwenty"):
  // in a PDF's text, a word is compared by its letters and digits only.
  const core = options.pdf ? (w: string) => w.replace(/[^\p{L}\p{N}$€£¥]/gu, '') : (w: string) => w;
  const out = words(output).map(core);
  // Print may float a table to the next page top, after the text that follows it: there the body
  // is checked without its tables, and each table on its own, like a note.
  const lost = lostIn((options.pdf ? prose.bodyWithoutTables : prose.body).map(core), out, 'text');
  if (lost) return lost;
  const apart: [string, string[]][] = [
    ...prose.notes.map((note, i): [string, string[]] => [`footnote ${i + 1}`, note]),
    ...(options.pdf ? prose.tables.map((table, i): [string, string[]] => [`table ${i + 1}`, table]) : []),
  ];
  for (const [what, expected] of apart) {
    const missing = lostIn(expected.map(core), out, what);
    if (missing) return missing;
  }
  return undefined;
}

function lostIn(expected: string[], out: string[], what: string): string | undefined {
  // The first word may be anywhere (after the front matter); a short piece read on its own (a note, a
  // table) may start at any place its first word occurs, so each is tried, and the furthest failure
  // is reported.
  let worst: { i: number; at: number } | undefined;
  for (let start = 0; start < out.length; ) {
    const first = expected.length > 0 ? matchAt(expected[0] as string, out, start, Number.POSITIVE_INFINITY) : start;
    if (first === undefined) break;
    let at = first;
    let i = 1;
    for (; i < expected.length; i++) {
      const found = matchAt(expected[i] as string, out, at, WINDOW);
      if (found === undefined) break;
      at = found;
    }
    if (i === expected.length) return undefined;
    if (worst === undefined || i > worst.i) worst = { i, at };
    start = first;
  }
  const { i, at } = worst ?? { i: 0, at: 0 };
  const context = expected.slice(Math.max(0, i - 8), i + 8).join(' ');
  const there = out.slice(Math.max(0, at - 8), at + 12).join(' ');
  return `${what}: word ${i + 1} of ${expected.length}, "${expected[i]}", is missing or changed.\n  manuscript: …${context}…\n  output:     …${there}…`;
}

/** Index just past the match of `word` in `out`, searching from `from` for at most `window` tokens. */
function matchAt(word: string, out: string[], from: number, window: number): number | undefined {
  const end = Math.min(out.length, from + window);
  for (let k = from; k < end; k++) {
    if (out[k] === word) return k + 1;
    let joined = out[k] as string;
    for (let n = 1; n < 3 && k + n < out.length; n++) {
      const next = out[k + n] as string;
      // A line broken at a hyphen shows "hy-" then "phen" (or "well-" then "known": both are tried).
      const candidates = joined.endsWith('-') ? [`${joined}${next}`, `${joined.slice(0, -1)}${next}`] : [`${joined}${next}`];
      if (candidates.includes(word)) return k + n + 1;
      const prefix = candidates.find((c) => word.startsWith(c));
      if (prefix === undefined) break;
      joined = prefix;
    }
  }
  return undefined;
}
