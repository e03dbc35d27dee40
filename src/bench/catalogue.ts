/**
 * `npm run bench -- --catalogue`: a backlist of generated books (20 of 50,000 words by default, each
 * from its own seed) built four ways, each a whole command as a user runs it and each run with an
 * empty chapter cache of its own (a shared one would let the second way parse nothing): one machine,
 * `colophon build catalogue.yaml -j 1` and `-j 2` (one shared Chromium, model threads), and through the
 * BullMQ queue on a throwaway redis-server with one and with two `colophon worker` processes (-j 1 each,
 * each its own Chromium; the books are added before the workers start and the adding is timed apart).
 * Prints wall time, books per minute, words per second,
 * the speed-up from one to two, the median time of one book, the load average before and after (the
 * machine may be shared), and whether every way gave the same bytes. Medians over --runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTitles, type Title } from '../catalogue/titles.ts';
import { addTitles } from '../queue/add.ts';
import { collectResults, listJobs } from '../queue/collect.ts';
import { openQueue } from '../queue/jobs.ts';
import { connectRedis } from '../queue/redis.ts';
import { generateBook } from './generate.ts';
import { startRedis } from './redis-server.ts';

const BIN = path.resolve(import.meta.dirname, '../cli/bin.mjs');

export interface CatalogueBenchOptions {
  books: number;
  words: number;
  runs: number;
  log: (message: string) => void;
}

interface Run {
  wallMs: number;
  /** Time of each book alone, as its builder measured it. */
  bookMs: number[];
  /** name → SHA-256 of every output, to compare the set-ups. */
  hashes: Record<string, string>;
  /** Queue only: `queue add` (reading, packing and adding every book). */
  addMs?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile() || entry.name === 'report.json') continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** A chapter cache of its own for each run: every way starts cold, as a fresh machine would. */
function coldCache(scratch: string): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CACHE_HOME: fs.mkdtempSync(path.join(scratch, 'cache-')) };
}

/** `colophon build catalogue.yaml -j N` as a user runs it: a process of its own, its Chromium and model threads included. */
async function local(catalogue: string, jobs: number, scratch: string): Promise<Run> {
  const outDir = fs.mkdtempSync(path.join(scratch, `local-j${jobs}-`));
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, 'build', catalogue, '-o', outDir, '-j', String(jobs), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: coldCache(scratch),
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const wallMs = performance.now() - start;
  if (code !== 0) throw new Error(`-j ${jobs}: exit ${code}\n${err}${out}`);
  const report = JSON.parse(out) as { titles: { ms: number }[] };
  const run = { wallMs, bookMs: report.titles.map((r) => r.ms), hashes: hashTree(outDir) };
  fs.rmSync(outDir, { recursive: true, force: true });
  return run;
}

function startWorkerProcess(url: string, queue: string, scratch: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--queue', queue, '-j', '1', '-q'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: coldCache(scratch),
  });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      log += d;
      if (/^worker .* on queue/m.test(log)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`a worker exited with ${code}:\n${log}`)));
  });
  return { child, ready };
}

/**
 * The queue's throughput: the books are added first (`addMs`: reading and packing them is the adding
 * machine's work, done once), then the workers are started and the clock runs until every job is
 * done, their start-up (Chromium, model threads) included.
 */
async function viaQueue(titles: Title[], workers: number, url: string, queueName: string, scratch: string): Promise<Run> {
  const redis = await connectRedis(url);
  const queue = openQueue(redis, queueName);
  let procs: ReturnType<typeof startWorkerProcess>[] = [];
  try {
    const addStart = performance.now();
    const added = await addTitles(redis, queue, titles, { jobs: 2, env: {} });
    const addMs = performance.now() - addStart;
    const refused = added.filter((a) => a.outcome !== 'queued');
    if (refused.length > 0) throw new Error(`queue add: ${refused.map((a) => `${a.label} ${a.outcome}`).join('; ')}`);
    const start = performance.now();
    procs = Array.from({ length: workers }, () => startWorkerProcess(url, queueName, scratch));
    await Promise.all(procs.map((p) => p.ready));
    for (;;) {
      const rows = await listJobs(queue);
      if (rows.length === titles.length && rows.every((r) => r.state === 'completed' || r.state === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallMs = performance.now() - start;
    const outDir = fs.mkdtempSync(path.join(scratch, `queue-w${workers}-`));
    const collected = await collectResults(redis, queue, outDir);
    if (!collected.ok)
      throw new Error(`${workers} worker(s): ${collected.rows.filter((r) => r.state !== 'completed').map((r) => `${r.title}: ${r.errors[0]?.message}`)}`);
    const run = { wallMs, addMs, bookMs: collected.rows.map((r) => r.report?.ms ?? 0), hashes: hashTree(outDir) };
    fs.rmSync(outDir, { recursive: true, force: true });
    return run;
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode === null ? p.child.once('exit', r) : r(null)))));
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    redis.disconnect();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchCatalogue(options: CatalogueBenchOptions): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-catalogue-'));
  const redis = await startRedis();
  try {
    options.log(`generating ${options.books} books of ${options.words.toLocaleString('en')} words in ${scratch}…`);
    let words = 0;
    const lines = ['titles:'];
    for (let i = 1; i <= options.books; i++) {
      const name = `book-${String(i).padStart(2, '0')}`;
      words += generateBook(path.join(scratch, 'books', name), options.words, 1813 + i, `A Generated Chronicle, Volume ${i}`).words;
      lines.push(`  - books/${name}`);
    }
    const catalogue = path.join(scratch, 'catalogue.yaml');
    fs.writeFileSync(catalogue, `${lines.join('\n')}\n`);
    const titles = resolveTitles([catalogue]);
    const loadBefore = os.loadavg();
    const ways: [string, (run: number) => Promise<Run>][] = [
      ['one machine, -j 1', () => local(catalogue, 1, scratch)],
      ['one machine, -j 2', () => local(catalogue, 2, scratch)],
      ['queue, 1 worker', (run) => viaQueue(titles, 1, redis.url, `bench-1-${run}`, scratch)],
      ['queue, 2 workers', (run) => viaQueue(titles, 2, redis.url, `bench-2-${run}`, scratch)],
    ];
    const runs = new Map<string, Run[]>(ways.map(([name]) => [name, []]));
    for (let run = 1; run <= options.runs; run++) {
      for (const [name, way] of ways) {
        const r = await way(run);
        runs.get(name)?.push(r);
        options.log(`  ${name}, run ${run}/${options.runs}: ${s(r.wallMs)} (load ${os.loadavg()[0]?.toFixed(2)})`);
      }
    }
    const loadAfter = os.loadavg();
    const first = runs.get(ways[0]?.[0] as string)?.[0]?.hashes ?? {};
    const identical = [...runs.values()].flat().every((r) => JSON.stringify(r.hashes) === JSON.stringify(first));
    const wall = (name: string) => median((runs.get(name) ?? []).map((r) => r.wallMs));
    const rows = ways.map(([name]) => {
      const w = wall(name);
      const list = runs.get(name) ?? [];
      const add = list[0]?.addMs === undefined ? '' : `  (queue add before: ${s(median(list.map((r) => r.addMs as number)))})`;
      return `  ${name.padEnd(18)} ${s(w).padStart(8)}  ${((options.books / w) * 60_000).toFixed(1).padStart(6)} books/min  ${Math.round(words / (w / 1000))
        .toLocaleString('en')
        .padStart(7)} words/s  one book ${s(median(list.flatMap((r) => r.bookMs))).padStart(7)}${add}`;
    });
    const speedLocal = wall(ways[0]?.[0] as string) / wall(ways[1]?.[0] as string);
    const speedQueue = wall(ways[2]?.[0] as string) / wall(ways[3]?.[0] as string);
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
    return [
      `catalogue: ${options.books} books, ${words.toLocaleString('en')} words; median of ${options.runs} run(s); ${os.availableParallelism()} CPU(s), node ${process.version}`,
      ...rows,
      `  speed-up from 1 to 2: ${speedLocal.toFixed(2)}× on one machine (-j), ${speedQueue.toFixed(2)}× through the queue (workers)`,
      `  outputs of all ${[...runs.values()].flat().length} runs byte-identical: ${identical ? 'yes' : 'NO'}`,
      `  load average (1, 5, 15 min) before: ${load(loadBefore)}; after: ${load(loadAfter)}`,
    ].join('\n');
  } finally {
    await redis.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
