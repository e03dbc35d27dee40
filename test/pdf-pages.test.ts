/**
 * Colophon's own pagination, read back from the PDF with poppler: notes at the foot of the page
 * that cites them, long notes continued overleaf, a text layer without soft hyphens whose broken
 * words extract whole, chapter openings (recto or any), section running heads, the typography
 * report and the page map. The feature fixture plus small generated books, one shared browser.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { toString as hastToString } from 'hast-util-to-string';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBook, loadManuscript } from '../src/index.ts';
import type { Book } from '../src/model/book.ts';
import { slugMarginPt } from '../src/outputs/pdf/finish.ts';
import { pageGeometry, textBlock } from '../src/outputs/pdf/page-css.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { type PdfRender, renderPdf } from '../src/outputs/pdf.ts';
import { findPhrase, type Word, wordsByPage } from './helpers/bbox.ts';
import { runCli } from './helpers/cli.ts';
import { bookOf, nonEmptyLines, pageTexts, pdffonts, renderPng, writeTemp } from './helpers/pdf.ts';
import { cleanupTempBooks, SAMPLE_BOOK, tempBook } from './helpers/temp-book.ts';

const FIXTURE = path.resolve('test/fixtures/feature-book');

interface Printed {
  book: Book;
  render: PdfRender;
  file: string;
  words: Word[][];
  pages: string[];
}

let browser: PrintBrowser;
let fixture: Printed;

async function print(book: Book, name: string): Promise<Printed> {
  const render = await renderPdf(book, { browser });
  const file = writeTemp(render.bytes, `${name}.pdf`);
  return { book, render, file, words: wordsByPage(file), pages: pageTexts(file) };
}

/** Deterministic prose with long words, so lines hyphenate. */
function prose(seed: number, sentences: number): string {
  const words = 'the of and to reflection astonishment considerable extraordinary neighbourhood conversation a in that was with remarkable'.split(' ');
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  return Array.from({ length: sentences }, () => {
    // The high bits: an LCG's low bits repeat with a short period.
    const pick = (m: number) => (next() >>> 16) % m;
    const n = 8 + pick(12);
    const s = Array.from({ length: n }, () => words[pick(words.length)]).join(' ');
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  }).join(' ');
}

function bookFrom(files: Record<string, string>): Promise<Book> {
  return buildBook(loadManuscript(tempBook(files)), { env: {} });
}

/** Text frame of a page in pdftotext's coordinates (points from the top of the MediaBox). */
function frameOf(book: Book): { top: number; bottom: number } {
  const g = pageGeometry(book);
  const top = slugMarginPt(book) + g.topPt;
  return { top, bottom: top + textBlock(g).heightPt };
}

/** Words inside the text frame (no running head, no folio). */
function frameWords(book: Book, words: Word[]): Word[] {
  const f = frameOf(book);
  return words.filter((w) => w.yMin >= f.top - 2 && w.yMax <= f.bottom + 2);
}

function noteText(book: Book, id: string): string {
  const note = book.chapters.flatMap((c) => c.footnotes).find((n) => n.id === id);
  return hastToString({ type: 'root', children: note?.content ?? [] }).replace(/\u00AD/g, '');
}

/** The note whose label and first words start at `at` lies below every other word of the text frame. */
function expectBelowBody(book: Book, pageWords: Word[], from: number, count: number): void {
  const inFrame = frameWords(book, pageWords);
  const note = new Set(pageWords.slice(from, from + count));
  const noteTop = Math.min(...[...note].map((w) => w.yMin));
  const body = inFrame.filter((w) => !note.has(w) && w.yMax <= noteTop + 0.5);
  const notesArea = inFrame.filter((w) => w.yMin >= noteTop - 0.5);
  // Everything in the frame is either above the note or part of the notes area at the foot.
  const neither = inFrame.filter((w) => !body.includes(w) && !notesArea.includes(w));
  expect(
    neither.map((w) => `${w.text}@${w.yMin.toFixed(1)}-${w.yMax.toFixed(1)}`),
    `note top ${noteTop.toFixed(1)}`,
  ).toEqual([]);
  expect(Math.max(...body.map((w) => w.yMax))).toBeLessThan(noteTop);
}

beforeAll(async () => {
  browser = await PrintBrowser.launch();
  fixture = await print(await bookOf(FIXTURE), 'fixture');
});

afterAll(async () => {
  cleanupTempBooks();
  await browser?.close();
});

describe('pagination: footnotes at the foot of the page', () => {
  it('sets every note on the page of its first call, below all the body text', () => {
    const { book, render, words } = fixture;
    const notes = book.chapters.flatMap((c) => c.footnotes);
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      const callPage = render.measurement.landings.get(note.refIds[0] as string)?.page as number;
      const first = noteText(book, note.id).split(/\s+/).slice(0, 3).join(' ');
      const at = findPhrase(words[callPage] ?? [], `${note.label} ${first}`);
      expect(at, `note ${note.id} ("${first}") on page ${callPage + 1}`).toBeGreaterThanOrEqual(0);
      expectBelowBody(book, words[callPage] ?? [], at, noteText(book, note.id).split(/\s+/).length + 1);
    }
  });

  it('numbers notes per chapter and continues a long note at the foot of the next page', async () => {
    const long = `Overleaf continues this deliberately verbose note. ${prose(7, 60)}`;
    const book = await bookFrom({
      'book.yaml': 'title: Notes\nprint:\n  trim: 5x8in\n',
      'a.md': `# One\n\n${prose(1, 4)} Here is a call.[^a]\n\n${prose(2, 30)}\n\n[^a]: A short note.\n`,
      'b.md': `# Two\n\n${prose(3, 3)} A long note starts here.[^long] ${prose(4, 6)}\n\n${prose(5, 40)}\n\n${prose(6, 40)}\n\n[^long]: ${long}\n`,
    });
    const printed = await print(book, 'long-note');
    const [one, two] = book.chapters;
    expect(one?.footnotes[0]?.label).toBe('1');
    expect(two?.footnotes[0]?.label).toBe('1');
    const note = two?.footnotes[0];
    const callPage = printed.render.measurement.landings.get(note?.refIds[0] as string)?.page as number;
    const parts = printed.render.pagination.plan.pages.flatMap((p) => p.notes.filter((n) => n.id === note?.id).map((n) => ({ page: p.index, ...n })));
    expect(parts.length, 'the note is split').toBeGreaterThanOrEqual(2);
    expect(parts[0]).toMatchObject({ page: callPage, from: 0 });
    expect(parts[1]?.page).toBe(callPage + 1);
    // Its first words at the foot of the call's page, its last words at the foot of the next.
    const words = long.split(/\s+/);
    const start = findPhrase(printed.words[callPage] ?? [], `1 ${words.slice(0, 3).join(' ')}`);
    expect(start).toBeGreaterThanOrEqual(0);
    expectBelowBody(book, printed.words[callPage] ?? [], start, 4);
    const lastPage = parts.at(-1)?.page as number;
    const end = findPhrase(printed.words[lastPage] ?? [], words.slice(-3).join(' '));
    expect(end, 'the end of the note overleaf').toBeGreaterThanOrEqual(0);
    const continued = printed.render.pagination.plan.pages[callPage + 1]?.notes[0];
    expect(continued?.id).toBe(note?.id);
    expect(continued?.from).toBeGreaterThan(0);
  });
});

describe('pagination: a clean text layer', () => {
  it('has no soft hyphen, and every word, broken at a line end or not, extracts as written', async () => {
    const book = await bookFrom({ 'book.yaml': 'title: Words\nprint:\n  trim: 5x8in\n', 'a.md': `# Words\n\n${prose(11, 80)}\n\n${prose(12, 80)}\n` });
    const printed = await print(book, 'words');
    const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', printed.file, '-'], { encoding: 'utf8' });
    expect(raw).not.toContain('\u00AD');
    const layout = printed.pages.join('\n');
    const broken = layout.split('\n').filter((l) => /[a-z]-$/.test(l.trim()));
    expect(broken.length, 'some lines end in a hyphenated word').toBeGreaterThan(3);
    const source = new Set(
      hastToString(book.chapters[0]?.hast ?? { type: 'root', children: [] })
        .replace(/\u00AD/g, '')
        .match(/[A-Za-z]+/g),
    );
    // A word hyphenated across a page turn is split between two pages: the only halves allowed.
    const first = printed.render.firstChapterPage;
    const halves = new Set<string>();
    printed.words.forEach((page, i) => {
      const frame = frameWords(book, page);
      const last = frame.at(-1)?.text ?? '';
      if (i >= first && last.endsWith('-')) {
        halves.add(last.replace(/[^A-Za-z]/g, ''));
        halves.add((frameWords(book, printed.words[i + 1] ?? [])[0]?.text ?? '').replace(/[^A-Za-z]/g, ''));
      }
    });
    const chapterText = raw.split('\f').slice(first).join('\n');
    const strange = (chapterText.match(/[A-Za-z]+/g) ?? []).filter((w) => !source.has(w) && !halves.has(w));
    expect(strange).toEqual([]);
  });

  it('keeps the hyphens Chromium broke lines at, and only those', () => {
    const stats = fixture.render.pagination.stats;
    expect(stats.softHyphens).toBeGreaterThan(stats.hyphensKept);
    expect(stats.hyphensKept).toBeGreaterThan(0);
  });
});

describe('pagination: chapters, running heads, typography, page map', () => {
  const chapters = (start: string) =>
    bookFrom({
      'book.yaml': `title: Openings\nprint:\n  trim: 5x8in\n  chapter-start: ${start}\n`,
      // Four one-page chapters: each would open on the page after the last.
      ...Object.fromEntries([1, 2, 3, 4].map((i) => [`${i}.md`, `# Chapter ${i}\n\n${prose(i, 6)}\n`])),
    });

  it('opens chapters on rectos by default, and on the next page with chapter-start: any', async () => {
    const recto = await print(await chapters('recto'), 'recto');
    const any = await print(await chapters('any'), 'any');
    const blanksAfterFirst = (p: Printed) => p.render.pagination.plan.pages.filter((page) => page.blank && page.index > p.render.firstChapterPage).length;
    expect(blanksAfterFirst(recto)).toBeGreaterThan(0);
    expect(blanksAfterFirst(any)).toBe(0);
    for (const c of any.book.chapters) expect(any.render.measurement.landings.get(c.id)?.page).toBe(any.render.pagination.pageOf.get(c.id));
    expect(any.render.pageCount).toBeLessThan(recto.render.pageCount);
    // The first chapter still opens on a recto, page 1.
    expect(any.render.firstChapterPage % 2).toBe(0);
  });

  it('shows the section in force in a recto running head with running-head: section', async () => {
    const book = await bookFrom({
      'book.yaml': 'title: Sections\nprint:\n  trim: 5x8in\n  running-head: section\n',
      'a.md': `# The Chapter\n\n${prose(1, 5)}\n\n## Early Section\n\n${prose(2, 150)}\n\n## Later Section\n\n${prose(3, 150)}\n`,
    });
    const printed = await print(book, 'sections');
    const heads = printed.pages.map((p) => nonEmptyLines(p)[0]);
    const rectos = heads.filter((_, i) => i % 2 === 0 && i > printed.render.firstChapterPage);
    expect(rectos).toContain('Early Section');
    expect(rectos).toContain('Later Section');
    const versos = heads.filter((_, i) => i % 2 === 1 && i > printed.render.firstChapterPage && printed.pages[i] !== '');
    expect(new Set(versos)).toEqual(new Set(['Sections']));
  });

  it('reports no widow, orphan or heading at a page foot on the fixture', () => {
    expect(fixture.render.pagination.typography).toMatchObject({ widows: 0, orphans: 0, strandedHeadings: 0, brokenRules: 0 });
  });

  it('maps every page: label, flow, and where its chapter text starts', () => {
    const map = fixture.render.pagination.pageMap;
    expect(map).toHaveLength(fixture.render.pageCount);
    const first = fixture.render.firstChapterPage;
    expect(map[first]).toMatchObject({
      label: '1',
      folio: '1',
      flow: fixture.book.chapters[0]?.id,
      start: { chapter: fixture.book.chapters[0]?.id, path: [], offset: 0 },
    });
    expect(map.filter((p) => p.blank).every((p) => p.folio === undefined && p.start === undefined)).toBe(true);
    // A page that continues a chapter starts where the previous page of that chapter ends.
    for (let i = first + 1; i < map.length; i++) {
      const page = map[i];
      const before = map[i - 1];
      if (page?.start && before?.flow === page.flow && !page.blank) expect(before?.end).toEqual(page.start);
    }
    expect(map.map((p) => p.label).slice(0, first)).toEqual(['i', 'ii', 'iii', 'iv', 'v', 'vi'].slice(0, first));
  });

  it('scales a block taller than a page and names its source line', async () => {
    const caption = Array.from({ length: 90 }, (_, i) => `line ${i}`).join(' ');
    const book = await bookFrom({
      'book.yaml': 'title: Tall\nprint:\n  trim: 5x8in\n',
      'a.md': `# Tall\n\n${prose(1, 3)}\n\n<figure><p>${prose(2, 40)}</p><figcaption>${caption}</figcaption></figure>\n\n${prose(3, 3)}\n`,
    });
    const printed = await print(book, 'tall');
    const scaled = printed.render.warnings.filter((w) => w.code === 'pdf/pagination' && /scaled to/.test(w.message));
    expect(scaled).toHaveLength(1);
    expect(scaled[0]?.location).toMatchObject({ file: expect.stringMatching(/a\.md$/), line: 5 });
    expect(printed.render.pagination.typography.scaled).toBe(1);
  });

  it('prints the typography table after a build, and returns the page map in the build result', async () => {
    const out = tempBook({});
    const r = await runCli('build', SAMPLE_BOOK, '-o', out, '-t', 'pdf');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/typography of the \d+ printed pages\n\s+widows\s+0\n\s+orphans\s+0\n\s+headings at a page foot\s+0\n/);
    const { build } = await import('../src/build.ts');
    const result = await build({ input: SAMPLE_BOOK, outDir: tempBook({}), formats: ['pdf'], env: {} });
    expect(result.print?.pageMap.length).toBe(result.print?.typography.pages);
    expect(result.print?.pageMap[result.print.firstChapterPage]?.label).toBe('1');
  });
});

describe('a long book printed in parts', () => {
  /** Link destinations, named destinations, structure elements and tagged text of a PDF, through qpdf. */
  function structureOf(file: string) {
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 256 * 1024 * 1024 }).toString('latin1');
    const destsRef = /\/Dests (\d+) 0 R/.exec(qdf)?.[1];
    const destsObject = new RegExp(`\\n${destsRef} 0 obj\\n([\\s\\S]*?)\\nendobj`).exec(qdf)?.[1] ?? '';
    return {
      links: [...qdf.matchAll(/\/Dest \/([^\s/[\]<>]+)/g)].map((m) => m[1]),
      dests: new Set([...destsObject.matchAll(/\/([^\s/[\]<>]+) (?:\[|\d+ 0 R)/g)].map((m) => m[1])),
    };
  }

  /** Structure element types in tree order (depth first), read with pdf-lib. */
  async function elementsOf(bytes: Uint8Array): Promise<string[]> {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const out: string[] = [];
    const walk = (value: unknown) => {
      const node = value instanceof PDFRef ? doc.context.lookup(value) : value;
      if (node instanceof PDFArray) for (const item of node.asArray()) walk(item);
      if (!(node instanceof PDFDict)) return;
      const type = node.lookupMaybe(PDFName.of('S'), PDFName);
      if (type) out.push(type.decodeText());
      walk(node.get(PDFName.of('K')));
    };
    walk(doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict).get(PDFName.of('K')));
    return out;
  }

  it('gives the same pages, text, links, destinations and structure as one print, with one name per font subset', async () => {
    // Two tabs printing copies of the paginated page, as on a machine with two cores.
    const parts = await renderPdf(fixture.book, { browser, pagesPerPrint: 4, printLanes: 2 });
    expect(parts.prints).toBeGreaterThanOrEqual(3);
    expect(fixture.render.prints).toBe(1);
    expect(parts.pageCount).toBe(fixture.render.pageCount);
    expect(parts.warnings).toEqual(fixture.render.warnings);
    const file = writeTemp(parts.bytes, 'fixture-parts.pdf');
    // In reading order (-raw): -layout spaces lines by each subset's font box, which differs between
    // one print's subset and a part's smaller one (the pages are the same, as the images show).
    const raw = (f: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
    expect(raw(file)).toEqual(raw(fixture.file));
    expect(raw(file).split('\f').length).toBe(parts.pageCount + 1);
    for (let page = 1; page <= parts.pageCount; page++) {
      const one = renderPng(fixture.file, page, 50);
      const joined = renderPng(file, page, 50);
      expect(Buffer.compare(one.data, joined.data), `page ${page}`).toBe(0);
    }
    const one = structureOf(fixture.file);
    const joined = structureOf(file);
    expect(joined.links.length).toBeGreaterThan(0);
    expect(joined.links).toEqual(one.links);
    for (const name of joined.links) expect(joined.dests.has(name), name).toBe(true);
    expect([...joined.dests].sort()).toEqual([...one.dests].sort());
    const elements = await elementsOf(parts.bytes);
    expect(elements.length).toBeGreaterThan(100);
    expect(elements).toEqual(await elementsOf(fixture.render.bytes));
    expect(elements.filter((s) => s === 'Document')).toHaveLength(1);
    // A subset name is one subset: each part brings its own subsets of the same fonts.
    const names = pdffonts(file).map((f) => f.name);
    expect(names.length).toBeGreaterThan(pdffonts(fixture.file).length);
    expect(new Set(names).size).toBe(names.length);
    expect(() => execFileSync('qpdf', ['--check', file])).not.toThrow();
    // Reproducible in parts too, and the same bytes however many tabs print them (one core: one tab).
    const again = await renderPdf(fixture.book, { browser, pagesPerPrint: 4, printLanes: 1 });
    expect(again.prints).toBe(parts.prints);
    expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(parts.bytes))).toBe(0);
  }, 120_000);
});
