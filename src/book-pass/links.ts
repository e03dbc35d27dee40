/**
 * Links between chapters: `other.md#section`, `#section` and `other.md` become in-book fragment links
 * (`#section`, through the rename table of the chapter that holds the target), and every in-book
 * link must land on an element that exists. Web addresses stay as they are; a link to a local file
 * that is not a chapter is kept with a warning, since it will not work in a published book.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { error, note, type SourceLocation, warning } from '../diagnostics.ts';
import { isInside } from '../manuscript/paths.ts';
import { chapterTrees, eachElement } from '../model/trees.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';
import { chapterDir, elementLocation, type PassContext } from './context.ts';
import type { BookIds } from './ids.ts';

type LinkTarget =
  | { kind: 'internal'; id: string }
  | { kind: 'external' }
  | { kind: 'missing-chapter'; file: string }
  | { kind: 'not-in-book'; file: string }
  | { kind: 'site'; file: string }
  | { kind: 'local-file'; file: string };

/** What a link can point at: the chapters by source path, and how each chapter's ids were renamed. */
interface Targets {
  root: string;
  /** Links that leave this folder point at the web site around the book (mdBook's `src/`). */
  contentRoot?: string;
  bySource: Map<string, ParsedChapter>;
  ids: BookIds;
}

export function resolveLinks(parsed: ParsedChapter[], ids: BookIds, ctx: PassContext, contentRoot?: string): void {
  const targets: Targets = { root: ctx.root, ...(contentRoot ? { contentRoot } : {}), bySource: new Map(parsed.map((c) => [c.source, c])), ids };
  const siteLinks: { href: string; at: SourceLocation }[] = [];
  for (const chapter of parsed) {
    const file = ctx.sourcePath(chapter.source);
    const dir = chapterDir(ctx, chapter.source);
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element, index, parent) => {
        if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
        const target = resolveLink(node.properties.href, { chapterId: chapter.id, dir }, targets);
        const at = elementLocation(file, node);
        if ((target.kind === 'not-in-book' || target.kind === 'site') && parent && index !== undefined) {
          // The link cannot lead anywhere in a book; its words stay, as text.
          parent.children.splice(index, 1, ...node.children);
          if (target.kind === 'site') siteLinks.push({ href: target.file, at });
          else {
            ctx.diagnostics.push(
              warning(
                'link/not-in-book',
                `link to "${target.file}", a file that is not a chapter of this book; its text is kept without the link`,
                at,
                "Add the file to the book's chapters, or link to a chapter that is in it.",
              ),
            );
          }
          return index;
        }
        if (target.kind === 'internal') {
          node.properties.href = `#${target.id}`;
          if (ids.anchors[target.id] === undefined) {
            ctx.diagnostics.push(
              error(
                'link/missing-anchor',
                `link "${node.properties.href}" points to an anchor that does not exist`,
                at,
                'Check the heading text: ids are made from it in lower case with hyphens (## My Part → #my-part).',
              ),
            );
          }
        } else if (target.kind === 'missing-chapter') {
          ctx.diagnostics.push(
            error(
              'link/missing-chapter',
              `link to "${target.file}", which is not a chapter of this book`,
              at,
              'Link to a chapter file listed in book.yaml (e.g. 02-next.md#section), or fix the path.',
            ),
          );
        } else if (target.kind === 'local-file') {
          ctx.diagnostics.push(
            warning(
              'link/local-file',
              `link to the local file "${target.file}" will not work in the published book`,
              at,
              'Link to a chapter, a heading (#id) or a web address instead.',
            ),
          );
        }
        return undefined;
      });
    }
  }
  if (siteLinks.length > 0) {
    const examples = [...new Set(siteLinks.map((l) => l.href))].slice(0, 3).join(', ');
    ctx.diagnostics.push(
      note(
        'link/outside-book',
        `${siteLinks.length} link(s) lead out of the book to other pages of the web site it is published on (${examples}…); their text is kept without the link`,
        siteLinks[0]?.at,
        'A printed or e-book edition cannot follow links relative to a web site; write them as full web addresses (https://…) to keep them.',
      ),
    );
  }
}

function resolveLink(href: string, from: { chapterId: string; dir: string }, targets: Targets): LinkTarget {
  const renamed = (chapterId: string, id: string) => targets.ids.renames.get(chapterId)?.get(id) ?? id;
  if (href.startsWith('#')) return { kind: 'internal', id: renamed(from.chapterId, decodeFragment(href.slice(1))) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { kind: 'external' };
  const [filePart = '', fragment] = href.split('#', 2);
  const abs = path.resolve(from.dir, decodeFragment(filePart));
  const target = chapterAt(abs, targets);
  if (!target) {
    if (targets.contentRoot && !isInside(targets.contentRoot, abs)) return { kind: 'site', file: filePart };
    if (/\.(md|markdown)$/i.test(filePart)) return fs.existsSync(abs) ? { kind: 'not-in-book', file: filePart } : { kind: 'missing-chapter', file: filePart };
    const source = mdSourceOf(abs);
    if (source && fs.existsSync(source)) return { kind: 'not-in-book', file: filePart };
    return { kind: 'local-file', file: filePart };
  }
  if (!fragment) return { kind: 'internal', id: target.id };
  return { kind: 'internal', id: renamed(target.id, decodeFragment(fragment)) };
}

/**
 * The chapter a file path names: its Markdown file, or the page mdBook renders it to (`other.html`,
 * and `index.html` for a folder's README.md or index.md), since books published with mdBook link so.
 */
function chapterAt(abs: string, targets: Targets): ParsedChapter | undefined {
  const rel = (p: string) => path.relative(targets.root, p).split(path.sep).join('/');
  const direct = targets.bySource.get(rel(abs));
  if (direct) return direct;
  const source = mdSourceOf(abs);
  if (!source) return undefined;
  const page = targets.bySource.get(rel(source));
  if (page || path.basename(source) !== 'index.md') return page;
  return targets.bySource.get(rel(path.join(path.dirname(source), 'README.md')));
}

/** `x.html` → `x.md`: the source mdBook renders to a page. */
function mdSourceOf(abs: string): string | undefined {
  return /\.html?$/i.test(abs) ? abs.replace(/\.html?$/i, '.md') : undefined;
}

/** Percent-decoded and in Unicode NFC, as ids are (ids.ts): `#caf%C3%A9` and a decomposed `#café` both find `café`. */
function decodeFragment(s: string): string {
  try {
    return decodeURIComponent(s).normalize('NFC');
  } catch {
    return s.normalize('NFC');
  }
}
