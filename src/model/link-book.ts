/**
 * The book pass: what can only be done with all chapters at hand. Makes element ids unique across
 * the book, resolves links between chapter files (`other.md#section` → `#section`), checks every
 * internal link lands, resolves images to assets with stable names, and builds the table of contents.
 * Runs on copies of the cached chapter trees, so it is cheap to repeat on every rebuild.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import { type Diagnostic, error, warning } from '../diagnostics.ts';
import { describeRefusal, resolveInside } from '../manuscript/paths.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';
import type { Asset, Chapter, TocEntry } from './book.ts';
import { detectImageType, IMAGE_TYPES } from './image-types.ts';
import { chapterTrees } from './trees.ts';

export interface LinkContext {
  root: string;
  /** Absolute path of each chapter's source, by chapter source (relPath). */
  sourcePath: (relPath: string) => string;
}

export interface LinkedBook {
  chapters: Chapter[];
  toc: TocEntry[];
  assets: Asset[];
  anchors: Record<string, string>;
  diagnostics: Diagnostic[];
}

export function linkBook(parsed: ParsedChapter[], ctx: LinkContext): LinkedBook {
  const diagnostics: Diagnostic[] = [];
  const anchors: Record<string, string> = {};
  const used = new Set<string>(parsed.map((c) => c.id));
  for (const c of parsed) anchors[c.id] = c.id;
  /** Per chapter: id as written → id in the book. */
  const renames = new Map<string, Map<string, string>>();

  // 1. Unique ids. Footnote ids are already chapter-prefixed; headings and raw-HTML ids may collide.
  for (const chapter of parsed) {
    const map = new Map<string, string>();
    renames.set(chapter.id, map);
    const claim = (id: string): string => {
      let candidate = id;
      for (let n = 1; used.has(candidate); n++) candidate = `${id}-${n}`;
      used.add(candidate);
      anchors[candidate] = chapter.id;
      if (!map.has(id)) map.set(id, candidate);
      return candidate;
    };
    for (const tree of chapterTrees(chapter)) {
      visit(tree, 'element', (node: Element) => {
        if (node.properties.id !== undefined && node.properties.id !== '') node.properties.id = claim(String(node.properties.id));
      });
    }
    for (const note of chapter.footnotes) {
      note.id = map.get(note.id) ?? claim(note.id);
      note.refIds = note.refIds.map((r) => map.get(r) ?? r);
    }
  }

  const bySource = new Map(parsed.map((c) => [c.source, c]));
  const assets = new Map<string, Asset>();

  // 2. Links and images.
  for (const chapter of parsed) {
    const file = ctx.sourcePath(chapter.source);
    const dir = path.dirname(file);
    const local = renames.get(chapter.id) as Map<string, string>;
    const at = (node: Element) => ({ file, ...(node.position ? { line: node.position.start.line, column: node.position.start.column } : {}) });
    for (const tree of chapterTrees(chapter)) {
      visit(tree, 'element', (node: Element) => {
        if (node.tagName === 'a' && typeof node.properties.href === 'string') {
          const target = resolveLink(node.properties.href, chapter, local, dir, ctx, bySource, renames);
          if (target.kind === 'internal') {
            node.properties.href = `#${target.id}`;
            if (anchors[target.id] === undefined) {
              diagnostics.push(
                error(
                  'link/missing-anchor',
                  `link "${node.properties.href}" points to an anchor that does not exist`,
                  at(node),
                  'Check the heading text: ids are made from it in lower case with hyphens (## My Part → #my-part).',
                ),
              );
            }
          } else if (target.kind === 'missing-chapter') {
            diagnostics.push(
              error(
                'link/missing-chapter',
                `link to "${target.file}", which is not a chapter of this book`,
                at(node),
                'Link to a chapter file listed in book.yaml (e.g. 02-next.md#section), or fix the path.',
              ),
            );
          } else if (target.kind === 'local-file') {
            diagnostics.push(
              warning(
                'link/local-file',
                `link to the local file "${target.file}" will not work in the published book`,
                at(node),
                'Link to a chapter, a heading (#id) or a web address instead.',
              ),
            );
          }
        }
        if (node.tagName === 'img') {
          const src = String(node.properties.src ?? '');
          const asset = resolveImage(src, ctx.root, dir, at(node), diagnostics, assets);
          if (asset) node.properties.src = asset.href;
        }
      });
    }
  }

  const chapters: Chapter[] = parsed.map((c) => ({ id: c.id, title: chapterTitle(c), source: c.source, hast: c.hast, footnotes: c.footnotes }));
  return { chapters, toc: buildToc(chapters), assets: [...assets.values()], anchors, diagnostics };
}

type LinkTarget = { kind: 'internal'; id: string } | { kind: 'external' } | { kind: 'missing-chapter'; file: string } | { kind: 'local-file'; file: string };

function resolveLink(
  href: string,
  chapter: ParsedChapter,
  local: Map<string, string>,
  dir: string,
  ctx: LinkContext,
  bySource: Map<string, ParsedChapter>,
  renames: Map<string, Map<string, string>>,
): LinkTarget {
  if (href.startsWith('#')) {
    const id = decodeFragment(href.slice(1));
    return { kind: 'internal', id: local.get(id) ?? id };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { kind: 'external' };
  const [filePart = '', fragment] = href.split('#', 2);
  const abs = path.resolve(dir, decodeFragment(filePart));
  const rel = path.relative(ctx.root, abs).split(path.sep).join('/');
  const target = bySource.get(rel);
  if (!target) return /\.(md|markdown)$/i.test(filePart) ? { kind: 'missing-chapter', file: filePart } : { kind: 'local-file', file: filePart };
  if (!fragment) return { kind: 'internal', id: target.id };
  const id = decodeFragment(fragment);
  const map = target.id === chapter.id ? local : renames.get(target.id);
  return { kind: 'internal', id: map?.get(id) ?? id };
}

function decodeFragment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function resolveImage(
  src: string,
  root: string,
  dir: string,
  location: Diagnostic['location'],
  diagnostics: Diagnostic[],
  assets: Map<string, Asset>,
): Asset | undefined {
  if (src === '') {
    diagnostics.push(error('image/no-source', 'image has no source', location, 'Write ![description](images/file.png).'));
    return undefined;
  }
  if (/^https?:\/\//i.test(src)) {
    diagnostics.push(
      error(
        'image/remote',
        `remote image "${src}" is not fetched: a book must build without the network`,
        location,
        'Download the image into the manuscript folder and refer to it by a relative path.',
      ),
    );
    return undefined;
  }
  const resolved = resolveInside(root, dir, src);
  if (!resolved.ok) {
    diagnostics.push(
      error(
        resolved.reason === 'missing' ? 'image/missing' : 'image/outside',
        `image "${src}" ${describeRefusal(resolved.reason)}`,
        location,
        resolved.reason === 'missing' ? 'Check the file name and path (relative to the chapter file).' : 'Images must be files inside the manuscript folder.',
      ),
    );
    return undefined;
  }
  return registerImage(resolved.path, src, location, diagnostics, assets);
}

/** Adds an image file as an asset named by content hash, after checking it really is that image type. */
export function registerImage(
  file: string,
  written: string,
  location: Diagnostic['location'],
  diagnostics: Diagnostic[],
  assets: Map<string, Asset>,
): Asset | undefined {
  const existing = assets.get(file);
  if (existing) return existing;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    diagnostics.push(
      error('image/unreadable', `image "${written}" cannot be read (${(e as NodeJS.ErrnoException).code})`, location, 'Check the file permissions.'),
    );
    return undefined;
  }
  const ext = path.extname(file).slice(1).toLowerCase();
  const declared = IMAGE_TYPES[ext];
  if (!declared) {
    diagnostics.push(
      error('image/unsupported', `image "${written}" has an unsupported type (.${ext})`, location, `Use one of: ${Object.keys(IMAGE_TYPES).join(', ')}.`),
    );
    return undefined;
  }
  const actual = detectImageType(bytes);
  if (actual !== declared) {
    diagnostics.push(
      error(
        'image/corrupt',
        `"${written}" is not a valid ${ext.toUpperCase()} image${actual ? ` (its content is ${actual})` : ''}`,
        location,
        'Re-export the image, or give the file the extension that matches its format.',
      ),
    );
    return undefined;
  }
  if (declared === 'image/svg+xml' && !checkSvg(bytes.toString('utf8'), written, location, diagnostics)) return undefined;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const stem = path
    .basename(file, path.extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const asset: Asset = { kind: 'image', sourcePath: file, href: `images/${stem || 'image'}-${hash}.${ext === 'jpeg' ? 'jpg' : ext}`, mediaType: declared };
  assets.set(file, asset);
  return asset;
}

/**
 * An SVG is a document, not just a picture: it can carry scripts, event handlers and references to
 * other files or the network. A book image may do none of that (EPUB readers and Chromium would run
 * or fetch it). Text in an SVG is drawn in whatever fonts the viewer has, not the book's.
 */
function checkSvg(text: string, written: string, location: Diagnostic['location'], diagnostics: Diagnostic[]): boolean {
  const problems = [
    [/<script[\s>]/i, 'a <script>'],
    [/\son[a-z]+\s*=/i, 'an event handler (on…= attribute)'],
    [/<foreignObject[\s>]/i, 'a <foreignObject> (embedded HTML)'],
    [/(?:xlink:)?href\s*=\s*["'](?!#|data:image\/)[^"']*["']/i, 'a reference to another file or the network'],
    [/javascript:/i, 'a javascript: URL'],
    [/<!ENTITY/i, 'an XML entity declaration'],
    [/@import/i, 'a stylesheet @import'],
    [/url\(\s*['"]?\s*(?!#|data:image\/)[^)\s'"]/i, 'a url() reference to another file or the network'],
  ] as const;
  const found = problems.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
  if (found.length > 0) {
    diagnostics.push(
      error(
        'image/unsafe-svg',
        `SVG image "${written}" contains ${found.join(', ')}`,
        location,
        'Remove scripts, handlers and external references from the SVG (e.g. export it again as plain SVG).',
      ),
    );
    return false;
  }
  if (/<text[\s>]/i.test(text)) {
    diagnostics.push(
      warning(
        'image/svg-text',
        `SVG image "${written}" contains text, which is drawn in the reader's fonts, not the book's`,
        location,
        'Convert the text to outlines (paths) in your drawing program for the same look everywhere.',
      ),
    );
  }
  return true;
}

function chapterTitle(chapter: ParsedChapter): string {
  let first: Element | undefined;
  let h1: Element | undefined;
  visit(chapter.hast, 'element', (node: Element) => {
    const rank = headingRank(node);
    if (!rank) return;
    first ??= node;
    if (rank === 1) h1 ??= node;
  });
  const heading = h1 ?? first;
  const text = heading
    ? hastToString(heading)
        .replace(/\u00ad/g, '')
        .trim()
    : '';
  return text || chapter.source.replace(/\.md$/i, '');
}

function buildToc(chapters: Chapter[]): TocEntry[] {
  const toc: TocEntry[] = [];
  const stack: TocEntry[] = [];
  for (const chapter of chapters) {
    visit(chapter.hast, 'element', (node: Element) => {
      const rank = headingRank(node);
      if (!rank || rank > 3 || node.properties.id === undefined) return;
      const entry: TocEntry = {
        id: String(node.properties.id),
        chapterId: chapter.id,
        depth: rank as 1 | 2 | 3,
        title: hastToString(node)
          .replace(/\u00ad/g, '')
          .trim(),
        children: [],
      };
      while (stack.length > 0 && (stack.at(-1) as TocEntry).depth >= entry.depth) stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.children.push(entry);
      else toc.push(entry);
      stack.push(entry);
    });
  }
  return toc;
}
