/** Test helpers for the PDF output: poppler text per page, page images compared with pixelmatch. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { buildBook } from '../../src/book-pass/build-book.ts';
import { loadManuscript } from '../../src/manuscript/load.ts';
import type { Book } from '../../src/model/book.ts';

export async function bookOf(input: string): Promise<Book> {
  // No SOURCE_DATE_EPOCH from the environment: dates come from book.yaml, as in a clean build.
  return buildBook(await loadManuscript(input), { env: {} });
}

export function writeTemp(bytes: Uint8Array, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pdftest-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Text of each page (pdftotext -layout), soft hyphens removed so snapshots read as prose. */
export function pageTexts(file: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const pages = text.replace(/\u00AD/g, '').split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages.map((p) =>
    p
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/^\n+|\n+$/g, ''),
  );
}

/** A readable snapshot: one block per page with its number. */
export function textSnapshot(pages: string[]): string {
  return `${pages.map((p, i) => `=== page ${i + 1} ===\n${p.replace(/\n{3,}/g, '\n\n')}`).join('\n\n')}\n`;
}

export function nonEmptyLines(page: string): string[] {
  return page
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * Page images are compared at 100 dpi: at that size a folio, a word or a crop mark is dozens to
 * hundreds of dark pixels, so losing one shows (at 50 dpi with a 1 % budget, a page could lose a
 * glyph or a word and still pass).
 */
export const SNAPSHOT_DPI = 100;

export function renderPng(file: string, page: number, dpi = SNAPSHOT_DPI): PNG {
  const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-png-')), 'p');
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', '-f', String(page), '-l', String(page), file, prefix]);
  return PNG.sync.read(fs.readFileSync(`${prefix}.png`));
}

/**
 * How many pixels may differ: anti-aliased edges are not counted (pixelmatch tells them apart), so
 * the same PDF rendered again differs in none. The budget absorbs a few stray pixels, not a glyph:
 * a "1" folio at 10 pt is about 30 dark pixels at 100 dpi.
 */
export const MAX_DIFFERING_PIXELS = 12;

export interface PngComparison {
  /** Pixels that differ beyond anti-aliasing. */
  differing: number;
  /** Where the rendered page and a diff image were written when they differ (for review). */
  written?: string;
}

/**
 * Compares a rendered page with the committed PNG. A missing snapshot is written (look at it before
 * committing it), except in CI (`CI` set), where it fails like vitest's own missing snapshots.
 * UPDATE_PDF_SNAPSHOTS rewrites them all. On a difference, `<name>.actual.png` and `<name>.diff.png`
 * are written beside the snapshot (ignored by git) so a reviewer can look at both.
 */
export function comparePng(actual: PNG, snapshot: string, options: { update?: boolean } = {}): PngComparison {
  const update = options.update ?? Boolean(process.env.UPDATE_PDF_SNAPSHOTS);
  const missing = !fs.existsSync(snapshot);
  if (missing && process.env.CI) {
    throw new Error(`page snapshot ${path.basename(snapshot)} is missing: run the tests locally, look at the PNG written, and commit it`);
  }
  if (missing || update) {
    fs.mkdirSync(path.dirname(snapshot), { recursive: true });
    fs.writeFileSync(snapshot, PNG.sync.write(actual));
    return { differing: 0 };
  }
  const expected = PNG.sync.read(fs.readFileSync(snapshot));
  const stem = snapshot.replace(/\.png$/, '');
  if (expected.width !== actual.width || expected.height !== actual.height) {
    fs.writeFileSync(`${stem}.actual.png`, PNG.sync.write(actual));
    return { differing: actual.width * actual.height, written: `${stem}.actual.png` };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: 0.1, includeAA: false });
  if (differing === 0) return { differing };
  fs.writeFileSync(`${stem}.actual.png`, PNG.sync.write(actual));
  fs.writeFileSync(`${stem}.diff.png`, PNG.sync.write(diff));
  return { differing, written: `${stem}.actual.png` };
}

export function pdffonts(file: string): { name: string; embedded: boolean; subset: boolean }[] {
  const out = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name … emb sub uni objectID gen: the flags are the 5th-to-3rd last columns.
      return { name: cols[0] as string, embedded: cols.at(-5) === 'yes', subset: cols.at(-4) === 'yes' };
    });
}
