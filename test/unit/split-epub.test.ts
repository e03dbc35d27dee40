/** Splitting large chapters for the EPUB, without a browser: where it cuts, what it packs, where notes go. */
import fc from 'fast-check';
import type { ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import type { Chapter } from '../../src/model/book.ts';
import { boundBytes, chapterPieces, splitAtSections } from '../../src/outputs/epub/split.ts';

/** Every node weighs its text length, so sizes are easy to reason about. */
const sizeOf = (n: ElementContent) => (n.type === 'element' ? JSON.stringify(n.children).length : 0);
const p = (n: number) => h('p', 'x'.repeat(n - 13));
const names = (runs: ElementContent[][]) =>
  runs.map((run) => run.map((n) => (n.type === 'element' ? `${n.tagName}${n.properties.id ? `#${n.properties.id}` : ''}` : '_')).join(' '));

describe('splitAtSections', () => {
  it('leaves a chapter under the limit whole', () => {
    const nodes = [h('h1', 'T'), p(100), h('h2', 'S'), p(100)];
    expect(splitAtSections(nodes, sizeOf, 1000)).toEqual([nodes]);
  });

  it('cuts at h2 and packs consecutive sections up to the limit', () => {
    const nodes = [h('h1#t', 'T'), p(300), h('h2#a', 'A'), p(300), h('h2#b', 'B'), p(300), h('h2#c', 'C'), p(300)];
    expect(names(splitAtSections(nodes, sizeOf, 700))).toEqual(['h1#t p h2#a p', 'h2#b p h2#c p']);
  });

  it('cuts a section still too large at its h3, then between blocks, never inside one', () => {
    const nodes = [h('h1#t', 'T'), p(100), h('h2#a', 'A'), p(500), h('h3#a1', 'A1'), p(500), p(500), h('h2#b', 'B'), p(2000)];
    // h2#b is not left at the end of a file: it goes with its text, even over the limit.
    expect(names(splitAtSections(nodes, sizeOf, 700))).toEqual(['h1#t p h2#a p', 'h3#a1 p', 'p', 'h2#b p']);
  });

  it('keeps white space with the block before it when cutting between blocks', () => {
    const nodes: ElementContent[] = [p(500), { type: 'text', value: '\n' }, p(500), { type: 'text', value: '\n' }];
    expect(names(splitAtSections(nodes, sizeOf, 600))).toEqual(['p _', 'p _']);
  });
});

describe('chapterPieces', () => {
  const ref = (id: string) => h('sup', [h('a', { href: `#n-${id}`, id: `r-${id}` }, id)]);
  const chapter = (): Chapter => ({
    id: 'c',
    title: 'C',
    source: 'c.md',
    level: 1,
    hast: {
      type: 'root',
      children: [h('h1#c-title', 'C'), h('p', ['a', ref('1')]), h('h2#s', 'S'), h('p', ['b', ref('2'), ref('1b')]), h('p', 'y'.repeat(4000))],
    },
    footnotes: [
      { id: 'n-1', refIds: ['r-1', 'r-1b'], label: '1', content: [h('p', 'one')] },
      { id: 'n-2', refIds: ['r-2'], label: '2', content: [h('p', 'two '.repeat(400))] },
    ],
  });

  it('is one piece with every note when the chapter is small', () => {
    const c = chapter();
    expect(chapterPieces(c)).toEqual([{ nodes: c.hast.children, notes: c.footnotes }]);
  });

  it('puts each note in the piece that cites it first', () => {
    const pieces = chapterPieces(chapter(), 2500);
    expect(pieces.length).toBeGreaterThan(1);
    const holding = (id: string) => pieces.findIndex((piece) => JSON.stringify(piece.nodes).includes(`"id":"${id}"`));
    expect(holding('r-1')).toBe(0);
    expect(holding('r-2')).toBeGreaterThan(0);
    expect(pieces[0]?.notes.map((n) => n.id)).toEqual(['n-1']);
    expect(pieces[holding('r-2')]?.notes.map((n) => n.id)).toEqual(['n-2']);
    expect(pieces.flatMap((piece) => piece.notes.map((n) => n.id)).sort()).toEqual(['n-1', 'n-2']);
    // Nothing lost or repeated: the pieces are the chapter's nodes in order.
    expect(pieces.flatMap((piece) => piece.nodes)).toEqual(chapter().hast.children);
  });
});

describe('boundBytes', () => {
  const chapterOf = (children: ElementContent[]): Chapter => ({
    id: 'c',
    title: 'C',
    source: 'c.md',
    level: 1,
    hast: { type: 'root', children },
    footnotes: [],
  });
  const text = fc.string({ unit: fc.constantFrom('a', ' ', '"', '&', '<', '>', "'", 'é', '€', '😀', '\u00a0', '\u00ad') });
  const props = fc.record(
    {
      id: text,
      className: fc.array(text, { maxLength: 3 }),
      href: text,
      ariaDescribedBy: text,
      dataNoteRef: text,
      title: text,
      hidden: fc.boolean(),
      colSpan: fc.integer({ min: 1, max: 99 }),
    },
    { requiredKeys: [] },
  );
  const tree: fc.Arbitrary<ElementContent> = fc.letrec<{ node: ElementContent }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text.map((value) => ({ type: 'text' as const, value })),
      fc
        .tuple(fc.constantFrom('p', 'a', 'em', 'sup', 'td', 'blockquote', 'br'), props, fc.array(tie('node'), { maxLength: 4 }))
        .map(([tag, properties, children]) => h(tag, properties as Record<string, string>, tag === 'br' ? [] : children)),
    ),
  })).node;

  it('is never below the serialised size, whatever the text and attributes', () => {
    fc.assert(
      fc.property(tree, (node) => {
        expect(boundBytes(node)).toBeGreaterThanOrEqual(Buffer.byteLength(toHtml(node), 'utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a small chapter whole without measuring it exactly, and still splits a large one', () => {
    const small = chapterOf([h('h1', 'One'), ...Array.from({ length: 50 }, () => h('p', 'A short paragraph “with quotes” & an ampersand.'))]);
    expect(chapterPieces(small, 300 * 1024)).toHaveLength(1);
    const large = chapterOf([h('h1', 'One'), ...Array.from({ length: 40 }, (_, i) => [h('h2', `Part ${i}`), h('p', 'x'.repeat(10_000))]).flat()]);
    expect(chapterPieces(large, 100 * 1024).length).toBeGreaterThan(3);
  });
});
