/**
 * The chapter cache on disk (src/pipeline/chapter-cache.ts): a second build of an unchanged book parses
 * nothing, in a new process; its outputs are the cold build's byte for byte; a broken entry is parsed
 * again; the folder stays within its bound, least recently used first; `--no-cache` and `cache clear`.
 * setup-cache.ts gives this file a temporary XDG_CACHE_HOME.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildBook } from '../src/book-pass/build-book.ts';
import { findBrowser } from '../src/browser/find-browser.ts';
import { build } from '../src/build.ts';
import { chapterCacheDir, DiskCache, evict } from '../src/disk-cache.ts';
import { loadManuscript } from '../src/manuscript/load.ts';
import { cacheStats, clearChapterCache, resetCacheStats } from '../src/pipeline/chapters.ts';
import { runCli } from './helpers/cli.ts';
import { CORPUS, cleanupTempBooks, FIXTURE_BOOK, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const BIN = path.resolve(import.meta.dirname, '../src/cli/bin.mjs');
const allEntries = () => (fs.existsSync(chapterCacheDir()) ? fs.readdirSync(chapterCacheDir()).filter((n) => n.endsWith('.json')) : []);
/** The chapters' entries: the folder also keeps drawn covers (cover-…), the fonts' character maps (font-…) and serialised chapters (rendered-…). */
const entries = () => allEntries().filter((n) => !/^(cover|font|rendered)-/.test(n));

/** A build in a process of its own (nothing in memory from an earlier one); what its model line says. */
function modelLine(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [BIN, 'build', ...args], { encoding: 'utf8', env: process.env }, (e, _out, err) =>
      e ? reject(new Error(err)) : resolve(/model\s+\d+ ms\s+(.*)/.exec(err)?.[1] ?? err),
    ),
  );
}

describe('chapter cache on disk', () => {
  beforeEach(() => {
    fs.rmSync(chapterCacheDir(), { recursive: true, force: true });
    clearChapterCache();
    resetCacheStats();
  });

  it('lives in XDG_CACHE_HOME (here a temporary folder), beside the browsers', () => {
    expect(chapterCacheDir()).toBe(path.join(process.env.XDG_CACHE_HOME as string, 'colophon', 'chapters'));
    expect(chapterCacheDir({ HOME: '/h', XDG_CACHE_HOME: '' })).toBe(path.join(os.homedir(), '.cache', 'colophon', 'chapters'));
    // A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
    expect(chapterCacheDir({ XDG_CACHE_HOME: 'rel' })).toBe(path.join(os.homedir(), '.cache', 'colophon', 'chapters'));
  });

  it('a second build of an unchanged book parses no chapter; --no-cache parses all and writes nothing', async () => {
    const alice = path.join(CORPUS, 'alice.md');
    const out = tempBook({});
    expect(await modelLine(alice, '-o', out, '-t', 'html')).toMatch(/12 chapter\(s\), 12 parsed/);
    expect(entries()).toHaveLength(12);
    expect(await modelLine(alice, '-o', out, '-t', 'html')).toMatch(/12 chapter\(s\), 0 parsed/);
    fs.rmSync(chapterCacheDir(), { recursive: true });
    expect(await modelLine(alice, '-o', out, '-t', 'html', '--no-cache')).toMatch(/12 chapter\(s\), 12 parsed/);
    expect(allEntries()).toEqual([]);
  });

  it('a build of several books honours --no-cache too, and without it fills the cache', async () => {
    const book = (name: string) => tempBook({ 'book.yaml': `title: ${name}\n`, '1.md': `# One of ${name}\n\nText.\n`, '2.md': '# Two\n\nMore.\n' });
    const [a, b] = [book('Book A'), book('Book B')];
    const out = tempBook({});
    const noCache = await runCli('build', a, b, '-o', out, '-t', 'html', '--no-cache', '-j', '1', '-q');
    expect(noCache.code, noCache.err).toBe(0);
    expect(entries()).toEqual([]);
    const cached = await runCli('build', a, b, '-o', out, '-t', 'html', '-j', '1', '-q');
    expect(cached.code, cached.err).toBe(0);
    expect(entries()).toHaveLength(4);
  }, 120_000);

  it('gives the cold build’s outputs byte for byte', async () => {
    const cold = tempBook({});
    const warm = tempBook({});
    await build({ input: FIXTURE_BOOK, outDir: cold, formats: ['html', 'epub'], env: {} });
    const parsedCold = cacheStats().misses;
    expect(parsedCold).toBeGreaterThan(1);
    clearChapterCache();
    resetCacheStats();
    await build({ input: FIXTURE_BOOK, outDir: warm, formats: ['html', 'epub'], env: {} });
    expect(cacheStats()).toEqual({ hits: parsedCold, misses: 0 });
    for (const name of fs.readdirSync(cold)) expect(fs.readFileSync(path.join(warm, name)).equals(fs.readFileSync(path.join(cold, name))), name).toBe(true);
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['empty', () => Buffer.alloc(0)],
    [
      'not JSON, right length',
      (bytes: Buffer) => Buffer.concat([bytes.subarray(0, bytes.indexOf(10) + 1), Buffer.alloc(bytes.length - bytes.indexOf(10) - 1, 0x7b)]),
    ],
  ])('parses again and rewrites an entry that is %s', async (_kind, damage) => {
    const dir = tempBook({ 'book.yaml': 'title: Cache\n', '1.md': '# One\n\nText one.\n', '2.md': '# Two\n\nText "two".\n' });
    const first = await buildBook(loadManuscript(dir));
    const [victim] = entries().map((n) => path.join(chapterCacheDir(), n));
    const good = fs.readFileSync(victim as string);
    fs.writeFileSync(victim as string, damage(good));
    clearChapterCache();
    resetCacheStats();
    const again = await buildBook(loadManuscript(dir));
    expect(cacheStats()).toEqual({ hits: 1, misses: 1 });
    expect(again.chapters).toEqual(first.chapters);
    expect(fs.readFileSync(victim as string).equals(good)).toBe(true);
  });

  it('keys an entry by the chapter’s text and place: an edit or a moved book is parsed again', async () => {
    const files = { 'book.yaml': 'title: Cache\n', '1.md': '# One\n\nText one.\n', '2.md': '# Two\n\nText two.\n' };
    const dir = tempBook(files);
    await buildBook(loadManuscript(dir));
    fs.writeFileSync(path.join(dir, '2.md'), '# Two\n\nText two, edited.\n');
    clearChapterCache();
    resetCacheStats();
    expect((await buildBook(loadManuscript(dir))).chapters[1]?.hast).toMatchObject({ type: 'root' });
    expect(cacheStats()).toEqual({ hits: 1, misses: 1 });
    // Elsewhere the same text is another file: its diagnostics name that file.
    resetCacheStats();
    await buildBook(loadManuscript(tempBook(files)));
    expect(cacheStats()).toEqual({ hits: 0, misses: 2 });
  });

  it('evicts the least recently used entries down to 80 % of the bound, and stale temporary files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-evict-'));
    const now = Date.now() / 1000;
    for (let i = 0; i < 10; i++) {
      const file = path.join(dir, `${i}.json`);
      fs.writeFileSync(file, Buffer.alloc(100));
      // Entry 0 is the least recently used, 9 the most.
      fs.utimesSync(file, now - 1000 + i, now - 1000 + i);
    }
    fs.writeFileSync(path.join(dir, '.x.1.a.tmp'), 'old');
    fs.utimesSync(path.join(dir, '.x.1.a.tmp'), now - 7200, now - 7200);
    fs.writeFileSync(path.join(dir, '.y.2.b.tmp'), 'being written');
    expect(evict(dir, 1000)).toBe(0);
    expect(evict(dir, 900)).toBe(3);
    expect(fs.readdirSync(dir).sort()).toEqual(['.y.2.b.tmp', '3.json', '4.json', '5.json', '6.json', '7.json', '8.json', '9.json']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a build that writes past the bound evicts, listing the folder only when it may be over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-evict-'));
    const size = () => fs.readdirSync(dir).reduce((n, name) => n + fs.statSync(path.join(dir, name)).size, 0);
    const cache = new DiskCache(dir);
    for (let i = 0; i < 10; i++) cache.write(`key${i}`, 'x'.repeat(100));
    cache.evictIfWritten(600);
    expect(size()).toBeLessThanOrEqual(480);
    for (let round = 0; round < 5; round++) {
      cache.write(`more${round}`, 'y'.repeat(100));
      cache.evictIfWritten(600);
      expect(size()).toBeLessThanOrEqual(600);
    }
    expect(cache.read('more4')).toBe('y'.repeat(100));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the folder’s size in a tally for later builds, which list the folder again only when it may be over or the tally is a day old', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-evict-'));
    const entryBytes = () => fs.readdirSync(dir).reduce((n, name) => n + (name.endsWith('.json') ? fs.statSync(path.join(dir, name)).size : 0), 0);
    const tally = () => JSON.parse(fs.readFileSync(path.join(dir, 'tally'), 'utf8')) as { bytes: number; listed: number };
    // Each build its own DiskCache, as each process has.
    for (let i = 0; i < 3; i++) {
      const cache = new DiskCache(dir);
      cache.write(`key${i}`, 'x'.repeat(100));
      cache.evictIfWritten(1000);
    }
    expect(tally().bytes).toBe(entryBytes());
    // Entries written by a build that never tallied (killed): the tally believes itself until a write takes it past the bound.
    fs.writeFileSync(path.join(dir, 'untallied.json'), Buffer.alloc(500));
    const quiet = new DiskCache(dir);
    quiet.write('key3', 'x'.repeat(100));
    quiet.evictIfWritten(1000);
    expect(fs.existsSync(path.join(dir, 'untallied.json'))).toBe(true);
    expect(tally().bytes).toBeLessThan(entryBytes());
    // A day-old tally is not believed: the folder is listed, and the stray file is the oldest entry, so it goes.
    fs.utimesSync(path.join(dir, 'untallied.json'), new Date(0), new Date(0));
    fs.writeFileSync(path.join(dir, 'tally'), JSON.stringify({ ...tally(), listed: Date.now() - 25 * 60 * 60 * 1000 }));
    const late = new DiskCache(dir);
    late.write('key4', 'x'.repeat(100));
    late.evictIfWritten(1000);
    expect(fs.existsSync(path.join(dir, 'untallied.json'))).toBe(false);
    expect(entryBytes()).toBeLessThanOrEqual(800);
    expect(tally().bytes).toBe(entryBytes());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a hit marks its entry as recently used', async () => {
    const dir = tempBook({ 'book.yaml': 'title: Cache\n', '1.md': '# One\n\nText one.\n' });
    await buildBook(loadManuscript(dir));
    const [entry] = entries().map((n) => path.join(chapterCacheDir(), n));
    fs.utimesSync(entry as string, 1000, 1000);
    clearChapterCache();
    await buildBook(loadManuscript(dir));
    expect(fs.statSync(entry as string).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('`colophon cache` says where and how much; `cache clear` empties it', async () => {
    await buildBook(loadManuscript(tempBook({ 'book.yaml': 'title: Cache\n', '1.md': '# One\n', '2.md': '# Two\n' })));
    const info = await runCli('cache');
    expect(info.code).toBe(0);
    expect(info.out).toContain(`${chapterCacheDir()}: 2 entries (2 parsed chapter(s)),`);
    expect(info.out).toContain('of at most 512.0 MiB');
    // Not everything in the folder is a chapter: the other writers' entries are named for what they hold.
    fs.writeFileSync(path.join(chapterCacheDir(), `font-${'a'.repeat(40)}.json`), '{}');
    fs.writeFileSync(path.join(chapterCacheDir(), `rendered-epub-${'b'.repeat(32)}.json`), '{}');
    fs.writeFileSync(path.join(chapterCacheDir(), `cover-${'c'.repeat(40)}.json`), '{}');
    expect((await runCli('cache')).out).toContain(': 5 entries (2 parsed chapter(s), 1 set(s) of serialised chapters, 1 font fact(s), 1 drawn cover(s)),');
    // The bin's code caches (src/cli/colophon.cjs) go too.
    const code = path.join(path.dirname(chapterCacheDir()), 'code');
    fs.mkdirSync(code, { recursive: true });
    fs.writeFileSync(path.join(code, 'x-build.bin'), 'code');
    const clear = await runCli('cache', 'clear');
    expect(clear.code).toBe(0);
    expect(clear.out).toMatch(/cleared .*: 5 entries \(2 parsed chapter\(s\),/);
    expect(entries()).toEqual([]);
    expect(fs.existsSync(code)).toBe(false);
    expect((await runCli('cache', 'purge')).code).toBe(2);
  });
});

describe('a generated cover kept on disk', () => {
  /** A build in a process of its own, with `env`. */
  const buildIn = (args: string[], env: NodeJS.ProcessEnv) =>
    new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [BIN, 'build', ...args, '-q'], { env }, (e, _out, err) => (e ? reject(new Error(err)) : resolve())),
    );

  it('is drawn once: a build in a new process reuses it byte for byte; a broken entry or --no-cache draws it again', async () => {
    const real = (await findBrowser())?.executablePath;
    expect(real, 'a Chromium to draw covers with').toBeDefined();
    const dir = tempBook({ 'book.yaml': 'title: A Cover Kept\nauthor: Ann Author\nlanguage: en\n', '01-one.md': '# One\n\nText.\n' });
    // The browser through a wrapper that notes each start: the cache's key names this file as the browser.
    const starts = path.join(dir, 'starts.log');
    const wrapper = path.join(dir, 'chromium');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho start >> '${starts}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: wrapper };
    const started = () => (fs.existsSync(starts) ? fs.readFileSync(starts, 'utf8').trim().split('\n').length : 0);
    const epub = (run: number) => fs.readFileSync(path.join(dir, `dist-${run}`, 'a-cover-kept.epub'));
    const covers = () => allEntries().filter((n) => n.startsWith('cover-'));

    await buildIn([dir, '-o', path.join(dir, 'dist-1'), '-t', 'epub'], env);
    expect(started()).toBe(1);
    expect(covers()).toHaveLength(1);
    await buildIn([dir, '-o', path.join(dir, 'dist-2'), '-t', 'epub'], env);
    expect(started(), 'the second build started no browser').toBe(1);
    expect(epub(2).equals(epub(1))).toBe(true);

    const entry = path.join(chapterCacheDir(), covers()[0] as string);
    const whole = fs.readFileSync(entry);
    fs.writeFileSync(entry, whole.subarray(0, whole.length >> 1));
    await buildIn([dir, '-o', path.join(dir, 'dist-3'), '-t', 'epub'], env);
    expect(started(), 'a truncated entry is drawn again').toBe(2);
    expect(epub(3).equals(epub(1))).toBe(true);
    expect(fs.readFileSync(entry).equals(whole), 'and stored whole again').toBe(true);

    await buildIn([dir, '-o', path.join(dir, 'dist-4'), '-t', 'epub', '--no-cache'], env);
    expect(started(), '--no-cache draws').toBe(3);
    expect(epub(4).equals(epub(1))).toBe(true);
  }, 120_000);
});
