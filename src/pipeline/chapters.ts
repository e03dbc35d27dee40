/**
 * Turning chapter sources into chapter trees: split a single-file book at its chapter headings, run
 * the pipeline on each chapter, lift footnotes out, and cache the result by content hash so that a
 * rebuild after editing one chapter reparses only that chapter.
 */
import { createHash } from 'node:crypto';
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Heading, Root as MdastRoot, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import type { Diagnostic } from '../diagnostics.ts';
import type { ChapterSource } from '../manuscript/load.ts';
import type { Footnote } from '../model/book.ts';
import { fileDiagnostics } from './messages.ts';
import { createParser, createTransformer, type PipelineOptions } from './processor.ts';

export interface ParsedChapter {
  id: string;
  /** Source file relative to the manuscript root. */
  source: string;
  hast: HastRoot;
  footnotes: Footnote[];
  diagnostics: Diagnostic[];
}

interface ChapterChunk {
  id: string;
  source: ChapterSource;
  /** The text this chunk covers (the cache key), and its tree when already parsed. */
  text: string;
  mdast?: MdastRoot;
}

const PIPELINE_VERSION = '1';
const CACHE_LIMIT = 4096;
const cache = new Map<string, ParsedChapter>();
let stats = { hits: 0, misses: 0 };

/** How many chapters were parsed vs. taken from the cache since the last reset (watch mode, tests). */
export function cacheStats() {
  return { ...stats };
}
export function resetCacheStats() {
  stats = { hits: 0, misses: 0 };
}
export function clearChapterCache() {
  cache.clear();
}

export interface ChapterOptions {
  language: string;
  hyphenate: boolean;
  singleFile: boolean;
  chapterLevel?: number;
}

export function parseChapters(sources: ChapterSource[], options: ChapterOptions): ParsedChapter[] {
  const slugger = new GithubSlugger();
  const chunks: ChapterChunk[] = options.singleFile
    ? splitSingleFile(sources[0] as ChapterSource, options.chapterLevel, slugger)
    : sources.map((source) => ({ id: chapterIdFromPath(source.relPath, slugger), source, text: source.text }));

  return chunks.map((chunk) => {
    const pipelineOptions: PipelineOptions = { language: options.language, hyphenate: options.hyphenate, idPrefix: `${chunk.id}-` };
    const key = createHash('sha256')
      .update(JSON.stringify([PIPELINE_VERSION, pipelineOptions, chunk.source.relPath, chunk.mdast ? 'split' : 'file']))
      .update('\0')
      .update(chunk.text)
      .digest('hex');
    const hit = cache.get(key);
    if (hit) {
      stats.hits++;
      // The book pass rewrites ids and links in place: hand out a copy, keep the cached tree pristine.
      return structuredClone(hit);
    }
    stats.misses++;
    const parsed = runChapter(chunk, pipelineOptions);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, parsed);
    return structuredClone(parsed);
  });
}

function chapterIdFromPath(relPath: string, slugger: GithubSlugger): string {
  const stem = relPath.replace(/\.md$/i, '').split('/').join('-');
  return slugger.slug(`ch-${stem}`);
}

function runChapter(chunk: ChapterChunk, options: PipelineOptions): ParsedChapter {
  const transformer = createTransformer(options);
  // The file's text is the whole source (positions of a split chapter refer to the whole file).
  const file = new VFile({ path: chunk.source.path, value: chunk.source.text });
  const mdast = chunk.mdast ?? (transformer.parse(file) as MdastRoot);
  const hast = transformer.runSync(mdast, file) as HastRoot;
  const footnotes = liftFootnotes(hast);
  return { id: chunk.id, source: chunk.source.relPath, hast, footnotes, diagnostics: fileDiagnostics(file, chunk.source.path) };
}

/**
 * One file, many chapters: split before every heading of the chapter level (default: the shallowest
 * level used), then shift headings so that chapter headings are h1, as in a folder manuscript.
 */
function splitSingleFile(source: ChapterSource, level: number | undefined, slugger: GithubSlugger): ChapterChunk[] {
  const tree = createParser().parse(source.text) as MdastRoot;
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading');
  const splitDepth = level ?? Math.min(7, ...headings.map((h) => h.depth));
  const groups: RootContent[][] = [];
  for (const node of tree.children) {
    if ((node.type === 'heading' && node.depth === splitDepth) || groups.length === 0) groups.push([]);
    (groups.at(-1) as RootContent[]).push(node);
  }
  const shift = splitDepth <= 6 ? splitDepth - 1 : 0;
  return groups
    .filter((group) => group.some((n) => n.type !== 'yaml' && n.type !== 'definition'))
    .map((children, index) => {
      const root: MdastRoot = { type: 'root', children: [...children, ...definitionsOf(tree)] };
      if (shift > 0) {
        visit(root, 'heading', (h) => {
          h.depth = Math.max(1, h.depth - shift) as Heading['depth'];
        });
      }
      const first = children[0];
      const title = first?.type === 'heading' ? mdastToString(first) : '';
      const start = children[0]?.position?.start.offset ?? 0;
      const end = children.at(-1)?.position?.end.offset ?? start;
      return {
        id: slugger.slug(`ch-${title || `part-${index + 1}`}`),
        source,
        // Definitions are shared by all chapters of the file, so they belong to every chunk's key.
        text: source.text.slice(start, end) + definitionsText(tree, source.text),
        mdast: root,
      };
    });
}

function definitionsOf(tree: MdastRoot): RootContent[] {
  return tree.children.filter((n) => n.type === 'definition' || n.type === 'footnoteDefinition');
}

function definitionsText(tree: MdastRoot, text: string): string {
  return definitionsOf(tree)
    .map((n) => text.slice(n.position?.start.offset ?? 0, n.position?.end.offset ?? 0))
    .join('\n');
}

/**
 * remark-rehype appends a `<section data-footnotes>` to the chapter. Outputs place notes differently
 * (end of chapter on the web, page foot in print, asides in EPUB), so the model holds them as data.
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
