import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBook } from '../src/book-pass/build-book.ts';
import { type CheckReport, checkFailed, runCheck } from '../src/check/check.ts';
import { epubcheck } from '../src/check/epubcheck.ts';
import { preflightPdf } from '../src/check/findings.ts';
import { scaffold } from '../src/init/scaffold.ts';
import { loadManuscript } from '../src/manuscript/load.ts';
import { aceCli } from '../src/outputs/epub/ace.ts';
import { runCli } from './helpers/cli.ts';
import { EPUBCHECK_JAR } from './helpers/epub.ts';
import { cleanupTempBooks, PNG_1x1, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const run = runCli;

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

const codes = (report: CheckReport) => report.findings.map((f) => `${f.area} ${f.code}`);
const status = (report: CheckReport) => Object.fromEntries(report.rows.map((r) => [r.area, r.status]));

describe('colophon check', () => {
  let clean: string;
  beforeAll(() => {
    clean = path.join(tempBook({}), 'clean');
    scaffold(clean, { title: 'Clean Book', date: '2025-01-15' });
    // A figure wide enough for 300 dpi at the 6×9 in text block (4.5 in), and outputs that are not the manuscript.
    fs.writeFileSync(path.join(clean, 'wide.png'), png(1400, 300));
    fs.appendFileSync(path.join(clean, '02-ending.md'), '\n![A wide figure](wide.png)\n');
    for (const stray of ['dist/old.png', 'editions/large-print/cover.png']) {
      fs.mkdirSync(path.dirname(path.join(clean, stray)), { recursive: true });
      fs.writeFileSync(path.join(clean, stray), PNG_1x1);
    }
  });

  it('passes a clean book in every part, EPUBCheck and PDF included, and prints JSON', async () => {
    const r = await run('check', clean, '--json');
    expect(r.code, r.out + r.err).toBe(0);
    const report = JSON.parse(r.out) as CheckReport;
    expect(report.findings).toEqual([]);
    expect(status(report)).toEqual({
      links: 'ok',
      images: 'ok',
      resolution: 'ok',
      glyphs: 'ok',
      epub: fs.existsSync(EPUBCHECK_JAR) ? 'ok' : 'skipped',
      a11y: aceCli() ? 'ok' : 'skipped',
      pdf: 'ok',
      press: 'ok',
      metadata: 'ok',
    });
    expect(report.rows.find((row) => row.area === 'press')?.note).toMatch(/^PDF\/X-1a, gray, \d+ pages$/);
    expect(report.rows.find((row) => row.area === 'pdf')?.note).toMatch(/\d+ pages of 432×648 pt/);
    expect(report.rows.find((row) => row.area === 'resolution')?.note).toBe('1 raster image(s)');
    // The printed pages' typography, measured by the page builder.
    expect(report.typography).toMatchObject({ widows: 0, orphans: 0, strandedHeadings: 0 });
    expect(report.typography?.pages).toBeGreaterThan(5);
    if (aceCli()) {
      // init's book names no publisher: Ace passes, yet nobody could certify a claim.
      expect(report.rows.find((row) => row.area === 'a11y')?.note).toMatch(
        /^DAISY Ace \d+\.\d+\.\d+: 0 violation\(s\) in \d+ s; no conformance claim: nobody certifies it/,
      );
    }
    expect(fs.existsSync(path.join(clean, 'dist', 'clean-book.pdf'))).toBe(false);
  }, 120_000);

  it('fails on broken links, anchors and missing images, and skips what needs a model', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Broken\n',
      'a.md': '# A\n\nSee [b](b.md#nope) and [c](c.md).\n\n![gone](missing.png)\n',
      'b.md': '# B\n',
    });
    const r = await run('check', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/links and anchors\s+FAIL {2}2 error\(s\)/);
    expect(r.out).toMatch(/images \(missing, unused\)\s+FAIL {2}1 error\(s\)/);
    expect(r.out).toMatch(/PDF preflight\s+skip\s+skipped: the manuscript has errors/);
    expect(r.err).toMatch(/a\.md:3:5: error: .*\[link\/missing-anchor\]/);
    expect(r.err).toMatch(/\[link\/missing-chapter\]/);
    expect(r.err).toMatch(/\[image\/missing\]/);
  });

  it('warns about unused and low-resolution images, uncovered characters and missing store metadata', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Warnings\n',
      'a.md': '# A\n\nA character no shipped font has: ‽.\n\n![small](small.png)\n',
      'small.png': png(300, 200),
      'images/unused.png': PNG_1x1,
      'dist/ignored.png': PNG_1x1,
    });
    const report = await runCheck({ input: dir, skip: ['pdf', 'epub'], env: {} });
    expect(report.ok).toBe(true);
    expect(codes(report).sort()).toEqual([
      'glyphs pdf/missing-glyph',
      'images check/unused-image',
      'metadata check/metadata',
      'metadata check/metadata',
      'metadata check/metadata',
      'metadata check/metadata',
      'metadata check/metadata',
      'metadata check/metadata',
      'resolution check/low-resolution',
    ]);
    const text = report.findings.map((f) => f.message).join('\n');
    expect(text).toContain('image "images/unused.png" is not used');
    expect(text).toMatch(/"small\.png" \(300×200 px\) prints 3\.13 in wide at 96 dpi/);
    for (const key of ['identifier', 'language', 'description', 'cover', 'author', 'edition.date']) expect(text).toContain(`no \`${key}:\``);
    expect(status(report)).toMatchObject({ links: 'ok', epub: 'skipped', pdf: 'skipped', glyphs: 'warning' });
    expect((await run('check', dir, '--skip', 'pdf,epub', '--strict')).code).toBe(1);
    expect((await run('check', dir, '--skip', 'docx')).code).toBe(2);
  });

  it.runIf(fs.existsSync(EPUBCHECK_JAR))('reports EPUBCheck errors, and skips it with advice when there is no EPUBCheck', async () => {
    const file = path.join(tempBook({ 'bad.epub': 'not a zip' }), 'bad.epub');
    const result = await epubcheck(file);
    expect(result.skipped).toBeUndefined();
    if (result.skipped === undefined) {
      expect(result.findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
      expect(result.findings[0]?.message).toMatch(/^EPUBCheck PKG-\d+/);
    }
    expect(await epubcheck(file, { ...process.env, EPUBCHECK_JAR: '/nonexistent/epubcheck.jar' })).toEqual({
      skipped: expect.stringMatching(/install Java \+ epubcheck/),
    });
  });

  it('a strict check fails when a part could not run for want of a tool, not when it was left out on purpose', async () => {
    const noEpubcheck = { ...process.env, EPUBCHECK_JAR: '/nonexistent/epubcheck.jar' };
    const missing = await runCheck({ input: clean, skip: ['pdf'], env: noEpubcheck });
    expect(missing.findings).toEqual([]);
    expect(missing.unchecked).toEqual(['epub']);
    expect(checkFailed(missing, false)).toBe(false);
    expect(checkFailed(missing, true)).toBe(true);
    const leftOut = await runCheck({ input: clean, skip: ['pdf', 'epub'], env: {} });
    expect(leftOut.unchecked).toEqual([]);
    expect(checkFailed(leftOut, true)).toBe(false);
  });

  it('preflight fails a PDF without print boxes, of the wrong size, or with fonts not embedded', async () => {
    const book = await buildBook(loadManuscript(clean), { env: {} });
    const made = await PDFDocument.create();
    made.addPage([400, 600]).drawText('Helvetica is not embedded', { font: await made.embedFont(StandardFonts.Helvetica) });
    // pdf-lib writes font dictionaries on save: check the saved file, as a print service would.
    const doc = await PDFDocument.load(await made.save());
    const page = doc.getPage(0);
    const bad = preflightPdf(doc, book, 'bad.pdf');
    expect(bad.findings.map((f) => f.message)).toEqual([
      'page(s) 1 has no TrimBox',
      'page(s) 1 has no BleedBox',
      'the PDF uses font Helvetica without embedding it',
    ]);
    page.setTrimBox(0, 0, 400, 600);
    page.setBleedBox(0, 0, 432, 648);
    expect(
      preflightPdf(doc, book, 'bad.pdf')
        .findings.map((f) => f.message)
        .slice(0, 2),
    ).toEqual(['page(s) 1 has a TrimBox other than the trim (432×648 pt)', 'page(s) 1 has a BleedBox outside its MediaBox']);
  });
});
