/**
 * Printing a long book in parts (outputs/pdf/print-parts.ts) and joining the parts into one tagged
 * PDF (outputs/pdf/join-prints.ts), without a browser: the joined file is checked object by object
 * on small PDFs built here the way Chromium writes them (a /Document element under the structure
 * root, a flat parent tree, /StructParent on link annotations, catalog /Dests, subset-tagged fonts).
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, type PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { joinPrints } from '../../src/outputs/pdf/join-prints.ts';
import { MAX_PAGES_PER_PRINT, printLanes, printParts, showPagesScript } from '../../src/outputs/pdf/print-parts.ts';

describe('printParts', () => {
  it('prints a book up to the limit at once', () => {
    expect(printParts(1, 500)).toEqual([[0, 1]]);
    expect(printParts(418)).toEqual([[0, 418]]);
    expect(printParts(MAX_PAGES_PER_PRINT)).toEqual([[0, MAX_PAGES_PER_PRINT]]);
  });

  it('splits a longer one into balanced parts that each start on a recto (even index)', () => {
    expect(printParts(1765, 500)).toEqual([
      [0, 442],
      [442, 882],
      [882, 1324],
      [1324, 1765],
    ]);
    for (const [n, max] of [
      [11, 4],
      [501, 500],
      [1000, 3],
      [7, 2],
    ] as const) {
      const parts = printParts(n, max);
      expect(parts[0]?.[0]).toBe(0);
      expect(parts.at(-1)?.[1]).toBe(n);
      for (const [i, [from, to]] of parts.entries()) {
        expect(from % 2, `${n}/${max} part ${i}`).toBe(0);
        expect(to).toBeGreaterThan(from);
        if (i > 0) expect(from).toBe(parts[i - 1]?.[1]);
      }
      // Balanced: no part more than two pages longer than another, none past the limit (rounded to even).
      const sizes = parts.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(max + 2);
    }
  });

  it('prints parts in two tabs where there are two cores, never more tabs than parts', () => {
    expect(printLanes(1, 2)).toBe(1);
    expect(printLanes(4, 1)).toBe(1);
    expect(printLanes(4, 2)).toBe(2);
    expect(printLanes(3, 16)).toBe(2);
    expect(printLanes(2, 16)).toBe(2);
  });

  it("shows only the part's page boxes", () => {
    const script = showPagesScript([4, 8]);
    expect(script).toContain(':scope > div.page');
    expect(script).toContain('i >= 4 && i < 8');
  });
});

/**
 * A PDF of `pages` pages as Chromium writes one: page i has /StructParents i and a P element for its
 * text; page 0 has a link (its own parent-tree key) to destination `dest`, which page 1 defines.
 */
async function chromiumLike(label: string, pages: number, dest: { links: string; names: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const ctx = doc.context;
  const rootRef = ctx.nextRef();
  const documentRef = ctx.nextRef();
  const kids: PDFRef[] = [];
  const nums: (number | PDFRef | PDFArray)[] = [];
  const fontDescriptor = ctx.register(ctx.obj({ Type: 'FontDescriptor', FontName: 'AAAAAA+Serif' }));
  const font = ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'AAAAAA+Serif',
      DescendantFonts: [ctx.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'AAAAAA+Serif', FontDescriptor: fontDescriptor })],
    }),
  );
  let next = 0;
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([200, 300]);
    page.node.set(PDFName.of('StructParents'), PDFNumber.of(next));
    page.node.set(PDFName.of('Resources'), ctx.obj({ Font: { F1: font } }));
    const p = ctx.register(ctx.obj({ Type: 'StructElem', S: 'P', P: documentRef, Pg: page.ref, K: 0, Alt: PDFString.of(`${label} ${i}`) }));
    kids.push(p);
    nums.push(next++, ctx.obj([p]));
    if (i === 0) {
      const annot = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], Dest: PDFName.of(dest.links), StructParent: next }));
      page.node.set(PDFName.of('Annots'), ctx.obj([annot]));
      const link = ctx.register(
        ctx.obj({ Type: 'StructElem', S: 'Link', P: documentRef, Pg: page.ref, K: [ctx.obj({ Type: 'OBJR', Obj: annot, Pg: page.ref })] }),
      );
      kids.push(link);
      nums.push(next++, link);
    }
  }
  ctx.assign(documentRef, ctx.obj({ Type: 'StructElem', S: 'Document', P: rootRef, K: kids }));
  ctx.assign(rootRef, ctx.obj({ Type: 'StructTreeRoot', K: documentRef, ParentTree: ctx.register(ctx.obj({ Nums: nums })), ParentTreeNextKey: next }));
  doc.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
  const second = doc.getPage(Math.min(1, pages - 1));
  doc.catalog.set(PDFName.of('Dests'), ctx.register(ctx.obj({ [dest.names]: [second.ref, 'XYZ', 0, 300, 0] })));
  return doc.save({ useObjectStreams: false });
}

describe('joinPrints', () => {
  it('returns a single part as it is', async () => {
    const one = await chromiumLike('a', 2, { links: 'x', names: 'x' });
    const doc = await joinPrints([one]);
    expect(doc.getPageCount()).toBe(2);
  });

  it('joins pages, the structure tree, structure parents, destinations and font names', async () => {
    // Part 1 links to a destination part 2 defines, and the other way round.
    const doc = await joinPrints([await chromiumLike('a', 2, { links: 'in-b', names: 'in-a' }), await chromiumLike('b', 3, { links: 'in-a', names: 'in-b' })]);
    const ctx = doc.context;
    const pages = doc.getPages();
    expect(pages.length).toBe(5);
    const pageIndex = new Map(pages.map((p, i) => [p.ref.toString(), i]));

    // One structure root, one document element holding every part's elements, each pointing up to it.
    const roots = ctx
      .enumerateIndirectObjects()
      .filter(([, o]) => o instanceof PDFDict && o.lookupMaybe(PDFName.of('Type'), PDFName)?.decodeText() === 'StructTreeRoot');
    expect(roots.length).toBe(1);
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const documentRef = root.get(PDFName.of('K')) as PDFRef;
    const document = ctx.lookup(documentRef, PDFDict);
    const kids = document
      .lookup(PDFName.of('K'), PDFArray)
      .asArray()
      .map((k) => ctx.lookup(k as PDFRef, PDFDict));
    expect(kids.map((k) => k.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText())).toEqual(['P', 'Link', 'P', 'P', 'Link', 'P', 'P']);
    for (const kid of kids) expect(kid.get(PDFName.of('P'))).toBe(documentRef);
    const documents = ctx
      .enumerateIndirectObjects()
      .filter(([, o]) => o instanceof PDFDict && o.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText() === 'Document');
    expect(documents.length).toBe(1);

    // Every page's /StructParents and the links' /StructParent find, in the one parent tree, the
    // elements of that page (text) or that link.
    const tree = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray);
    const entries = new Map<number, unknown>();
    for (let i = 0; i < tree.size(); i += 2) entries.set((tree.get(i) as PDFNumber).asNumber(), tree.get(i + 1));
    expect([...entries.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(root.lookup(PDFName.of('ParentTreeNextKey'), PDFNumber).asNumber()).toBe(7);
    const alts: string[] = [];
    for (const [i, page] of pages.entries()) {
      const key = page.node.lookup(PDFName.of('StructParents'), PDFNumber).asNumber();
      const marked = ctx
        .lookup(entries.get(key) as PDFArray, PDFArray)
        .asArray()
        .map((r) => ctx.lookup(r as PDFRef, PDFDict));
      expect(marked.length).toBe(1);
      const text = marked[0] as PDFDict;
      expect(pageIndex.get((text.get(PDFName.of('Pg')) as PDFRef).toString())).toBe(i);
      alts.push(text.lookup(PDFName.of('Alt'), PDFString).decodeText());
      const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      for (const a of annots?.asArray() ?? []) {
        const annot = ctx.lookup(a as PDFRef, PDFDict);
        const link = ctx.lookup(entries.get(annot.lookup(PDFName.of('StructParent'), PDFNumber).asNumber()) as PDFRef, PDFDict);
        expect(link.lookup(PDFName.of('S'), PDFName).decodeText()).toBe('Link');
        const objr = link.lookup(PDFName.of('K'), PDFArray).lookup(0, PDFDict);
        expect(objr.get(PDFName.of('Obj'))).toBe(a);
        expect(objr.get(PDFName.of('Pg'))).toBe(page.ref);
      }
    }
    expect(alts).toEqual(['a 0', 'a 1', 'b 0', 'b 1', 'b 2']);

    // Both destinations, each on the page that defines it; each link's name is one of them.
    const dests = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
    const on = (name: string) => pageIndex.get((dests.lookup(PDFName.of(name), PDFArray).get(0) as PDFRef).toString());
    expect(on('in-a')).toBe(1);
    expect(on('in-b')).toBe(3);

    // The second part's subsets are renamed: no two font dictionaries share a name.
    const fonts = ctx
      .enumerateIndirectObjects()
      .flatMap(([, o]) => (o instanceof PDFDict && o.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() === 'Type0' ? [o] : []));
    const names = fonts.map((f) => f.lookup(PDFName.of('BaseFont'), PDFName).decodeText());
    expect(names.length).toBe(2);
    expect(new Set(names).size).toBe(2);
    for (const f of fonts) {
      const base = f.lookup(PDFName.of('BaseFont'), PDFName).decodeText();
      const cid = f.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
      expect(cid.lookup(PDFName.of('BaseFont'), PDFName).decodeText()).toBe(base);
      expect(cid.lookup(PDFName.of('FontDescriptor'), PDFDict).lookup(PDFName.of('FontName'), PDFName).decodeText()).toBe(base);
      expect(base).toMatch(/^[A-Z]{6}\+Serif$/);
    }
  });

  it('joins untagged parts too', async () => {
    const plain = async (n: number) => {
      const d = await PDFDocument.create();
      for (let i = 0; i < n; i++) d.addPage([100, 100]);
      return d.save();
    };
    const doc = await joinPrints([await plain(2), await plain(1)]);
    expect(doc.getPageCount()).toBe(3);
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeUndefined();
  });
});
