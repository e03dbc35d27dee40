/**
 * `colophon worker`: takes book jobs from the queue and builds them, `-j` at a time, with the same
 * machinery as a local catalogue build (model threads, one shared browser). A job's manuscript comes
 * out of its archive into a temporary folder; its outputs go back into Redis as content-addressed
 * blobs before the job is marked complete, so a worker killed at any moment leaves either a finished
 * job with all its files or an unfinished one that BullMQ's stalled-job check hands to another worker.
 * A manuscript error fails the job at once (another try would fail the same way); a crash, a killed
 * worker or an internal error gets one more try, then the job stays failed with its error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CatalogueBuilder } from '../catalogue/build-catalogue.ts';
import { ColophonError, error, formatDiagnostic } from '../diagnostics.ts';
import type { PrintBrowser } from '../outputs/pdf/session.ts';
import { sha256, unpackManuscript } from './archive.ts';
import { ARCHIVE_PREFIX, BLOB_PREFIX, type BookJobData, type BookReport, colophonIdentity, type FailureProgress } from './jobs.ts';

export interface WorkerOptions {
  connection: Redis;
  queue: string;
  /** Books built at a time. */
  jobs: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is taken over after about this long. */
  lockMs?: number;
  onEvent?: (event: { kind: 'start' | 'done' | 'failed'; job: Job<BookJobData, BookReport>; message?: string }) => void;
  launchBrowser?: () => Promise<PrintBrowser>;
}

export interface RunningWorker {
  /** host:pid, as reports name the worker that built a title. */
  id: string;
  /** Resolves when the worker has stopped (after `close`). */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const builder = new CatalogueBuilder(options.jobs, options.launchBrowser);
  const me = `${os.hostname()}:${process.pid}`;
  const lockMs = options.lockMs ?? 30_000;
  const identity = colophonIdentity();
  const processJob = async (job: Job<BookJobData, BookReport>): Promise<BookReport> => {
    options.onEvent?.({ kind: 'start', job });
    // The job's key promises the bytes of the Colophon that added it; another version would store other bytes under it.
    if (job.data.colophon !== identity) {
      const message = `the job was added by Colophon ${job.data.colophon}; this worker runs ${identity}`;
      throw await fail(
        job,
        [error('queue/other-version', message, undefined, 'Run the same Colophon on the workers as where `colophon queue add` ran, then add the title again.')],
        message,
        true,
      );
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-job-'));
    try {
      const source = path.join(dir, 'source');
      fs.mkdirSync(source);
      let input: string;
      try {
        const archive = await options.connection.getBuffer(`${ARCHIVE_PREFIX}${job.data.address}`);
        if (!archive) {
          throw new ColophonError(
            error(
              'queue/bad-archive',
              `the manuscript archive ${job.data.address.slice(0, 12)}… is not in Redis`,
              undefined,
              'Add the book to the queue again with `colophon queue add`.',
            ),
          );
        }
        input = await unpackManuscript(archive, job.data.address, source);
      } catch (e) {
        throw await fail(job, e instanceof ColophonError ? e.diagnostics : [], (e as Error).message, true);
      }
      const out = path.join(dir, 'out');
      const result = await builder.build(
        {
          input,
          label: job.data.label,
          ...(job.data.slug ? { slug: job.data.slug } : {}),
          ...(job.data.formats ? { formats: job.data.formats } : {}),
          ...(job.data.overrides ? { overrides: job.data.overrides } : {}),
        },
        { outDir: out, env: job.data.sourceDateEpoch ? { SOURCE_DATE_EPOCH: job.data.sourceDateEpoch } : {} },
      );
      if (result.status === 'failed') {
        // A manuscript error is final; a browser that died twice or an internal error may pass on another try.
        const final = !result.errors.some((d) => d.code === 'internal' || d.code === 'pdf/browser');
        throw await fail(job, result.errors, result.errors.map((d) => formatDiagnostic(d)).join('\n'), final, result.title);
      }
      const files = [];
      for (const f of result.files) {
        const data = fs.readFileSync(f.path);
        const hash = sha256(data);
        // NX: a blob is its content, so one already there is already right.
        await options.connection.set(`${BLOB_PREFIX}${hash}`, data, 'NX');
        files.push({ format: f.format, name: path.basename(f.path), bytes: data.byteLength, sha256: hash });
      }
      return {
        label: job.data.label,
        title: result.title ?? job.data.label,
        slug: result.slug ?? 'book',
        ...(result.pages === undefined ? {} : { pages: result.pages }),
        ms: Math.round(result.ms),
        worker: me,
        warnings: result.warnings,
        files,
        retried: result.retried,
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const worker = new Worker<BookJobData, BookReport>(options.queue, processJob, {
    connection: options.connection,
    concurrency: options.jobs,
    // Started below once the caller has its handle, so nothing is taken before the worker can report it.
    autorun: false,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A job whose worker vanished is retried once; if that worker vanishes too, the job fails.
    maxStalledCount: 1,
  });
  worker.on('completed', (job) => options.onEvent?.({ kind: 'done', job }));
  worker.on('failed', (job, err) => {
    if (job) options.onEvent?.({ kind: 'failed', job, message: err.message });
  });
  worker.on('error', () => {});
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  await worker.waitUntilReady();
  const running = worker.run();
  running.catch(() => {});
  return {
    id: me,
    closed,
    async close() {
      await worker.close();
      await builder.close();
      resolveClosed();
    },
  };
}

/** Records the diagnostics on the job (its progress) and makes the error BullMQ stores as the reason. */
async function fail(job: Job<BookJobData, BookReport>, errors: FailureProgress['errors'], message: string, final: boolean, title?: string): Promise<Error> {
  const progress: FailureProgress = { errors, ...(title ? { title } : {}) };
  await job.updateProgress(progress as unknown as object);
  return final ? new UnrecoverableError(message) : new Error(message);
}
