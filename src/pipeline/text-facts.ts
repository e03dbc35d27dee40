/**
 * What font selection needs to know about a chapter: every character it shows (text and alt text),
 * those it sets in bold (a script's bold subsets are taken only for them), and whether it has code or math. Worked out once when the chapter is parsed and cached with it,
 * so a rebuild does not walk every chapter of a long book again.
 */
import type { Root, RootContent } from 'hast';
import { codePointsOf } from '../fonts/coverage.ts';
import { CODE_TAGS } from '../model/trees.ts';

export interface TextFacts {
  /** Characters shown outside code (code has its own font stack). */
  codePoints: number[];
  /** Characters shown inside code, kbd, samp, pre. */
  monoCodePoints: number[];
  /** Characters inside headings, strong, b and table headers, which the themes set bold. */
  boldCodePoints: number[];
  code: boolean;
  math: boolean;
}

const BOLD_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'th']);

export function textFacts(trees: (Root | RootContent)[]): TextFacts {
  const used = new Set<number>();
  const mono = new Set<number>();
  const bold = new Set<number>();
  let code = false;
  let math = false;
  // Iterative: chapter trees may be deep.
  const stack: [Root | RootContent, { bold: boolean; code: boolean }][] = trees.map((t) => [t, { bold: false, code: false }]);
  while (stack.length > 0) {
    const [node, inside] = stack.pop() as [Root | RootContent, { bold: boolean; code: boolean }];
    let within = inside;
    if (node.type === 'text') {
      codePointsOf(node.value, inside.code ? mono : used);
      if (inside.bold) codePointsOf(node.value, bold);
    } else if (node.type === 'element') {
      if (CODE_TAGS.has(node.tagName)) code = true;
      if (node.tagName === 'math') math = true;
      if (typeof node.properties.alt === 'string') codePointsOf(node.properties.alt, used);
      const isBold = BOLD_TAGS.has(node.tagName);
      if (isBold || CODE_TAGS.has(node.tagName)) within = { bold: inside.bold || isBold, code: inside.code || CODE_TAGS.has(node.tagName) };
    }
    if ('children' in node) for (const child of node.children) stack.push([child, within]);
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { codePoints: sorted(used), monoCodePoints: sorted(mono), boldCodePoints: sorted(bold), code, math };
}
