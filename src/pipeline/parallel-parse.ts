/**
 * Cold parsing on every core: the chapters neither cache holds are parsed by the main thread and a
 * pool of worker threads together, each taking the next chapter when it is free, and stored in the
 * caches; parseChapters then only reads them back, in order, so the book is the same byte for byte as
 * a serial build's (tested). A worker needs a while to load the pipeline, so the pool is used only for
 * enough text to pay for it, and never inside a worker thread (a catalogue build that runs whole books
 * in workers parses each book serially: the cores are already busy).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { DiskCache } from '../disk-cache.ts';
import type { ChapterSource } from '../manuscript/manuscript.ts';
import { type ChapterOptions, loadParser, missingChapters, type PlannedChunk, storeParsed } from './chapters.ts';
import { coresFreeOfOthers } from './idle-cores.ts';
import type { PipelineOptions } from './processor.ts';

/**
 * Below this much text to parse, starting a worker (0.5–0.7 s to load the pipeline) costs more than it
 * saves. On 2 cores one worker is about even at Pride and Prejudice's 700 KiB (1.05× the one-thread
 * wall time, paired) and 0.92× at 1.3 MiB (the 137-chapter book): a one-thread parse already keeps
 * V8's garbage collector busy on the second core. More cores leave the workers more room.
 */
export const PARALLEL_MIN_BYTES = 256 * 1024;

export interface ParallelOptions {
  /** Worker threads besides the main thread; default: one less than the cores other processes leave free (idle-cores.ts), 0 when not worth it. */
  workers?: number;
  /** The main thread parses too (default); false leaves every chapter to the workers (tests of the workers' output). */
  alongside?: boolean;
}

/** Enough text to parse that a worker pays for its start. */
function enoughText(missing: PlannedChunk[]): boolean {
  return missing.length >= 4 && missing.reduce((n, m) => n + m.chunk.text.length, 0) >= PARALLEL_MIN_BYTES;
}

/**
 * How many workers to start for these chunks, given the cores not used by other processes
 * (idle-cores.ts; this thread's own included), measured only when the text is worth a worker. Cores
 * other processes keep busy are not ours: on a shared 2-core machine at load 19, one worker made
 * Pride and Prejudice's cold model 1.5× slower (19.6 s against 13.0 s), paying for its own start.
 */
export async function poolSize(missing: PlannedChunk[], options: ParallelOptions, freeCores: () => Promise<number> = coresFreeOfOthers): Promise<number> {
  if (options.workers !== undefined) return Math.max(0, Math.min(options.workers, missing.length - 1));
  if (!isMainThread || !enoughText(missing)) return 0;
  return Math.max(0, Math.min(Math.round(await freeCores()) - 1, missing.length - 1, 7));
}

/** Parses the chapters the caches lack, in parallel when it pays: how many workers, and how many chapters they parsed. */
export async function parseMissingInParallel(
  sources: ChapterSource[],
  options: ChapterOptions,
  parallel: ParallelOptions = {},
): Promise<{ workers: number; inWorkers: number }> {
  const { missing, pipelineOptions } = missingChapters(sources, options);
  const size = await poolSize(missing, parallel);
  if (size === 0) return { workers: 0, inWorkers: 0 };
  const counter = { inWorkers: 0 };
  const disk = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
  // Longest first: the last chapter handed out should be a short one, so that no thread idles long.
  const queue = [...missing].sort((a, b) => b.chunk.text.length - a.chunk.text.length || (a.key < b.key ? -1 : 1));
  const workers = Array.from({ length: size }, () => startWorker());
  const feeds = workers.map((w) => feed(w, queue, pipelineOptions, disk, counter));
  try {
    if (parallel.alongside !== false) await parseHere(queue, pipelineOptions, disk);
    // Wait for the chapters in the workers' hands, not for a worker still loading the pipeline.
    if (parallel.alongside !== false) for (const f of feeds) f.stopWhenIdle();
    await Promise.all(feeds.map((f) => f.done));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  disk?.evictIfWritten();
  return { workers: size, inWorkers: counter.inWorkers };
}

/** The main thread's share: one chapter at a time, yielding between them so that the workers are fed. */
async function parseHere(queue: PlannedChunk[], options: PipelineOptions, disk: DiskCache | undefined): Promise<void> {
  const runChapter = await loadParser();
  for (let next = queue.shift(); next; next = queue.shift()) {
    try {
      storeParsed(next.key, JSON.stringify(runChapter(next.chunk, options)), disk);
    } catch {
      // Left for parseChapters, which reports it with the serial build's error.
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Keeps a worker two chapters ahead: it starts the next as soon as it sends one back, instead of
 * idling until the main thread, busy parsing its own chapter, hands it another (a fifth of the
 * worker's time on the 137-chapter book).
 */
const IN_FLIGHT = 2;

function feed(worker: Worker, queue: PlannedChunk[], options: PipelineOptions, disk: DiskCache | undefined, counter: { inWorkers: number }) {
  let inFlight = 0;
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const give = () => {
    const next = queue.shift();
    if (!next) {
      if (inFlight === 0) finish();
      return;
    }
    inFlight++;
    // The chunk's own text is all it parses: not the whole file a single-file book's chunks share.
    const chunk = { ...next.chunk, source: { ...next.chunk.source, text: '' } };
    worker.postMessage({ key: next.key, chunk, options });
  };
  worker.on('message', (m: { ready?: true; key?: string; json?: string | null }) => {
    if (m.ready) {
      for (let i = 0; i < IN_FLIGHT; i++) give();
      return;
    }
    inFlight--;
    if (m.key && m.json) {
      storeParsed(m.key, m.json, disk);
      counter.inWorkers++;
    }
    give();
  });
  // A worker that cannot start or dies leaves its chapters to the others and to parseChapters.
  worker.on('error', () => finish());
  worker.on('exit', () => finish());
  return {
    done,
    stopWhenIdle: () => {
      if (inFlight === 0) finish();
    },
  };
}

/**
 * From the sources (a .ts file run through tsx) the worker registers tsx before loading its module,
 * as bin.mjs does for the main thread; from the compiled lib/ or the bundle it starts the file itself.
 * Not `import()` of the bundle's .cjs: Node's ESM loader then scans the whole bundled file for its
 * exports with cjs-module-lexer, 0.35 s of the worker's start on the 137-chapter book.
 */
function startWorker(): Worker {
  // Beside this module: the sources' .ts, the library's .js, or the bundle's .cjs (src/cli/bundle.mjs).
  const extension = /\.(ts|js|cjs)$/.exec(import.meta.url)?.[1] ?? 'js';
  const entry = new URL(`./parse-worker.${extension}`, import.meta.url);
  if (extension !== 'ts') return new Worker(entry);
  const code = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true });
}

/** tsx's ESM API as a file URL: the package's `import` export, found from its CommonJS one (vitest has no import.meta.resolve). */
function tsxApi(): string {
  return pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
}
