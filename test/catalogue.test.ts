/**
 * Backlists: six books (the fixture, the sample, Alice from the corpus, the Hebrew and French proof
 * books, and a single-file book given per-title settings in catalogue.yaml) plus one broken book,
 * built as a catalogue with -j 3 and through a real BullMQ queue on a real redis-server with two
 * workers, one of them killed mid-job. Every output must be byte-identical to building that book
 * alone with `colophon build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../src/bench/redis-server.ts';
import { buildCatalogue } from '../src/catalogue/build-catalogue.ts';
import { resolveTitles } from '../src/catalogue/titles.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { ARCHIVE_PREFIX, colophonIdentity } from '../src/queue/jobs.ts';
import { cleanupHostile, runCli, snapshot, tempDir } from './helpers/hostile.ts';
import { BIN, descendants, sleep, spawnBuild, waitFor } from './helpers/hostile-procs.ts';
import { CORPUS, FIXTURE_BOOK, SAMPLE_BOOK } from './helpers/temp-book.ts';

const LANGUAGES = path.resolve(import.meta.dirname, 'fixtures/languages');

const POEMS = `---
title: Small Hours
author: Ruth Fenn
date: 2021-03-04
---
# Night

:::poem
The kettle ticks as it cools,
the street lamp hums its one note.
:::

# Morning

A plain paragraph, with a note.[^1]

[^1]: Written before breakfast.
`;
/** The same book with the catalogue's per-title settings written into its own front matter. */
const POEMS_SET = POEMS.replace('date: 2021-03-04\n', 'date: 2021-03-04\npublisher: Hawthorn Press\nprint:\n  trim: 5x8in\n');

const CATALOGUE = `# Six titles and one that cannot build.
titles:
  - feature
  - sample
  - alice.md
  - he
  - fr
  - path: poems.md
    set: { publisher: Hawthorn Press, print: { trim: 5x8in } }
  - broken
`;

let root = '';
/** Manuscript (absolute) → the files of building it alone, name → SHA-256. */
const reference = new Map<string, Record<string, string>>();
const GOOD = ['feature', 'sample', 'alice.md', 'he', 'fr', 'poems.md'];

afterAll(cleanupHostile);

beforeAll(async () => {
  root = tempDir('colophon-catalogue-');
  fs.cpSync(FIXTURE_BOOK, path.join(root, 'feature'), { recursive: true });
  fs.cpSync(SAMPLE_BOOK, path.join(root, 'sample'), { recursive: true });
  fs.copyFileSync(path.join(CORPUS, 'alice.md'), path.join(root, 'alice.md'));
  fs.cpSync(path.join(LANGUAGES, 'he'), path.join(root, 'he'), { recursive: true });
  fs.cpSync(path.join(LANGUAGES, 'fr'), path.join(root, 'fr'), { recursive: true });
  fs.writeFileSync(path.join(root, 'poems.md'), POEMS);
  fs.mkdirSync(path.join(root, 'broken'));
  fs.writeFileSync(path.join(root, 'broken/book.yaml'), 'title: A Broken Book\n');
  fs.writeFileSync(path.join(root, 'broken/01.md'), '# One\n\nFine so far.\n\nSee [the end](02-missing.md).\n');
  fs.writeFileSync(path.join(root, 'catalogue.yaml'), CATALOGUE);
  const alone = path.join(tempDir('colophon-alone-'), 'poems.md');
  fs.writeFileSync(alone, POEMS_SET);

  // Each book built alone, by the CLI, two at a time (the machine has two cores).
  const jobs = GOOD.map((name) => ({ input: path.join(root, name), build: name === 'poems.md' ? alone : path.join(root, name) }));
  const next = async (): Promise<void> => {
    const job = jobs.shift();
    if (!job) return;
    const out = tempDir('colophon-ref-');
    const r = await spawnBuild([job.build, '-o', out, '-q']).done;
    expect(r.code, r.stderr).toBe(0);
    reference.set(job.input, snapshot(out));
    return next();
  };
  await Promise.all([next(), next()]);
  expect(reference.size).toBe(6);
}, 900_000);

/** Each built title's folder holds exactly the files of building it alone. */
function expectSameAsAlone(outDir: string, built: { input: string; slug?: string }[]) {
  expect(built.map((b) => b.input).sort()).toEqual(GOOD.map((n) => path.join(root, n)).sort());
  for (const b of built) expect(snapshot(path.join(outDir, b.slug as string)), b.input).toEqual(reference.get(b.input));
}

describe('colophon build with many books', () => {
  it('builds a catalogue with -j 3: every book byte-identical to building it alone; the broken one fails with file:line and stops nothing', async () => {
    const dist = tempDir('colophon-catalogue-dist-');
    const r = await runCli('build', path.join(root, 'catalogue.yaml'), '-o', dist, '-j', '3', '--json');
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as {
      ok: boolean;
      jobs: number;
      titles: {
        input: string;
        title?: string;
        slug?: string;
        status: string;
        pages?: number;
        errors: { code: string; location?: { file: string; line: number } }[];
      }[];
    };
    expect(report.ok).toBe(false);
    expect(report.jobs).toBe(3);
    expect(report.titles.map((t) => t.status)).toEqual(['built', 'built', 'built', 'built', 'built', 'built', 'failed']);
    const broken = report.titles[6];
    expect(broken?.errors[0]).toMatchObject({ location: { file: path.join(root, 'broken/01.md'), line: 5 } });
    const built = report.titles.filter((t) => t.status === 'built');
    for (const t of built) expect(t.pages).toBeGreaterThan(2);
    expectSameAsAlone(dist, built);
    // One folder per title, and nothing else.
    expect(fs.readdirSync(dist).sort()).toEqual(built.map((t) => t.slug).sort());
  }, 900_000);

  it('restarts a crashed browser and prints only the books it was printing once more; the summary table says so', async () => {
    const titles = resolveTitles([path.join(root, 'feature'), path.join(root, 'fr'), path.join(root, 'poems.md')]);
    // poems.md without the catalogue's settings is another book: give it the same overrides.
    const poems = resolveTitles([path.join(root, 'catalogue.yaml')]).find((t) => t.input.endsWith('poems.md'));
    titles[2] = poems as (typeof titles)[number];
    let launches = 0;
    let killed = 0;
    const launchBrowser = async (): Promise<PrintBrowser> => {
      launches++;
      const before = new Set(descendants(process.pid).map((p) => p.pid));
      const browser = await PrintBrowser.launch();
      if (launches > 1) return browser;
      const mine = descendants(process.pid).filter((p) => !before.has(p.pid));
      // The first browser dies the first time a book uses it, as a crashed Chromium would.
      return new Proxy(browser, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function' || prop === 'close') return value;
          return async (...args: unknown[]) => {
            if (killed === 0) {
              killed = mine.length;
              for (const p of mine) process.kill(p.pid, 'SIGKILL');
              await waitFor(() => (target.connected ? undefined : true), 10_000);
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    };
    const dist = tempDir('colophon-crash-dist-');
    const results = await buildCatalogue(titles, { outDir: dist, jobs: 2, launchBrowser });
    expect(killed).toBeGreaterThan(0);
    expect(launches).toBe(2);
    expect(results.map((r) => [r.status, r.errors])).toEqual(results.map(() => ['built', []]));
    const retried = results.filter((r) => r.retried).length;
    expect(retried).toBeGreaterThanOrEqual(1);
    expect(retried).toBeLessThanOrEqual(2);
    for (const r of results) expect(snapshot(path.join(dist, r.slug as string)), r.label).toEqual(reference.get(r.input));
    const { buildRows, formatSummary } = await import('../src/catalogue/summary.ts');
    expect(formatSummary(buildRows(results), 1000)).toMatch(/built \(retried\)/);
  }, 600_000);

  it('check takes many books: one line each, the broken one with file:line, exit 1', async () => {
    const r = await runCli('check', path.join(root, 'fr'), path.join(root, 'broken'), '--skip', 'pdf,epub', '-j', '2');
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/^ {2}Un été à Paris +(ready|warnings) /m);
    // A book whose model could not be made is named as it was given.
    expect(r.out).toMatch(/^ {2}\S+\/broken +FAILED +– +[\d.]+ s +0 +\S+\/broken\/01\.md:5:5: link to "02-missing\.md"/m);
    expect(r.out).toMatch(/2 title\(s\): 1 ok, 1 failed/);
  }, 300_000);
});

interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function startWorker(url: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, '-j', '1', '--lock', '10', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, log: () => log, exited };
}

interface StatusRow {
  id: string;
  label: string;
  state: string;
  attempts: number;
  report?: { worker: string; slug: string };
  errors: { code: string; message: string }[];
}

async function queueStatus(url: string, queue = 'colophon'): Promise<StatusRow[]> {
  const r = await runCli('queue', 'status', '--redis', url, '--queue', queue, '--json');
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { titles: StatusRow[] }).titles;
}

async function untilSettled(url: string, count: number, queue = 'colophon', ms = 600_000): Promise<StatusRow[]> {
  const end = performance.now() + ms;
  for (;;) {
    const rows = await queueStatus(url, queue);
    if (rows.length === count && rows.every((r) => r.state === 'completed' || r.state === 'failed')) return rows;
    if (performance.now() > end) throw new Error(`the queue did not settle: ${JSON.stringify(rows.map((r) => [r.label, r.state]))}`);
    await sleep(1000);
  }
}

describe('the queue: BullMQ on a real redis-server', () => {
  let redis: RunningRedis;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await redis?.stop();
  });

  it('two workers, one killed mid-job: every book built once, byte-identical to building it alone; adding them again returns the stored results', async () => {
    const added = await runCli('queue', 'add', path.join(root, 'catalogue.yaml'), '--redis', redis.url, '--json');
    expect(added.code, added.err).toBe(1);
    const outcomes = (JSON.parse(added.out) as { titles: { label: string; outcome: string; errors: { location?: { file: string; line: number } }[] }[] })
      .titles;
    expect(outcomes.map((t) => t.outcome)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued', 'queued', 'refused']);
    expect(outcomes[6]?.errors[0]?.location).toMatchObject({ file: path.join(root, 'broken/01.md'), line: 5 });

    const doomed = startWorker(redis.url);
    const survivor = startWorker(redis.url);
    workers.push(doomed, survivor);
    // Killed a second into its first book, with no chance to say anything to Redis.
    expect(await waitFor(() => (/^building /m.test(doomed.log()) ? true : undefined), 120_000), doomed.log()).toBe(true);
    await sleep(1000);
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const rows = await untilSettled(redis.url, 6);
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'completed'));
    const survivorId = `${(await import('node:os')).hostname()}:${survivor.child.pid}`;
    // The killed worker's book was taken over after its lock expired and built by the survivor.
    expect(rows.filter((r) => r.attempts === 2).length, JSON.stringify(rows)).toBeGreaterThanOrEqual(1);
    for (const r of rows) expect(r.report?.worker).toBe(survivorId);

    const out = tempDir('colophon-queue-results-');
    const collected = await runCli('queue', 'results', out, '--redis', redis.url);
    expect(collected.code, collected.err).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      ok: boolean;
      titles: { label: string; slug: string; state: string }[];
    };
    expect(report.ok).toBe(true);
    expectSameAsAlone(
      out,
      report.titles.map((t) => ({ input: path.resolve(t.label), slug: t.slug })),
    );

    const again = await runCli('queue', 'add', path.join(root, 'catalogue.yaml'), '--redis', redis.url, '--json');
    const second = (JSON.parse(again.out) as { titles: { outcome: string; jobId?: string }[] }).titles;
    expect(second.map((t) => t.outcome)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored', 'stored', 'refused']);
    expect(
      second
        .slice(0, 6)
        .map((t) => t.jobId)
        .sort(),
    ).toEqual(rows.map((r) => r.id).sort());
  }, 1_200_000);

  it('a job that fails twice stays failed with its error; a malformed archive fails at once; no Redis or a wrong URL is a clear error', async () => {
    // A browser that crashes on start: the build fails in a way another try might fix, so it gets exactly one.
    const fake = path.join(tempDir('colophon-fake-chrome-'), 'chrome');
    fs.writeFileSync(fake, '#!/bin/sh\nkill -SEGV $$\n', { mode: 0o755 });
    const crashing = startWorker(redis.url, ['--queue', 'crashing'], { ...process.env, PUPPETEER_EXECUTABLE_PATH: fake });
    workers.push(crashing);
    const added = await runCli('queue', 'add', path.join(root, 'fr'), '--redis', redis.url, '--queue', 'crashing', '-t', 'pdf');
    expect(added.code, added.err).toBe(0);
    // A job whose archive was damaged on its way: no second try, the reason is kept.
    const connection = new Redis(redis.url);
    const queue = new Queue('crashing', { connection });
    await connection.set(`${ARCHIVE_PREFIX}${'a'.repeat(64)}`, 'not a zip');
    const data = { label: 'damaged', address: 'a'.repeat(64), colophon: colophonIdentity() };
    await queue.add('Damaged', data, { jobId: 'damaged', attempts: 2 });
    await queue.close();
    connection.disconnect();

    const rows = await untilSettled(redis.url, 2, 'crashing', 300_000);
    const fr = rows.find((r) => r.label.endsWith('fr')) as StatusRow;
    expect(fr.state).toBe('failed');
    expect(fr.attempts).toBe(2);
    expect(fr.errors[0]?.code).toBe('pdf/browser');
    const damaged = rows.find((r) => r.id === 'damaged') as StatusRow;
    expect(damaged.state).toBe('failed');
    expect(damaged.attempts).toBe(1);
    expect(damaged.errors[0]?.code).toBe('queue/bad-archive');
    const results = await runCli('queue', 'results', tempDir(), '--redis', redis.url, '--queue', 'crashing');
    expect(results.code).toBe(1);
    expect(results.err).toMatch(/FAILED: Un été à Paris\n.*the print browser failed/);

    const noRedis = await runCli('queue', 'status', '--redis', 'redis://127.0.0.1:1');
    expect(noRedis.code).toBe(1);
    expect(noRedis.err).toMatch(/error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*\[queue\/no-redis\]\n {2}hint: Start it/);
    const wrongUrl = await runCli('worker', '--redis', 'http://127.0.0.1:6379');
    expect(wrongUrl.code).toBe(2);
    expect(wrongUrl.err).toMatch(/is not a Redis URL \(http\)/);
  }, 600_000);
});
