/**
 * The pure parts of the press file and the cover, without a browser or Ghostscript: the EAN-13 of an
 * ISBN, the cover's geometry, the gray output profile, the neutral-colour rewrite of content streams,
 * flattening soft masks onto white, and rounding page counts to signatures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, type PDFNumber, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { kdpMinimumGutterPt } from '../../src/check/press-preflight.ts';
import { parseTrim } from '../../src/config/units.ts';
import type { Book } from '../../src/model/book.ts';
import { barcodeLayout, MODULE_PT } from '../../src/outputs/cover/barcode.ts';
import { bars, decodeEan13, ean13CheckDigit, ean13Modules } from '../../src/outputs/cover/ean13.ts';
import { coverGeometry, DEFAULT_COVER_BLEED_PT, MIN_SPINE_TEXT_PAGES } from '../../src/outputs/cover/geometry.ts';
import { spineFontSize } from '../../src/outputs/cover/page.ts';
import { compositeOnWhite, flattenImageMasks, transparentPages } from '../../src/outputs/press/flatten.ts';
import { dotGain, GRAY_PROFILE_DESCRIPTION, grayOutputProfile, grayToY } from '../../src/outputs/press/gray-profile.ts';
import { neutralRgbToGray } from '../../src/outputs/press/neutral-gray.ts';
import { ICC_DIR, OUTPUT_INTENTS } from '../../src/outputs/press/pdfx.ts';
import { paddedPageCount, padToSignature } from '../../src/outputs/press/signature.ts';

const bookWith = (print: Partial<Book['metadata']['print']>): Book =>
  ({
    metadata: {
      print: {
        trim: parseTrim('6x9in'),
        bleedPt: 0,
        marks: 'none',
        notes: 'footnotes',
        color: 'gray',
        paper: 'white',
        pagePt: 0.002252 * 72,
        signature: 2,
        ...print,
      },
    },
  }) as unknown as Book;

describe('EAN-13', () => {
  it('encodes the GS1 example and reads its bars back', () => {
    // GS1's worked example 4006381333931 (first digit 4: L G L L G G), the fixture's ISBN and another.
    for (const code of ['4006381333931', '9783161484100', '9780306406157']) {
      const modules = ean13Modules(code);
      expect(modules).toHaveLength(95);
      expect(decodeEan13(modules)).toBe(code);
    }
    expect(ean13Modules('4006381333931').slice(0, 17)).toBe('10100011010100111');
    expect(ean13CheckDigit('978316148410')).toBe(0);
  });

  it('refuses a wrong check digit or length, and does not decode damaged bars', () => {
    expect(() => ean13Modules('9783161484101')).toThrow(/wrong check digit \(should end in 0\)/);
    expect(() => ean13Modules('97831614841')).toThrow(/13 digits/);
    const modules = ean13Modules('9783161484100');
    const flipped = `${modules.slice(0, 20)}${modules[20] === '1' ? '0' : '1'}${modules.slice(21)}`;
    expect(decodeEan13(flipped)).toBeUndefined();
  });

  it('groups dark modules into bars and lays them out inside the safe area', () => {
    expect(bars('0110100111')).toEqual([
      [1, 2],
      [4, 1],
      [7, 3],
    ]);
    const safe = { x: 27, y: 27, width: 396, height: 594 };
    const layout = barcodeLayout('9783161484100', safe);
    expect(layout.box.x + layout.box.width).toBeCloseTo(safe.x + safe.width);
    expect(layout.box.y).toBe(safe.y);
    expect(layout.box.width).toBeCloseTo(113 * MODULE_PT);
    expect(layout.humanReadable.map((d) => d.text)).toEqual(['9', '783161', '484100']);
  });
});

describe('cover geometry', () => {
  it('is 2 × trim + spine + 2 × bleed wide and trim + 2 × bleed high, for page counts and papers', () => {
    for (const [paper, perPage] of [
      ['white', 0.002252],
      ['cream', 0.0025],
    ] as const) {
      for (const pages of [24, 200, 612]) {
        const g = coverGeometry(bookWith({ paper, pagePt: perPage * 72, bleedPt: 9 }), pages);
        expect(g.spinePt / 72).toBeCloseTo(pages * perPage, 6);
        expect(g.sheet.width / 72).toBeCloseTo(2 * 6 + pages * perPage + 2 * 0.125, 6);
        expect(g.sheet.height / 72).toBeCloseTo(9 + 2 * 0.125, 6);
        expect(g.front.x + g.front.width + g.bleedPt).toBeCloseTo(g.sheet.width);
      }
    }
  });

  it('always has bleed, and spine text only from the minimum page count', () => {
    expect(coverGeometry(bookWith({ bleedPt: 0 }), 100).bleedPt).toBe(DEFAULT_COVER_BLEED_PT);
    expect(coverGeometry(bookWith({}), MIN_SPINE_TEXT_PAGES - 1).spineText).toBeUndefined();
    const thick = coverGeometry(bookWith({}), 400);
    expect(thick.spineText?.width).toBeCloseTo(thick.spinePt - 9);
    expect(thick.spineText && thick.spineText.x > thick.spine.x).toBe(true);
  });

  it('sets spine type no larger than the spine allows', () => {
    expect(spineFontSize('Pride and Prejudice — Jane Austen', { x: 0, y: 0, width: 60, height: 600 })).toBe(14);
    expect(spineFontSize('A Title — An Author', { x: 0, y: 0, width: 12, height: 600 })).toBeCloseTo(12 * 0.62);
    const long = 'A'.repeat(200);
    expect(spineFontSize(long, { x: 0, y: 0, width: 60, height: 600 }) * 200 * 0.52).toBeLessThanOrEqual(600 + 1e-9);
  });
});

describe('gray output profile', () => {
  it('adds 15 % dot gain at the 50 % tint and keeps paper white and solid black', () => {
    expect(dotGain(0.5)).toBeCloseTo(0.65);
    expect(grayToY(1)).toBe(1);
    expect(grayToY(0)).toBe(0);
    for (let g = 0; g < 1; g += 0.05) expect(grayToY(g + 0.05)).toBeGreaterThan(grayToY(g));
  });

  it('is an ICC v2 monochrome output profile, and the shipped file is exactly what the code makes', () => {
    const bytes = Buffer.from(grayOutputProfile());
    expect(bytes.readUInt32BE(0)).toBe(bytes.length);
    expect(bytes.toString('latin1', 12, 24)).toBe('prtrGRAYXYZ ');
    expect(bytes.toString('latin1', 36, 40)).toBe('acsp');
    const tags = Array.from({ length: bytes.readUInt32BE(128) }, (_, i) => bytes.toString('latin1', 132 + 12 * i, 136 + 12 * i));
    expect(tags).toEqual(['desc', 'cprt', 'wtpt', 'kTRC']);
    expect(bytes.includes(Buffer.from(GRAY_PROFILE_DESCRIPTION))).toBe(true);
    expect(OUTPUT_INTENTS.gray.profile).toEqual({ shipped: 'colophon-gray-dotgain15.icc' });
    expect(fs.readFileSync(path.join(ICC_DIR, 'colophon-gray-dotgain15.icc')).equals(bytes)).toBe(true);
  });
});

describe('neutral RGB to DeviceGray', () => {
  it('rewrites r = g = b fill and stroke colours and nothing else', () => {
    const src = '.102 .102 .102 rg 0 0 0 RG 1 0 0 rg /F1 12 Tf (0 0 0 rg) Tj <0 0 0 rg> Tj % 1 1 1 rg\n0.5 .50 0.500 rg';
    const out = neutralRgbToGray(src);
    expect(out.changed).toBe(3);
    expect(out.text).toBe('.102 g 0 G 1 0 0 rg /F1 12 Tf (0 0 0 rg) Tj <0 0 0 rg> Tj % 1 1 1 rg\n0.5 g');
  });

  it('skips strings with nested and escaped parentheses, dictionaries and inline images', () => {
    const src = '(a (b) \\) 1 1 1 rg) Tj /P <</MCID 0>> BDC 1 1 1 rg BI /W 1 /H 1 ID \x01 1 1 rg EI 0 0 0 RG';
    expect(neutralRgbToGray(src).text).toBe('(a (b) \\) 1 1 1 rg) Tj /P <</MCID 0>> BDC 1 g BI /W 1 /H 1 ID \x01 1 1 rg EI 0 G');
  });
});

describe('flattening soft masks', () => {
  it('composites samples over white by their alpha', () => {
    expect([...compositeOnWhite(new Uint8Array([0, 0, 0, 100, 100, 100]), new Uint8Array([255, 0]), 3)]).toEqual([0, 0, 0, 255, 255, 255]);
    expect([...compositeOnWhite(new Uint8Array([0]), new Uint8Array([128]), 1)]).toEqual([127]);
  });

  it('removes the mask from a Flate image and reports no transparency left', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([100, 100]);
    const png = await doc.embedPng(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR42mNgYGD4z8DAwMAAAAYAAv/wAAAAAElFTkSuQmCC', 'base64'));
    page.drawImage(png, { x: 0, y: 0, width: 10, height: 10 });
    const saved = await PDFDocument.load(await doc.save());
    expect(transparentPages(saved)).toEqual([1]);
    expect(flattenImageMasks(saved)).toEqual({ flattened: 1, left: 0 });
    expect(transparentPages(saved)).toEqual([]);
    const image = [...saved.context.enumerateIndirectObjects()]
      .map(([, o]) => o)
      .find((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype'))?.toString() === '/Image');
    if (!image) throw new Error('no image in the PDF');
    expect(image.dict.has(PDFName.of('SMask'))).toBe(false);
    expect((image.dict.get(PDFName.of('Width')) as PDFNumber).asNumber()).toBe(2);
  });
});

describe('KDP gutter table', () => {
  it('widens the inside margin with the page count', () => {
    expect([24, 150, 151, 300, 301, 500, 501, 700, 701, 828].map((n) => kdpMinimumGutterPt(n) / 72)).toEqual([
      0.375, 0.375, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875, 0.875,
    ]);
  });
});

describe('signatures', () => {
  it('rounds page counts up to even or to the signature, and pads a PDF with blank pages that keep the boxes', async () => {
    expect([13, 14, 15, 16].map((n) => paddedPageCount(n, 2))).toEqual([14, 14, 16, 16]);
    expect([13, 16, 17].map((n) => paddedPageCount(n, 4))).toEqual([16, 16, 20]);
    expect(paddedPageCount(33, 32)).toBe(64);
    const doc = await PDFDocument.create();
    for (let i = 0; i < 5; i++) {
      const p = doc.addPage([400, 600]);
      p.setTrimBox(9, 9, 382, 582);
    }
    expect(padToSignature(doc, 4)).toBe(3);
    expect(doc.getPageCount()).toBe(8);
    expect(doc.getPage(7).getTrimBox()).toEqual({ x: 9, y: 9, width: 382, height: 582 });
  });
});
