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

export function renderPng(file: string, page: number, dpi = 50): PNG {
  const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-png-')), 'p');
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', '-f', String(page), '-l', String(page), file, prefix]);
  return PNG.sync.read(fs.readFileSync(`${prefix}.png`));
}

/**
 * Compares a rendered page with the committed PNG; writes it when missing or when
 * UPDATE_PDF_SNAPSHOTS is set (look at the new PNG before committing it). Returns the share of
 * pixels that differ.
 */
export function comparePng(actual: PNG, snapshot: string): number {
  if (!fs.existsSync(snapshot) || process.env.UPDATE_PDF_SNAPSHOTS) {
    fs.mkdirSync(path.dirname(snapshot), { recursive: true });
    fs.writeFileSync(snapshot, PNG.sync.write(actual));
    return 0;
  }
  const expected = PNG.sync.read(fs.readFileSync(snapshot));
  if (expected.width !== actual.width || expected.height !== actual.height) return 1;
  const diff = pixelmatch(expected.data, actual.data, undefined, actual.width, actual.height, { threshold: 0.2 });
  return diff / (actual.width * actual.height);
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
