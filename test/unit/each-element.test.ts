/** eachElement (model/trees.ts) stands in for `visit(tree, 'element', …)`: same order, same answers to SKIP and to a returned index. */
import fc from 'fast-check';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { SKIP as VISIT_SKIP, visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { eachElement, SKIP } from '../../src/model/trees.ts';

type Action = 'go' | 'skip' | 'unwrap' | 'drop';

/** A random tree whose elements carry what the visitor does there (in a data attribute). */
const tree: fc.Arbitrary<ElementContent> = fc.letrec<{ node: ElementContent }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 3 }).map((value) => ({ type: 'text' as const, value })),
    fc
      .tuple(fc.constantFrom('p', 'span', 'a', 'em'), fc.constantFrom<Action>('go', 'skip', 'unwrap', 'drop'), fc.array(tie('node'), { maxLength: 4 }))
      .map(([tag, action, children]) => h(tag, { dataAction: action }, children)),
  ),
})).node;

/** The same visitor for both walkers: records what it sees, and skips, unwraps or drops as told. */
function visitor(seen: string[], skip: 'skip') {
  return (node: Element, index: number | undefined, parent: Root | Element | undefined): 'skip' | number | undefined => {
    seen.push(`${node.tagName}@${index}:${node.properties.dataAction}`);
    const action = node.properties.dataAction as Action;
    if (action === 'skip') return skip;
    if ((action === 'unwrap' || action === 'drop') && parent && index !== undefined) {
      parent.children.splice(index, 1, ...(action === 'unwrap' ? node.children : []));
      return index;
    }
    return undefined;
  };
}

describe('eachElement', () => {
  it('walks, skips and follows changed children as visit does', () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 5 }), (children) => {
        const a: Root = { type: 'root', children: structuredClone(children) };
        const b: Root = { type: 'root', children: structuredClone(children) };
        const seenA: string[] = [];
        const seenB: string[] = [];
        visit(a, 'element', visitor(seenA, VISIT_SKIP));
        eachElement(b, visitor(seenB, SKIP));
        expect(seenB).toEqual(seenA);
        expect(b).toEqual(a);
      }),
      { numRuns: 1000 },
    );
  });

  it('walks nothing in a text node given as the tree, as visit does', () => {
    const seen: string[] = [];
    eachElement({ type: 'text', value: 'x' } as unknown as Element, (node) => {
      seen.push(node.tagName);
    });
    visit({ type: 'text', value: 'x' } as unknown as Element, 'element', (node: Element) => {
      seen.push(node.tagName);
    });
    expect(seen).toEqual([]);
  });

  it('visits an element given as the tree itself, without index or parent', () => {
    const seen: string[] = [];
    eachElement(h('div', [h('p', 'x')]), (node, index) => {
      seen.push(`${node.tagName}@${index}`);
    });
    expect(seen).toEqual(['div@undefined', 'p@0']);
  });
});
