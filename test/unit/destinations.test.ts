/**
 * Named destinations in any script: Chromium names a destination after the link's percent-encoded
 * fragment, and measuring and the outline must find it under that name. The PDFs here are made with
 * pdf-lib the way Chromium writes them (names as the probe in destinations.ts observed).
 */
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { destinationName, MAX_NAME_BYTES, pdfDestinationName, shortenDestinations } from '../../src/outputs/pdf/destinations.ts';
import { setOutline } from '../../src/outputs/pdf/finish.ts';
import { measure } from '../../src/outputs/pdf/measure.ts';

/** A two-page PDF with a named destination per entry: Chromium's name → page index. */
async function pdfWithDests(dests: Record<string, number>): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const pages = [doc.addPage([400, 600]), doc.addPage([400, 600])];
  const names = doc.context.obj({});
  for (const [name, page] of Object.entries(dests)) {
    names.set(PDFName.of(name), doc.context.obj([pages[page]?.ref, PDFName.of('XYZ'), 0, 500, 0]));
  }
  doc.catalog.set(PDFName.of('Dests'), doc.context.register(names));
  return PDFDocument.load(await doc.save());
}

describe('PDF destination names', () => {
  it('are the percent-encoded UTF-8 fragment, as Chromium writes them, for every script', () => {
    // Measured in Chromium 156 (test/languages.test.ts prints real books in these scripts).
    expect(destinationName('été')).toBe('%C3%A9t%C3%A9');
    expect(destinationName('e\u0301te\u0301')).toBe('e%CC%81te%CC%81');
    expect(destinationName('פרק-ראשון')).toBe('%D7%A4%D7%A8%D7%A7-%D7%A8%D7%90%D7%A9%D7%95%D7%9F');
    expect(destinationName('第一章')).toBe('%E7%AC%AC%E4%B8%80%E7%AB%A0');
    expect(destinationName('plain-ascii_1.2')).toBe('plain-ascii_1.2');
    expect(destinationName('q"x')).toBe('q%22x');
    expect(destinationName('a%20b')).toBe('a%20b');
  });

  it('are how measuring finds the page of an id in any script', async () => {
    const doc = await pdfWithDests({ contents: 0, '%C3%A9t%C3%A9': 1, '%D7%A4%D7%A8%D7%A7': 1, other: 0 });
    const { landings } = measure(doc, ['contents', 'été', 'פרק', 'missing']);
    expect(Object.fromEntries([...landings].map(([id, l]) => [id, l.page]))).toEqual({ contents: 0, été: 1, פרק: 1 });
    expect(landings.get('été')?.top).toBe(100);
  });

  it('are what the outline points to', async () => {
    const doc = await pdfWithDests({ contents: 0, '%C3%A9t%C3%A9': 1 });
    const entry = { id: 'été', chapterId: 'ch', depth: 1 as const, title: 'Été', children: [] };
    setOutline(doc, { outline: [entry], contentsId: 'contents', contentsTitle: 'Table', firstChapterPage: 1 });
    const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    const last = outlines.lookup(PDFName.of('Last'), PDFDict);
    const dest = last.get(PDFName.of('Dest'));
    expect(dest).toBeInstanceOf(PDFName);
    const dests = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
    expect(dests.has(dest as PDFName)).toBe(true);
  });

  it('are shortened past 127 bytes, in the destinations, the links and the outline alike', async () => {
    const id = '第一章-一个很长很长的标题-它超过了名字的长度限制';
    const long = destinationName(id);
    expect(long.length).toBeGreaterThan(MAX_NAME_BYTES);
    const doc = await pdfWithDests({ contents: 0, [long]: 1 });
    const page = doc.getPage(0);
    const link = doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], Dest: PDFName.of(long) });
    page.node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(link)]));
    shortenDestinations(doc);
    const names = [...doc.catalog.lookup(PDFName.of('Dests'), PDFDict).keys()].map((n) => n.decodeText());
    expect(names).toEqual(['contents', pdfDestinationName(id)]);
    expect(pdfDestinationName(id).length).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect((link.get(PDFName.of('Dest')) as PDFName).decodeText()).toBe(pdfDestinationName(id));
    expect(measure(doc, ['contents']).landings.get('contents')?.page).toBe(0);
  });
});
