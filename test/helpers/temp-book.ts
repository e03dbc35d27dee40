/** Temporary manuscripts for behaviour tests: a folder of files written from a plain object. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

export function tempBook(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-test-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export function cleanupTempBooks(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A valid 1×1 PNG, for manuscripts that need an image. */
export const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export const FIXTURE_BOOK = path.resolve(import.meta.dirname, '../fixtures/feature-book');
export const SAMPLE_BOOK = path.resolve(import.meta.dirname, '../../manuscript');
export const CORPUS = path.resolve(import.meta.dirname, '../corpus');
export const PRIDE_AND_PREJUDICE = path.join(CORPUS, 'pride-and-prejudice.md');
