/**
 * Characters no shipped font can draw. Chromium would silently take them from a system font (or
 * draw a box), so the printed book would depend on the machine; instead each one is reported with
 * the chapter file, line and a snippet of the text around it.
 */
import path from 'node:path';
import type { Element, ElementContent, Root, Text } from 'hast';
import { type Diagnostic, warning } from '../../diagnostics.ts';
import { uncoveredCodePoints } from '../../fonts/coverage.ts';
import type { Book } from '../../model/book.ts';
import { CODE_TAGS, chapterTrees } from '../../model/trees.ts';

type Parent = Root | Element;

/** Text nodes with their ancestors (unist-util-visit gives only the parent). */
function eachText(tree: Parent, fn: (node: Text, ancestors: Parent[]) => void, ancestors: Parent[] = []): void {
  for (const child of tree.children as (ElementContent | Root['children'][number])[]) {
    if (child.type === 'text') fn(child, [...ancestors, tree]);
    else if (child.type === 'element') eachText(child, fn, [...ancestors, tree]);
  }
}

const describe = (cp: number) => `"${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;

export function missingGlyphWarnings(book: Book, cache = true): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const chapter of book.chapters) {
    const seen = new Set<number>();
    for (const tree of chapterTrees(chapter)) {
      eachText(tree, (node, ancestors) => {
        const elements = ancestors.filter((a): a is Element => a.type === 'element');
        // Code and math fall back to the text face (print.css), so a character is missing only if all lack it.
        const role = elements.some((a) => a.tagName === 'math') ? 'math' : elements.some((a) => CODE_TAGS.has(a.tagName)) ? 'mono' : 'text';
        const used = new Set([...node.value].map((ch) => ch.codePointAt(0) as number));
        const missing = uncoveredCodePoints(used, role, cache);
        for (const cp of missing) {
          if (seen.has(cp)) continue;
          seen.add(cp);
          const at = node.value.indexOf(String.fromCodePoint(cp));
          const snippet = node.value
            .slice(Math.max(0, at - 20), at + 20)
            .replace(/\s+/g, ' ')
            .trim();
          const holder = [...ancestors].reverse().find((a) => a.position);
          const pos = node.position ?? holder?.position;
          out.push(
            warning(
              'pdf/missing-glyph',
              `no shipped font has the character ${describe(cp)}, used in chapter "${chapter.title}" ("…${snippet}…"); the PDF takes it from a system font`,
              { file: path.join(book.root, chapter.source), ...(pos ? { line: pos.start.line, column: pos.start.column } : {}) },
              'Replace the character with one the shipped fonts have; a book stylesheet cannot add fonts (it may not load files).',
            ),
          );
        }
      });
    }
  }
  return out;
}
