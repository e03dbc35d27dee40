import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.ts';
import { runCli } from './helpers/cli.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const run = runCli;

describe('colophon init', () => {
  it('scaffolds a book that builds in every format with zero warnings', async () => {
    const dir = path.join(tempBook({}), 'my-first-book');
    const r = await run('init', dir);
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['01-beginning.md', '02-ending.md', 'book.yaml', 'cover.png', 'styles']);
    const yaml = fs.readFileSync(path.join(dir, 'book.yaml'), 'utf8');
    expect(yaml).toContain('title: "My First Book"');
    // Every book.yaml key is there, set or commented.
    for (const key of [
      'subtitle',
      'author',
      'language',
      'date',
      'publisher',
      'rights',
      'identifier',
      'description',
      'subjects',
      'cover',
      'source',
      'chapters',
      'chapter-level',
      'hyphenate',
      'styles',
      'print',
      'trim',
      'bleed',
      'marks',
      'notes',
      'edition',
      'version',
    ]) {
      expect(yaml, key).toMatch(new RegExp(`^[#\\s]*${key}:`, 'm'));
    }
    const cover = fs.readFileSync(path.join(dir, 'cover.png'));
    expect(cover.readUInt32BE(16)).toBe(1600);
    expect(cover.readUInt32BE(20)).toBe(2560);

    const result = await build({ input: dir, outDir: path.join(dir, 'dist'), env: {} });
    expect(result.warnings).toEqual([]);
    expect(result.files.map((f) => f.format).sort()).toEqual(['epub', 'html', 'pdf']);
    expect(result.book.cover).toBeDefined();
    expect(result.book.styles).toHaveLength(1);
  }, 60_000);

  it('refuses a folder that is not empty, and wrong usage', async () => {
    const dir = tempBook({ 'notes.txt': 'mine' });
    const r = await run('init', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: .* is not empty \[init\/not-empty\]/);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    expect((await run('init')).code).toBe(2);
  });

  it('accepts an existing empty folder and a title', async () => {
    const dir = tempBook({});
    const r = await run('init', dir, '--title', 'Sea Stories');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'book.yaml'), 'utf8')).toContain('title: "Sea Stories"');
  });
});
