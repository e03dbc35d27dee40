/**
 * A chapter is a file (or, in a single-file book, a part of one), whatever heading level its author
 * used: converted books often open every chapter file with `## CHAPTER 1.`, and one file with `#`
 * must not make the files after it its sections. So the chapter's first heading becomes its title,
 * an h1 (set as a chapter opening in every output), and the headings after it keep their distance
 * from it: `##` then `###` becomes h1 then h2. A later heading as high as the title or higher is
 * kept inside the chapter as an h2, with a warning.
 *
 * Skipped levels (h1 → h4) are reported, as DAISY Ace's `heading-order` rule does for the EPUB: a
 * screen reader's outline shows a gap there.
 */
import type { Heading, Root } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from './messages.ts';

type Depth = Heading['depth'];

const marks = (depth: number) => '#'.repeat(depth);

export function normaliseChapterHeadings(tree: Root, file: VFile): void {
  const headings: Heading[] = [];
  visit(tree, 'heading', (node: Heading) => {
    headings.push(node);
  });
  const [title, ...rest] = headings;
  if (!title) return;
  const shift = title.depth - 1;
  const written = new Map(headings.map((h) => [h, h.depth]));
  title.depth = 1;
  for (const h of rest) {
    const depth = h.depth - shift;
    if (depth < 2) {
      report(
        file,
        'warning',
        'heading/above-chapter',
        `heading "${mdastToString(h)}" (${marks(h.depth)}) is as high as the chapter's title "${mdastToString(title)}" (${marks(written.get(title) as number)}); it is set as a section of this chapter`,
        h,
        'Each chapter file is one chapter: start a new file for a new chapter, or use a deeper heading here.',
      );
    }
    h.depth = Math.min(6, Math.max(2, depth)) as Depth;
  }
  let previous = title;
  for (const h of rest) {
    if (h.depth > previous.depth + 1) {
      const wanted = (written.get(previous) as number) + 1;
      report(
        file,
        'warning',
        'heading/skipped-level',
        `heading "${mdastToString(h)}" skips a level: h${previous.depth} → h${h.depth} (after "${mdastToString(previous)}"); screen readers' outlines show a gap`,
        h,
        `Write it as ${marks(wanted)} (one level below the heading before it), or add the missing level.`,
      );
    }
    previous = h;
  }
}
