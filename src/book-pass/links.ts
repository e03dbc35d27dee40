/**
 * Links between chapters: `other.md#section`, `#section` and `other.md` become in-book fragment links
 * (`#section`, through the rename table of the chapter that holds the target), and every in-book
 * link must land on an element that exists. Web addresses stay as they are; a link to a local file
 * that is not a chapter is kept with a warning, since it will not work in a published book.
 */
import path from 'node:path';
import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import { error, warning } from '../diagnostics.ts';
import { chapterTrees } from '../model/trees.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';
import { chapterDir, elementLocation, type PassContext } from './context.ts';
import type { BookIds } from './ids.ts';

type LinkTarget = { kind: 'internal'; id: string } | { kind: 'external' } | { kind: 'missing-chapter'; file: string } | { kind: 'local-file'; file: string };

/** What a link can point at: the chapters by source path, and how each chapter's ids were renamed. */
interface Targets {
  root: string;
  bySource: Map<string, ParsedChapter>;
  ids: BookIds;
}

export function resolveLinks(parsed: ParsedChapter[], ids: BookIds, ctx: PassContext): void {
  const targets: Targets = { root: ctx.root, bySource: new Map(parsed.map((c) => [c.source, c])), ids };
  for (const chapter of parsed) {
    const file = ctx.sourcePath(chapter.source);
    const dir = chapterDir(ctx, chapter.source);
    for (const tree of chapterTrees(chapter)) {
      visit(tree, 'element', (node: Element) => {
        if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
        const target = resolveLink(node.properties.href, { chapterId: chapter.id, dir }, targets);
        const at = elementLocation(file, node);
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
      });
    }
  }
}

function resolveLink(href: string, from: { chapterId: string; dir: string }, targets: Targets): LinkTarget {
  const renamed = (chapterId: string, id: string) => targets.ids.renames.get(chapterId)?.get(id) ?? id;
  if (href.startsWith('#')) return { kind: 'internal', id: renamed(from.chapterId, decodeFragment(href.slice(1))) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return { kind: 'external' };
  const [filePart = '', fragment] = href.split('#', 2);
  const abs = path.resolve(from.dir, decodeFragment(filePart));
  const rel = path.relative(targets.root, abs).split(path.sep).join('/');
  const target = targets.bySource.get(rel);
  if (!target) return /\.(md|markdown)$/i.test(filePart) ? { kind: 'missing-chapter', file: filePart } : { kind: 'local-file', file: filePart };
  if (!fragment) return { kind: 'internal', id: target.id };
  return { kind: 'internal', id: renamed(target.id, decodeFragment(fragment)) };
}

/** Percent-decoded and in Unicode NFC, as ids are (ids.ts): `#caf%C3%A9` and a decomposed `#café` both find `café`. */
function decodeFragment(s: string): string {
  try {
    return decodeURIComponent(s).normalize('NFC');
  } catch {
    return s.normalize('NFC');
  }
}
