/**
 * The press file and the cover, end to end on the feature fixture (a real interior printed once with
 * one shared browser), read back with qpdf, poppler and Ghostscript: gray content streams paint text
 * `0 g` and hold no RGB, the PDF/X keys and output intent are there, Ghostscript re-renders the file,
 * the cover sheet has the size the spine equation gives, and the barcode's bars decode to the ISBN.
 * Page images at 100 dpi are compared with committed PNGs (UPDATE_PDF_SNAPSHOTS=1 rewrites them).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflightPress } from '../src/check/press-preflight.ts';
import type { Book } from '../src/model/book.ts';
import { MODULE_PT } from '../src/outputs/cover/barcode.ts';
import { decodeEan13 } from '../src/outputs/cover/ean13.ts';
import { renderCover } from '../src/outputs/cover.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { renderPdf } from '../src/outputs/pdf.ts';
import { renderPressFrom } from '../src/outputs/press.ts';
import { runCli } from './helpers/cli.ts';
import { bookOf, comparePng, MAX_DIFFERING_PIXELS, renderPng, writeTemp } from './helpers/pdf.ts';
import { cleanupTempBooks, FIXTURE_BOOK, tempBook } from './helpers/temp-book.ts';

const SNAPSHOTS = path.resolve('test/__snapshots__');

let browser: PrintBrowser;
let book: Book;
let interior: Uint8Array;
let press: Uint8Array;
let pressFile: string;

beforeAll(async () => {
  browser = await PrintBrowser.launch();
  book = await bookOf(FIXTURE_BOOK);
  interior = (await renderPdf(book, { browser })).bytes;
  press = await renderPressFrom(book, interior, () => {});
  pressFile = writeTemp(press, 'fixture.press.pdf');
}, 120_000);

afterAll(async () => {
  cleanupTempBooks();
  await browser?.close();
});

/** The file in qpdf's QDF form: uncompressed, for its dictionaries and Info keys. */
function qdf(file: string): string {
  const out = `${file}.qdf.pdf`;
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, out]);
  return fs.readFileSync(out, 'latin1');
}

/** Each page's content (its content streams, then the form XObjects in the file), decoded by qpdf. */
function contents(file: string): string[] {
  const json = JSON.parse(
    execFileSync('qpdf', ['--json=2', '--json-key=pages', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  ) as { pages: { contents: string[] }[]; qpdf: [unknown, Record<string, { stream?: { dict: Record<string, unknown>; data?: string } }>] };
  const objects = json.qpdf[1];
  const data = (ref: string) => Buffer.from(objects[`obj:${ref}`]?.stream?.data ?? '', 'base64').toString('latin1');
  const forms = Object.keys(objects)
    .filter((k) => objects[k]?.stream?.dict['/Subtype'] === '/Form')
    .map((k) => data(k.slice(4)));
  return [...json.pages.map((p) => p.contents.map(data).join('\n')), ...forms];
}

interface Op {
  op: string;
  args: string[];
}

/** Operators with their operands; strings and dictionaries stand as one placeholder operand. */
function operators(content: string): Op[] {
  const tokens = content
    .replace(/<<[^>]*>>/g, ' D ')
    .replace(/\((?:\\.|[^\\)])*\)/g, ' S ')
    .replace(/<[0-9A-Fa-f\s]*>/g, ' S ')
    .replace(/[[\]]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const ops: Op[] = [];
  let args: string[] = [];
  for (const t of tokens) {
    if (/^[-+]?[\d.]+$/.test(t) || t.startsWith('/') || t === 'S' || t === 'D') args.push(t);
    else {
      ops.push({ op: t, args });
      args = [];
    }
  }
  return ops;
}

const FILL = new Set(['g', 'rg', 'k', 'sc', 'scn', 'cs']);
const ALL_COLOUR = new Set(['g', 'G', 'rg', 'RG', 'k', 'K']);

/** Colour operators used anywhere, e.g. { g: 120, rg: 0 }. */
function colourOperators(file: string): Record<string, number> {
  const count: Record<string, number> = {};
  for (const c of contents(file)) for (const { op } of operators(c)) if (ALL_COLOUR.has(op)) count[op] = (count[op] ?? 0) + 1;
  return count;
}

/** The fill colour in force at each text-showing operator, following q/Q. */
function textFills(file: string): Map<string, number> {
  const fills = new Map<string, number>();
  for (const c of contents(file)) {
    let fill = 'unset';
    const stack: string[] = [];
    for (const { op, args } of operators(c)) {
      if (FILL.has(op)) fill = `${args.join(' ')} ${op}`;
      else if (op === 'q') stack.push(fill);
      else if (op === 'Q') fill = stack.pop() ?? fill;
      else if (op === 'Tj' || op === 'TJ' || op === "'" || op === '"') fills.set(fill, (fills.get(fill) ?? 0) + 1);
    }
  }
  return fills;
}

describe('the press file of a gray book', () => {
  it('paints all text solid black (0 g) and holds no RGB or CMYK colour', () => {
    const colours = colourOperators(pressFile);
    expect(colours.g).toBeGreaterThan(10);
    expect([colours.rg, colours.RG, colours.k, colours.K]).toEqual([undefined, undefined, undefined, undefined]);
    const fills = textFills(pressFile);
    expect([...fills.keys()]).toEqual(['0 g']);
    expect(fills.get('0 g')).toBeGreaterThan(100);
    // The interior it was made from painted the same text in RGB.
    expect([...textFills(writeTemp(interior, 'interior.pdf')).keys()]).toEqual(['0 0 0 rg']);
  });

  it('passes qpdf --check, carries GTS_PDFX keys and a gray output intent, and keeps the boxes', async () => {
    expect(execFileSync('qpdf', ['--check', pressFile], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
    const text = qdf(pressFile);
    expect(text).toContain('/GTS_PDFXVersion (PDF/X-1:2001)');
    expect(text).toContain('/GTS_PDFXConformance (PDF/X-1a:2001)');
    expect(text).toMatch(/\/S \/GTS_PDFX/);
    expect(text).toMatch(/\/DestOutputProfile \d+ 0 R/);
    expect(text).toContain('/Info (Colophon Gray - Dot Gain 15%)');
    expect(text).toMatch(/^%PDF-1\.3/);
    const doc = await PDFDocument.load(press, { updateMetadata: false });
    // The interior's pages, plus a blank when needed to make the count even (signature 2).
    const interiorPages = (await PDFDocument.load(interior, { updateMetadata: false })).getPageCount();
    expect(doc.getPageCount()).toBe(interiorPages + (interiorPages % 2));
    // The fixture asks for crop marks, which the preflight reports; nothing else.
    expect(preflightPress(doc, book, pressFile).map((f) => `${f.severity} ${f.code}`)).toEqual(['warning press/page-size']);
    const fonts = execFileSync('pdffonts', [pressFile], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(5);
    for (const f of fonts) expect(f).toMatch(/ yes +yes +yes /);
  });

  it('is re-rendered by Ghostscript page by page', async () => {
    const pages = (await PDFDocument.load(press, { updateMetadata: false })).getPageCount();
    const dir = path.dirname(pressFile);
    execFileSync('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=pnggray', '-r30', `-sOutputFile=${dir}/gs-%02d.png`, pressFile]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('gs-'))).toHaveLength(pages);
  });

  it('keeps live text on the page with an alpha-channel figure (no page turned into one image)', () => {
    const list = execFileSync('pdfimages', ['-list', pressFile], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const row of list) {
      const [, , type, width, height, color] = row.trim().split(/\s+/);
      expect(type).toBe('image');
      expect(color).toBe('gray');
      expect(Number(width) * Number(height)).toBeLessThan(2_000_000);
    }
  });

  it('gives the same bytes again', async () => {
    expect(Buffer.from(await renderPressFrom(book, interior, () => {})).equals(Buffer.from(press))).toBe(true);
  });

  it('looks right: the code page in black, weights for tokens (100 dpi snapshot)', () => {
    const page = execFileSync('pdftotext', ['-layout', pressFile, '-'], { encoding: 'utf8' })
      .split('\f')
      .findIndex((p) => p.includes('wordCount'));
    expect(page).toBeGreaterThan(0);
    expect(comparePng(renderPng(pressFile, page + 1), path.join(SNAPSHOTS, 'press-fixture-gray-code.png')).differing).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
  });
});

describe('the press file of other books', () => {
  const small = (print: string) =>
    tempBook({
      'book.yaml': `title: Small Press\nauthor: Ann Author\ndate: 2025-01-15\nprint:\n${print}`,
      'a.md': '# One\n\nBlack text, a [link](#one) and `code`.\n\n```js\nconst a = "string"; // comment\n```\n',
    });

  it('puts neutral colours of a CMYK book on the black plate alone', async () => {
    const dir = small('  color: cmyk\n  bleed: 0.125in\n');
    const r = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'press', '-q');
    expect(r.code, r.err).toBe(0);
    const file = path.join(dir, 'dist', 'small-press.press.pdf');
    // The PDF the press file is made from is rendered for it, but only what -t asked for is written.
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['small-press.press.pdf']);
    expect(qdf(file)).toMatch(/\/N 4/);
    const colours = colourOperators(file);
    expect([colours.rg, colours.RG]).toEqual([undefined, undefined]);
    // Body text in DeviceGray, which Ghostscript's DeviceGrayToK keeps on K alone; code keeps its colours as CMYK.
    expect(textFills(file).get('0 g')).toBeGreaterThan(5);
    expect(colours.k).toBeGreaterThan(0);
  }, 60_000);

  it('writes PDF/X-4 with its XMP identification when book.yaml asks, on a default build', async () => {
    const dir = small('  pdfx: x-4\n');
    const r = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-q');
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['small-press.epub', 'small-press.html', 'small-press.pdf', 'small-press.press.pdf']);
    const file = path.join(dir, 'dist', 'small-press.press.pdf');
    expect(fs.readFileSync(file, 'latin1').slice(0, 8)).toBe('%PDF-1.6');
    const text = qdf(file);
    expect(text).toContain('/GTS_PDFXVersion (PDF/X-4)');
    expect(text).toContain('<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>');
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
  }, 60_000);

  it('without Ghostscript: -t press says what to install, a default build warns and builds the rest', async () => {
    const dir = small('  pdfx: x-1a\n');
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'no-tools-here');
    try {
      const asked = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'press');
      expect(asked.code).toBe(1);
      expect(asked.err).toMatch(/Ghostscript \(gs\) is not installed.*\[press\/no-ghostscript\]/);
      expect(asked.err).toMatch(/apt-get install ghostscript/);
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
      const all = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'pdf,press');
      expect(all.code).toBe(1);
      const implicit = await runCli('build', dir, '-o', path.join(dir, 'dist'));
      expect(implicit.code, implicit.err).toBe(0);
      expect(implicit.err).toMatch(/warning: Ghostscript \(gs\) is not installed.*the other formats were built/);
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['small-press.epub', 'small-press.html', 'small-press.pdf']);
    } finally {
      process.env.PATH = saved;
    }
  }, 90_000);
});

/** Filled paths painted `0 g` taller than `minHeight` on page 1, as boxes (pdf-lib draws them as translated paths). */
function blackBars(file: string, minHeight: number): { x: number; width: number }[] {
  const bars: { x: number; width: number }[] = [];
  let state = { fill: '', dx: 0, dy: 0 };
  const stack: (typeof state)[] = [];
  let points: [number, number][] = [];
  for (const { op, args } of operators(contents(file)[0] ?? '')) {
    const n = args.map(Number);
    if (FILL.has(op)) state = { ...state, fill: `${args.join(' ')} ${op}` };
    else if (op === 'q') stack.push(state);
    else if (op === 'Q') state = stack.pop() ?? state;
    else if (op === 'cm') state = { ...state, dx: state.dx + (n[4] ?? 0), dy: state.dy + (n[5] ?? 0) };
    else if (op === 'm' || op === 'l') points.push([(n[0] ?? 0) + state.dx, (n[1] ?? 0) + state.dy]);
    else if (op === 're') {
      const [x = 0, y = 0, w = 0, h = 0] = n;
      points.push([x + state.dx, y + state.dy], [x + w + state.dx, y + h + state.dy]);
    } else if (op === 'f' || op === 'f*' || op === 'n' || op === 'S') {
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      if (op.startsWith('f') && state.fill === '0 g' && points.length > 0 && Math.max(...ys) - Math.min(...ys) > minHeight) {
        bars.push({ x: Math.min(...xs), width: Math.max(...xs) - Math.min(...xs) });
      }
      points = [];
    }
  }
  return bars.sort((a, b) => a.x - b.x);
}

describe('the cover', () => {
  it('is 2 × trim + spine + 2 × bleed by trim + 2 × bleed for 3 page counts on 2 papers', async () => {
    for (const [paper, inches] of [
      ['white', 0.002252],
      ['cream', 0.0025],
    ] as const) {
      const b: Book = { ...book, metadata: { ...book.metadata, print: { ...book.metadata.print, paper, pagePt: inches * 72 } } };
      for (const pages of [48, 212, 530]) {
        const { bytes } = await renderCover(b, { pageCount: pages, browser });
        const info = execFileSync('pdfinfo', ['-box', writeTemp(bytes, 'cover.pdf')], { encoding: 'utf8' });
        const [, w = '0', h = '0'] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? [];
        expect(Math.abs(Number(w) / 72 - (2 * 5.5 + pages * inches + 2 * 0.125)), `${paper} ${pages}`).toBeLessThan(0.01);
        expect(Math.abs(Number(h) / 72 - (8.5 + 2 * 0.125))).toBeLessThan(0.01);
        const [, x0 = '0', , x1 = '0'] = /TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(info) ?? [];
        expect(Math.abs((Number(x1) - Number(x0)) / 72 - (2 * 5.5 + pages * inches))).toBeLessThan(0.01);
      }
    }
  }, 120_000);

  it('draws the ISBN as vector bars that decode back to it', async () => {
    const { bytes, barcode } = await renderCover(book, { pageCount: 212, browser });
    expect(barcode?.digits).toBe('9783161484100');
    const bars = blackBars(writeTemp(bytes, 'cover.pdf'), 50);
    expect(bars).toHaveLength(30);
    const start = bars[0]?.x ?? 0;
    const modules = Array.from({ length: 95 }, () => '0');
    for (const bar of bars) {
      const first = Math.round((bar.x - start) / MODULE_PT);
      for (let i = 0; i < Math.round(bar.width / MODULE_PT); i++) modules[first + i] = '1';
    }
    expect(decodeEan13(modules.join(''))).toBe('9783161484100');
  }, 60_000);

  it('looks right: front image, spine text, back with blurb and barcode, guides (100 dpi snapshot)', async () => {
    const { bytes, warnings } = await renderCover(book, { pageCount: 320, guides: true, browser });
    expect(warnings.map((w) => w.code)).toEqual(['cover/low-resolution']);
    const file = writeTemp(bytes, 'cover.pdf');
    expect(comparePng(renderPng(file, 1), path.join(SNAPSHOTS, 'cover-fixture-320-pages.png')).differing).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
  }, 60_000);

  it('has a typographic front and no spine text on a thin book without a cover image, and becomes PDF/X with print.pdfx', async () => {
    const dir = tempBook({
      'book.yaml':
        'title: A Thin Book\nsubtitle: With a Subtitle\nauthor: Ann Author\ndate: 2025-01-15\nidentifier: 978-0-306-40615-7\ndescription: A blurb for the back cover.\nprint:\n  pdfx: x-1a\n',
      'a.md': '# One\n\nText.\n',
    });
    const r = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'cover');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/\[cover\/no-spine-text\]/);
    const file = path.join(dir, 'dist', 'a-thin-book.cover.pdf');
    expect(qdf(file)).toContain('/GTS_PDFXConformance (PDF/X-1a:2001)');
    const colours = colourOperators(file);
    expect([colours.rg, colours.RG, colours.k, colours.K]).toEqual([undefined, undefined, undefined, undefined]);
    const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const w of ['A Thin Book', 'With a Subtitle', 'Ann Author', 'A blurb for the back cover.', 'ISBN 9780306406157']) expect(words).toContain(w);
    expect(comparePng(renderPng(file, 1), path.join(SNAPSHOTS, 'cover-typographic.png')).differing).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
  }, 90_000);
});
