/**
 * What font selection needs to know about a chapter: every character it shows (text and alt text),
 * and whether it has code or math. Worked out once when the chapter is parsed and cached with it,
 * so a rebuild does not walk every chapter of a long book again.
 */
import type { Root, RootContent } from 'hast';
import { codePointsOf } from '../fonts/coverage.ts';
import { CODE_TAGS } from '../model/trees.ts';

export interface TextFacts {
  codePoints: number[];
  code: boolean;
  math: boolean;
}

export function textFacts(trees: (Root | RootContent)[]): TextFacts {
  const used = new Set<number>();
  let code = false;
  let math = false;
  // Iterative: chapter trees may be deep.
  const stack: (Root | RootContent)[] = [...trees];
  while (stack.length > 0) {
    const node = stack.pop() as Root | RootContent;
    if (node.type === 'text') codePointsOf(node.value, used);
    else if (node.type === 'element') {
      if (CODE_TAGS.has(node.tagName)) code = true;
      if (node.tagName === 'math') math = true;
      if (typeof node.properties.alt === 'string') codePointsOf(node.properties.alt, used);
    }
    if ('children' in node) stack.push(...node.children);
  }
  return { codePoints: [...used].sort((a, b) => a - b), code, math };
}
