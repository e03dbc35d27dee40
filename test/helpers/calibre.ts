/**
 * calibre's `ebook-meta` (Debian `calibre`), the reader most people open an EPUB's metadata with: what
 * it shows of ours, as a reader sees it in their library. `npm test` installs it (setup-test-tools.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Book } from '../../src/model/book.ts';

export interface CalibreView {
  /** `Title`, `Author(s)`, `Publisher`, `Languages`, `Published`, `Identifiers`… as ebook-meta prints them. */
  fields: Record<string, string>;
  /** The cover calibre extracts (`--get-cover`), when it finds one. */
  cover?: Buffer;
}

export async function ebookMeta(epub: Uint8Array, name: string): Promise<CalibreView> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-calibre-'));
  try {
    const file = path.join(dir, `${name}.epub`);
    const cover = path.join(dir, 'cover');
    fs.writeFileSync(file, epub);
    const out = await new Promise<string>((resolve, reject) =>
      execFile('ebook-meta', [file, `--get-cover=${cover}`], { encoding: 'utf8', timeout: 120_000 }, (e, stdout, stderr) =>
        e ? reject(new Error(`ebook-meta failed (install calibre: apt-get install calibre): ${stderr || e.message}`)) : resolve(stdout),
      ),
    );
    const fields: Record<string, string> = {};
    for (const line of out.split('\n')) {
      const m = /^([^:]+?)\s*: (.*)$/.exec(line);
      if (m) fields[m[1] as string] = m[2] as string;
    }
    return { fields, ...(fs.existsSync(cover) ? { cover: fs.readFileSync(cover) } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a reader's library must show, derived from the book model: title, authors with their sort
 * names, a language, the publication date, the publisher and an ISBN when the book has them, and a
 * cover image. (calibre keeps a `urn:uuid` identifier as its own book id and does not list it.)
 */
export async function expectCalibreShows(book: Book, epub: Uint8Array, name: string): Promise<void> {
  const { fields, cover } = await ebookMeta(epub, name);
  const m = book.metadata;
  // calibre joins the EPUB 3 main title and the one refined as `subtitle`, as stores list them.
  expect(fields.Title).toBe(m.subtitle ? `${m.title}: ${m.subtitle}` : m.title);
  const authors = m.creators.filter((c) => c.role === 'author');
  if (authors.length > 0) {
    const names = authors.map((c) => c.name).join(' & ');
    const sorts = authors.every((c) => c.fileAs) ? ` [${authors.map((c) => c.fileAs).join(' & ')}]` : '';
    expect(fields['Author(s)']).toBe(`${names}${sorts}`);
  }
  expect(fields.Languages, 'a language').toMatch(/^[a-z]{3}/);
  if (m.date) expect(fields.Published?.slice(0, 4)).toBe(m.date.slice(0, 4));
  if (m.publisher) expect(fields.Publisher).toBe(m.publisher);
  if (m.identifier.kind === 'isbn') expect(fields.Identifiers).toContain(`isbn:${m.identifier.value}`);
  expect(cover, 'calibre finds the cover').toBeDefined();
  const png = cover?.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpeg = cover?.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]));
  expect(png || jpeg, 'the cover is a PNG or JPEG image').toBe(true);
}
