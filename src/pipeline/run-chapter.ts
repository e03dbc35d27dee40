/**
 * Parsing one chapter: the unified pipeline (processor.ts) on its Markdown, then what the model needs of
 * the result: line numbers into the file, note ids made unique, notes lifted out as data, text facts.
 * A module of its own so that only a build with a chapter to parse loads the pipeline (unified, remark,
 * rehype, KaTeX, highlight.js): chapters.ts imports it when a chapter is not cached, and the worker
 * threads of parallel-parse.ts import it directly.
 */
import type { Element, ElementContent, Root as HastRoot, RootContent } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import type { ChapterSource } from '../manuscript/manuscript.ts';
import type { Footnote } from '../model/book.ts';
import { normaliseChapterHeadings } from './chapter-headings.ts';
import { fileDiagnostics, report } from './messages.ts';
import { pandocDivsAsDirectives } from './pandoc-divs.ts';
import { NOTE_ID_PLACEHOLDER, type PipelineOptions, transformerFor } from './processor.ts';
import { type TextFacts, textFacts } from './text-facts.ts';

export interface ParsedChapter {
  id: string;
  /** Nesting of the chapter in the book's contents: 1 for a chapter, 2 for one under it (see ChapterSource.level). */
  level: number;
  /** Source file relative to the manuscript root. */
  source: string;
  hast: HastRoot;
  footnotes: Footnote[];
  diagnostics: Diagnostic[];
  /** Characters shown, code and math present: for font selection, cached with the parse. */
  facts: TextFacts;
}

export interface ChapterChunk {
  id: string;
  source: ChapterSource;
  /** The text to parse (also the cache key). */
  text: string;
  /** Lines before the chunk in its file, added to every position so messages point into the file. */
  lineOffset: number;
  /** Text before the first chapter heading of a single file: kept as a chapter, never dropped, but reported. */
  untitled?: boolean;
}

export function runChapter(chunk: ChapterChunk, options: PipelineOptions): ParsedChapter {
  try {
    return runChapterUnguarded(chunk, options);
  } catch (e) {
    // Deeply nested raw HTML can still exhaust the stack of the recursive tree walkers.
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new ColophonError(
        error(
          'manuscript/too-deep',
          'the chapter nests elements too deeply to process',
          { file: chunk.source.path },
          'Look for unclosed HTML tags or runaway nesting of quotes and lists.',
        ),
      );
    }
    throw e;
  }
}

function runChapterUnguarded(chunk: ChapterChunk, options: PipelineOptions): ParsedChapter {
  const transformer = transformerFor(options);
  const file = new VFile({ path: chunk.source.path, value: pandocDivsAsDirectives(chunk.text) });
  const mdast = transformer.parse(file) as MdastRoot;
  const { lineMap } = chunk.source;
  if (chunk.lineOffset > 0 || lineMap) {
    // Lines only: offsets stay relative to `file.value`, which plugins slice the source from.
    const fileLine = (line: number) => (lineMap ? (lineMap[line - 1] ?? lineMap.at(-1) ?? line) : line) + chunk.lineOffset;
    visit(mdast, (node) => {
      if (node.position) {
        node.position.start.line = fileLine(node.position.start.line);
        node.position.end.line = fileLine(node.position.end.line);
      }
    });
  }
  normaliseChapterHeadings(mdast, file);
  if (chunk.untitled) reportUntitled(mdast, file);
  const hast = transformer.runSync(mdast, file) as HastRoot;
  checkTreeDepth(hast, chunk.source.path);
  prefixNoteIds(hast, `${chunk.id}-`);
  const footnotes = liftFootnotes(hast);
  const facts = textFacts([hast, ...footnotes.flatMap((n) => n.content)]);
  return {
    id: chunk.id,
    level: chunk.source.level ?? 1,
    source: chunk.source.relPath,
    hast,
    footnotes,
    diagnostics: fileDiagnostics(file, chunk.source.path),
    facts,
  };
}

/**
 * Text before a single-file book's first chapter heading (after the front matter or title block) is
 * neither dropped nor silently made a chapter: it becomes an untitled chapter of its own, with a warning.
 */
function reportUntitled(tree: MdastRoot, file: VFile): void {
  const first = tree.children.find((n) => n.type !== 'definition' && n.type !== 'footnoteDefinition' && n.type !== 'yaml');
  if (!first) return;
  report(
    file,
    'warning',
    'manuscript/untitled-chapter',
    'text before the first chapter heading becomes a chapter without a title (it is not in the contents)',
    first,
    'Give it a heading (e.g. `# Preface`), move it into the metadata (`description:`), or delete it if it is not part of the book.',
  );
}

/** Deepest element nesting later stages (all recursive tree walkers) are sure to survive. */
const MAX_TREE_DEPTH = 256;

/** Iterative, so that it cannot itself overflow the stack it protects. */
function checkTreeDepth(tree: HastRoot, file: string): void {
  const stack: [HastRoot | RootContent, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [HastRoot | RootContent, number];
    if (depth > MAX_TREE_DEPTH) {
      const line = 'position' in node ? node.position?.start.line : undefined;
      throw new ColophonError(
        error(
          'manuscript/too-deep',
          `elements nested more than ${MAX_TREE_DEPTH} deep`,
          { file, ...(line ? { line } : {}) },
          'Look for unclosed HTML tags or runaway nesting of quotes and lists.',
        ),
      );
    }
    if ('children' in node) for (const child of node.children) stack.push([child, depth + 1]);
  }
}

/** Footnote ids and links carry the placeholder prefix until here; the chapter id makes them unique. */
function prefixNoteIds(tree: HastRoot, prefix: string): void {
  visit(tree, 'element', (node: Element) => {
    for (const key of ['id', 'href'] as const) {
      const value = node.properties[key];
      if (typeof value === 'string' && value.includes(NOTE_ID_PLACEHOLDER)) node.properties[key] = value.replace(NOTE_ID_PLACEHOLDER, prefix);
    }
  });
}

/**
 * remark-rehype appends a `<section data-footnotes>` to the chapter. Outputs place notes differently
 * (end of chapter on the web, after the citing block or at the chapter's end in print, asides in EPUB), so the model holds them as data.
 */
function liftFootnotes(tree: HastRoot): Footnote[] {
  const index = tree.children.findIndex((n) => n.type === 'element' && n.tagName === 'section' && n.properties.dataFootnotes !== undefined);
  if (index === -1) return [];
  const section = tree.children[index] as Element;
  tree.children.splice(index, 1);
  const labels = new Map<string, string>();
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) {
      delete node.properties.ariaDescribedBy;
      const href = String(node.properties.href ?? '');
      labels.set(href.slice(1), labels.get(href.slice(1)) ?? textOf(node));
    }
  });
  const notes: Footnote[] = [];
  visit(section, 'element', (li: Element) => {
    if (li.tagName !== 'li') return;
    const id = String(li.properties.id);
    const refIds: string[] = [];
    const content = stripBackrefs(li.children, refIds);
    notes.push({ id, refIds, label: labels.get(id) ?? String(notes.length + 1), content });
  });
  return notes;
}

function stripBackrefs(children: ElementContent[], refIds: string[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const child of children) {
    if (child.type === 'element' && child.tagName === 'a' && child.properties.dataFootnoteBackref !== undefined) {
      refIds.push(String(child.properties.href ?? '').replace(/^#/, ''));
      continue;
    }
    if (child.type === 'element') child.children = stripBackrefs(child.children, refIds);
    out.push(child);
  }
  // remark-rehype put spaces before and between the back-links; drop what is left at the end.
  trimTrailingSpace(out);
  const last = out.at(-1);
  if (last?.type === 'element' && last.tagName === 'p') trimTrailingSpace(last.children);
  return out;
}

function trimTrailingSpace(children: ElementContent[]): void {
  for (let tail = children.at(-1); tail?.type === 'text'; tail = children.at(-1)) {
    tail.value = tail.value.replace(/\s+$/, '');
    if (tail.value !== '') break;
    children.pop();
  }
}

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : '')).join('');
}
