/** The queue's manuscript archive and job key: content-addressed, checked file by file on unpacking. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBook } from '../../src/book-pass/build-book.ts';
import { ColophonError } from '../../src/diagnostics.ts';
import { sourceFiles } from '../../src/edition/source.ts';
import { loadManuscript } from '../../src/manuscript/load.ts';
import { LISTING, packManuscript, sha256, unpackManuscript } from '../../src/queue/archive.ts';
import { jobKey } from '../../src/queue/jobs.ts';
import { cleanupTempBooks, PNG_1x1, tempBook } from '../helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const book = () =>
  tempBook({
    'book.yaml': 'title: Packed\nchapters: [01.md, parts/02.md]\nstyles: [css/book.css]\n',
    '01.md': '# One\n\n![A dot](img/dot.png)\n',
    'parts/02.md': '# Two\n\nText.\n',
    'img/dot.png': PNG_1x1,
    'css/book.css': 'h1 { letter-spacing: 0.02em; }\n',
    'notes/draft.md': 'not part of the book\n',
    'dist/old.html': '<p>an earlier build</p>\n',
  });

async function pack(root: string) {
  const manuscript = loadManuscript(root);
  return packManuscript(root, sourceFiles(manuscript, await buildBook(manuscript)), '.');
}

const emptyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-unpack-'));

async function rezip(bytes: Uint8Array, change: (zip: JSZip) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  await change(zip);
  return zip.generateAsync({ type: 'uint8array' });
}

async function refusal(bytes: Uint8Array, address: string): Promise<string> {
  const dir = emptyDir();
  try {
    await unpackManuscript(bytes, address, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ColophonError);
    const d = (e as ColophonError).diagnostics[0];
    expect(d?.code).toBe('queue/bad-archive');
    expect(d?.hint).toBeTruthy();
    return d?.message ?? '';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('the archive was accepted');
}

describe('the manuscript archive', () => {
  it('holds exactly the files the build reads, and unpacks to a manuscript that loads the same', async () => {
    const root = book();
    const packed = await pack(root);
    expect(packed.listing.files.map((f) => f.path)).toEqual(['01.md', 'book.yaml', 'css/book.css', 'img/dot.png', 'parts/02.md']);
    const dir = emptyDir();
    const input = await unpackManuscript(packed.bytes, packed.address, dir);
    expect(input).toBe(dir);
    for (const f of packed.listing.files) expect(sha256(fs.readFileSync(path.join(dir, f.path)))).toBe(f.sha256);
    expect(loadManuscript(input).chapters.map((c) => c.text)).toEqual(loadManuscript(root).chapters.map((c) => c.text));
    fs.rmSync(dir, { recursive: true });
  });

  it('has the same address and bytes for the same files wherever they lie; any change moves the address', async () => {
    const a = book();
    const b = book();
    const [pa, pb] = [await pack(a), await pack(b)];
    expect(pb.address).toBe(pa.address);
    expect(Buffer.from(pb.bytes).equals(Buffer.from(pa.bytes))).toBe(true);
    fs.appendFileSync(path.join(b, 'parts/02.md'), 'One more word.\n');
    expect((await pack(b)).address).not.toBe(pa.address);
    // A file outside the book changes nothing.
    fs.writeFileSync(path.join(a, 'notes/draft.md'), 'still not part of the book\n');
    expect((await pack(a)).address).toBe(pa.address);
  });

  it('unpacks a single-file manuscript to that file', async () => {
    const root = tempBook({ 'alice.md': '# Title: Alice\n\n# Down the Rabbit-Hole\n\nAlice was beginning to get very tired.\n' });
    const manuscript = loadManuscript(path.join(root, 'alice.md'));
    const packed = await packManuscript(root, sourceFiles(manuscript, await buildBook(manuscript)), 'alice.md');
    const dir = emptyDir();
    expect(await unpackManuscript(packed.bytes, packed.address, dir)).toBe(path.join(dir, 'alice.md'));
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a damaged, tampered or hostile archive with a clear error', async () => {
    const packed = await pack(book());
    expect(await refusal(new TextEncoder().encode('not a zip at all'), packed.address)).toMatch(/not a readable zip/);
    expect(await refusal(packed.bytes, sha256('another listing'))).toMatch(/does not match the address/);
    const changed = await rezip(packed.bytes, (zip) => {
      zip.file('01.md', '# One, changed\n');
    });
    expect(await refusal(changed, packed.address)).toMatch(/01\.md does not match its SHA-256/);
    const extra = await rezip(packed.bytes, (zip) => {
      zip.file('payload.sh', 'rm -rf /\n');
    });
    expect(await refusal(extra, packed.address)).toMatch(/payload\.sh is in the archive but not in its listing/);
    // A listing that names a path outside the folder, with a matching address: refused before anything is written.
    const evil = { version: 1, entry: '.', files: [{ path: '../escape.md', sha256: sha256('x'), bytes: 1 }] };
    const text = `${JSON.stringify(evil, null, 1)}\n`;
    const escaping = await rezip(packed.bytes, (zip) => {
      zip.file(LISTING, text);
      for (const f of packed.listing.files) zip.remove(f.path);
      zip.file('../escape.md', 'x');
    });
    expect(await refusal(escaping, sha256(text))).toMatch(/outside the manuscript folder/);
    expect(fs.existsSync(path.join(os.tmpdir(), 'escape.md'))).toBe(false);
  });
});

describe('jobKey', () => {
  const base = { address: 'a'.repeat(64), colophon: '0.1.0+abc' };
  it('is the same for the same book, version and options, and changes with any of them', () => {
    const key = jobKey(base);
    expect(jobKey({ ...base })).toBe(key);
    const others = [
      jobKey({ ...base, address: 'b'.repeat(64) }),
      jobKey({ ...base, colophon: '0.1.1+abc' }),
      jobKey({ ...base, formats: ['html'] }),
      jobKey({ ...base, slug: 'emma' }),
      jobKey({ ...base, sourceDateEpoch: '0' }),
      jobKey({ ...base, overrides: { values: { publisher: 'P' }, positions: {} } }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
    // Where an override was written does not change what is built.
    expect(jobKey({ ...base, overrides: { values: { publisher: 'P' }, positions: { publisher: { file: 'x', line: 1 } } } })).toBe(others[5]);
  });
});
