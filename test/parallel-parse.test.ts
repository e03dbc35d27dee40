/**
 * Cold parsing in worker threads (src/pipeline/parallel-parse.ts): the book is the serial build's byte
 * for byte, a chapter that fails in a worker fails as it does serially, and the pool is used only
 * when it pays.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chapterOptions } from '../src/book-pass/build-book.ts';
import { build } from '../src/build.ts';
import { ColophonError } from '../src/diagnostics.ts';
import { loadManuscript } from '../src/manuscript/load.ts';
import { cacheStats, clearChapterCache, resetCacheStats } from '../src/pipeline/chapters.ts';
import { PARALLEL_MIN_BYTES, parseMissingInParallel, poolSize } from '../src/pipeline/parallel-parse.ts';
import { cleanupTempBooks, FIXTURE_BOOK, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

beforeEach(() => {
  clearChapterCache();
  resetCacheStats();
});

async function outputs(parallel: { workers: number; alongside?: boolean }): Promise<Map<string, Buffer>> {
  clearChapterCache();
  const out = tempBook({});
  await build({ input: FIXTURE_BOOK, outDir: out, formats: ['html', 'epub'], env: {}, cache: false, parallel });
  return new Map(fs.readdirSync(out).map((n) => [n, fs.readFileSync(path.join(out, n))]));
}

describe('parallel cold parsing', () => {
  it('gives the serial build’s outputs byte for byte, every chapter parsed in a worker', async () => {
    const serial = await outputs({ workers: 0 });
    const chapters = cacheStats().misses;
    expect(chapters).toBeGreaterThan(2);
    // Every chapter parsed by the workers, none by buildBook after them.
    clearChapterCache();
    const manuscript = loadManuscript(FIXTURE_BOOK);
    expect(await parseMissingInParallel(manuscript.chapters, chapterOptions(manuscript, { cache: false }), { workers: 2, alongside: false })).toEqual({
      workers: 2,
      inWorkers: chapters,
    });
    resetCacheStats();
    const inWorkers = await outputs({ workers: 2, alongside: false });
    expect(cacheStats()).toEqual({ hits: 0, misses: chapters });
    expect([...inWorkers.keys()]).toEqual([...serial.keys()]);
    for (const [name, bytes] of serial) expect((inWorkers.get(name) as Buffer).equals(bytes), name).toBe(true);
    const shared = await outputs({ workers: 1 });
    for (const [name, bytes] of serial) expect((shared.get(name) as Buffer).equals(bytes), name).toBe(true);
  });

  it('a chapter that fails in a worker fails with the serial build’s error', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Deep\n',
      '1.md': '# Fine\n\nText.\n',
      '2.md': `# Deep\n\n${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}\n`,
    });
    const run = (workers: number) =>
      build({ input: dir, outDir: tempBook({}), formats: ['html'], env: {}, cache: false, parallel: { workers, alongside: false } });
    const serial = await run(0).catch((e: unknown) => e);
    clearChapterCache();
    const parallel = await run(1).catch((e: unknown) => e);
    expect(serial).toBeInstanceOf(ColophonError);
    expect((parallel as ColophonError).diagnostics).toEqual((serial as ColophonError).diagnostics);
  });

  it('starts workers only for enough text, and leaves the cached chapters alone', async () => {
    const chunk = (bytes: number) => ({
      key: 'k',
      chunk: { id: 'c', text: 'x'.repeat(bytes), lineOffset: 0, source: { path: '/a.md', relPath: 'a.md', text: '' } },
    });
    expect(await poolSize([chunk(1000), chunk(1000), chunk(1000), chunk(1000)], {}, async () => 8)).toBe(0);
    const big = Array.from({ length: 8 }, () => chunk(PARALLEL_MIN_BYTES / 4));
    // One core is this thread's; a core mostly used by another process is not counted.
    expect(await poolSize(big, {}, async () => 2)).toBe(1);
    expect(await poolSize(big, {}, async () => 1.6)).toBe(1);
    expect(await poolSize(big, {}, async () => 1.3)).toBe(0);
    expect(await poolSize(big, {}, async () => 0)).toBe(0);
    expect(await poolSize(big, {}, async () => 32)).toBe(7);
    expect(await poolSize(big.slice(0, 5), {}, async () => 32)).toBe(4);
    expect(await poolSize(big, { workers: 3 }, async () => 0)).toBe(3);
    expect(await poolSize(big.slice(0, 2), { workers: 3 }, async () => 0)).toBe(1);
    // Everything cached: nothing to parse, no worker.
    const manuscript = loadManuscript(FIXTURE_BOOK);
    await build({ input: FIXTURE_BOOK, outDir: tempBook({}), formats: ['html'], env: {} });
    expect(await parseMissingInParallel(manuscript.chapters, chapterOptions(manuscript), { workers: 2 })).toEqual({ workers: 0, inWorkers: 0 });
  });
});
