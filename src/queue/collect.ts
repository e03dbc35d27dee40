/**
 * `colophon queue status` and `queue results`: what the queue holds, per title, and the finished
 * titles' files written out of Redis into `<dir>/<slug>/` with a `report.json`. When a title was
 * added again after a change, its latest job is the current one and earlier jobs are superseded.
 */
import path from 'node:path';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import { writeFilesAtomic } from '../write-atomic.ts';
import { sha256 } from './archive.ts';
import { BLOB_PREFIX, type BookJobData, type BookReport, type FailureProgress } from './jobs.ts';

export interface JobRow {
  id: string;
  label: string;
  title: string;
  state: string;
  /** Tries started so far. */
  attempts: number;
  added: number;
  report?: BookReport;
  errors: Diagnostic[];
  /** An earlier job of a title that was added again. */
  superseded: boolean;
}

const STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

export async function listJobs(queue: Queue<BookJobData, BookReport>): Promise<JobRow[]> {
  const jobs = (await queue.getJobs([...STATES], 0, -1, true)) as Job<BookJobData, BookReport>[];
  const rows: JobRow[] = [];
  for (const listed of jobs) {
    if (!listed?.id) continue;
    const state = await listed.getState();
    // getJobs read the job's hash before its state: a job that finished in between is `completed` with
    // no return value in that copy. Reading it again after its state holds BullMQ's atomic finish.
    const job = state === 'completed' || state === 'failed' ? ((await queue.getJob(listed.id)) ?? listed) : listed;
    const progress = (typeof job.progress === 'object' ? job.progress : {}) as Partial<FailureProgress>;
    const errors =
      state === 'failed'
        ? progress.errors && progress.errors.length > 0
          ? progress.errors
          : [error('queue/job-failed', job.failedReason || 'the job failed', undefined, 'See the worker’s log; `colophon queue add` queues the title again.')]
        : [];
    rows.push({
      id: listed.id,
      label: job.data.label,
      title: job.returnvalue?.title ?? progress.title ?? job.name,
      state,
      attempts: job.attemptsStarted ?? job.attemptsMade,
      added: job.timestamp,
      ...(state === 'completed' && job.returnvalue ? { report: job.returnvalue } : {}),
      errors,
      superseded: false,
    });
  }
  rows.sort((a, b) => a.added - b.added || (a.id < b.id ? -1 : 1));
  const latest = new Map<string, JobRow>();
  for (const row of rows) {
    const earlier = latest.get(row.label);
    if (earlier) earlier.superseded = true;
    latest.set(row.label, row);
  }
  return rows;
}

export interface Collected {
  rows: JobRow[];
  written: string[];
  /** Every current title completed. */
  ok: boolean;
}

/** Writes each current completed title's files to `<dir>/<slug>/`, checked against their hashes, and `report.json`. */
export async function collectResults(redis: Redis, queue: Queue<BookJobData, BookReport>, dir: string): Promise<Collected> {
  const rows = (await listJobs(queue)).filter((r) => !r.superseded);
  const written: string[] = [];
  const slugs = new Map<string, JobRow>();
  for (const row of rows) {
    const report = row.report;
    if (!report) continue;
    const holder = slugs.get(report.slug);
    if (holder) {
      row.errors.push(
        error(
          'catalogue/same-slug',
          `${row.label} and ${holder.label} would both be written to ${report.slug}/`,
          undefined,
          'Give one of them its own `slug:` in catalogue.yaml and add it again.',
        ),
      );
      row.state = 'failed';
      continue;
    }
    slugs.set(report.slug, row);
    const files = [];
    for (const f of report.files) {
      const data = await redis.getBuffer(`${BLOB_PREFIX}${f.sha256}`);
      if (!data || sha256(data) !== f.sha256) {
        throw new ColophonError(
          error(
            'queue/missing-output',
            `${f.name} of "${row.title}" is ${data ? 'damaged' : 'missing'} in Redis`,
            undefined,
            'Add the title again after removing its job, or rebuild it locally.',
          ),
        );
      }
      files.push({ path: path.join(dir, report.slug, f.name), data });
    }
    writeFilesAtomic(files);
    written.push(...files.map((f) => f.path));
  }
  const ok = rows.length > 0 && rows.every((r) => r.state === 'completed');
  const json = {
    ok,
    titles: rows.map((r) => ({
      label: r.label,
      title: r.title,
      state: r.state,
      attempts: r.attempts,
      ...(r.report ? { slug: r.report.slug, pages: r.report.pages, ms: r.report.ms, worker: r.report.worker, retried: r.report.retried } : {}),
      files: r.report?.files ?? [],
      warnings: r.report?.warnings ?? [],
      errors: r.errors,
    })),
  };
  const reportFile = path.join(dir, 'report.json');
  writeFilesAtomic([{ path: reportFile, data: new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`) }]);
  written.push(reportFile);
  return { rows, written, ok };
}
