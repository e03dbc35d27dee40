/**
 * Chapters serialised in an earlier build (src/outputs/rendered-pieces.ts). The key is everything that
 * goes into a piece, so a build that takes pieces from the disk must give the bytes of a build that
 * takes none, also when what changed is outside the chapter (a link's target moved to another file).
 * setup-cache.ts gives this file a temporary XDG_CACHE_HOME.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.ts';
import { chapterCacheDir } from '../src/disk-cache.ts';
import type { Book } from '../src/model/book.ts';
import { RenderedPieces } from '../src/outputs/rendered-pieces.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const rendered = () => (fs.existsSync(chapterCacheDir()) ? fs.readdirSync(chapterCacheDir()).filter((n) => n.startsWith('rendered-')) : []);
const book = (root: string) => ({ root, chapters: [{ source: path.join(root, 'a.md') }] }) as unknown as Book;

describe('rendered pieces', () => {
  beforeEach(() => fs.rmSync(chapterCacheDir(), { recursive: true, force: true }));

  it('are made once, found by a later build from the same inputs, and kept only while used', () => {
    const made: string[] = [];
    const make = (what: string) => () => {
      made.push(what);
      return `<p>${what}</p>`;
    };
    const first = RenderedPieces.open<string>('html', book('/books/one'), true);
    expect(first.piece(() => ['one', { tree: [1] }], make('one'))).toBe('<p>one</p>');
    expect(first.piece(() => ['two'], make('two'))).toBe('<p>two</p>');
    first.save();
    expect(rendered()).toHaveLength(1);

    const second = RenderedPieces.open<string>('html', book('/books/one'), true);
    expect(second.piece(() => ['one', { tree: [1] }], make('again'))).toBe('<p>one</p>');
    // Any change in the inputs is another piece.
    expect(second.piece(() => ['one', { tree: [2] }], make('changed'))).toBe('<p>changed</p>');
    second.save();
    expect(made).toEqual(['one', 'two', 'changed']);
    // 'two' was not used by the second build, so it is gone.
    const third = RenderedPieces.open<string>('html', book('/books/one'), true);
    third.piece(() => ['two'], make('two again'));
    expect(made.at(-1)).toBe('two again');
    // Another book, another output: entries of their own.
    RenderedPieces.open<string>('epub', book('/books/one'), true).piece(() => ['x'], make('x'));
    const other = RenderedPieces.open<string>('html', book('/books/two'), true);
    other.piece(() => ['one', { tree: [1] }], make('other book'));
    other.save();
    expect(made.at(-1)).toBe('other book');
    expect(rendered()).toHaveLength(2);
  });

  it('make every piece again from a damaged entry, and read and write nothing without the cache', () => {
    const first = RenderedPieces.open<string>('html', book('/books/damaged'), true);
    first.piece(
      () => ['one'],
      () => 'one',
    );
    first.save();
    const [entry] = rendered();
    const file = path.join(chapterCacheDir(), entry as string);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/"one"/, '"one'));
    expect(
      RenderedPieces.open<string>('html', book('/books/damaged'), true).piece(
        () => ['one'],
        () => 'made again',
      ),
    ).toBe('made again');
    fs.rmSync(chapterCacheDir(), { recursive: true, force: true });
    const off = RenderedPieces.open<string>('html', book('/books/off'), false);
    expect(
      off.piece(
        () => ['one'],
        () => 'one',
      ),
    ).toBe('one');
    off.save();
    expect(rendered()).toEqual([]);
  });

  it('give the bytes of a build without them when a link’s target moved to another chapter file', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Pieces\nauthor: A. Writer\nlanguage: en\n',
      '1-one.md': '# One\n\nSee [the target](#the-target) and [two](#two).\n',
      '2-two.md': '# Two\n\nText two.\n\n## The target\n\nHere.\n',
      '3-three.md': '# Three\n\nText three.\n',
    });
    const run = async (out: string, cache: boolean) => {
      const result = await build({ input: dir, outDir: path.join(dir, out), formats: ['html', 'epub'], cache });
      expect(result.warnings).toEqual([]);
      return { html: fs.readFileSync(path.join(dir, out, 'pieces.html')), epub: fs.readFileSync(path.join(dir, out, 'pieces.epub')) };
    };
    await run('first', true);
    expect(rendered()).toHaveLength(2);
    // The heading moves from the second chapter to the third: chapter one's own text is unchanged.
    fs.writeFileSync(path.join(dir, '2-two.md'), '# Two\n\nText two.\n');
    fs.writeFileSync(path.join(dir, '3-three.md'), '# Three\n\nText three.\n\n## The target\n\nHere.\n');
    const kept = await run('kept', true);
    const fresh = await run('fresh', false);
    expect(kept.html.equals(fresh.html)).toBe(true);
    expect(kept.epub.equals(fresh.epub)).toBe(true);
    const one = await (await JSZip.loadAsync(kept.epub)).file(/1-one\.xhtml$/)[0]?.async('string');
    expect(one).toMatch(/href="ch-3-three\.xhtml#the-target"/);
  });
});
