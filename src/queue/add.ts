/**
 * `colophon queue add`: one job per title. Each manuscript is modelled here first (in the model
 * threads), which both finds exactly the files its build reads and refuses bad input before it is
 * queued; then it is packed and added under its idempotency key.
 */
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ModelPool } from '../catalogue/model-pool.ts';
import type { Title } from '../catalogue/titles.ts';
import { ColophonError, type Diagnostic } from '../diagnostics.ts';
import { packManuscript } from './archive.ts';
import { ARCHIVE_PREFIX, ATTEMPTS, type BookJobData, type BookReport, colophonIdentity, jobKey } from './jobs.ts';

export interface Added {
  label: string;
  title?: string;
  jobId?: string;
  /** queued: new; stored: built before, its result is kept; pending: already waiting or running; retried: had failed, queued again. */
  outcome: 'queued' | 'stored' | 'pending' | 'retried' | 'refused';
  errors: Diagnostic[];
}

export async function addTitles(
  redis: Redis,
  queue: Queue<BookJobData, BookReport>,
  titles: Title[],
  options: { formats?: string[]; jobs: number; env?: NodeJS.ProcessEnv },
): Promise<Added[]> {
  const env = options.env ?? process.env;
  const colophon = colophonIdentity();
  const models = new ModelPool(Math.max(1, Math.min(options.jobs, titles.length)));
  try {
    return await Promise.all(
      titles.map(async (title): Promise<Added> => {
        let model: Awaited<ReturnType<ModelPool['model']>>;
        try {
          model = await models.model(title.input, { wantSources: true, ...(title.overrides ? { overrides: title.overrides } : {}), env });
        } catch (e) {
          if (!(e instanceof ColophonError)) throw e;
          return { label: title.label, outcome: 'refused', errors: e.diagnostics };
        }
        const { book, sources } = model;
        // The manuscript as a path inside the archive: `.` for a folder, else the single file's name.
        const entry = path.relative(book.root, title.input).split(path.sep).join('/') || '.';
        const packed = await packManuscript(book.root, sources, entry);
        const formats = title.formats ?? options.formats;
        const settings: Omit<BookJobData, 'label'> = {
          address: packed.address,
          colophon,
          ...(formats ? { formats } : {}),
          ...(title.overrides ? { overrides: title.overrides } : {}),
          ...(title.slug ? { slug: title.slug } : {}),
          ...(env.SOURCE_DATE_EPOCH ? { sourceDateEpoch: env.SOURCE_DATE_EPOCH } : {}),
        };
        const jobId = jobKey(settings);
        const base = { label: title.label, title: book.metadata.title, jobId, errors: [] };
        // NX: an archive is its address, so one already there is already right.
        const store = () => redis.set(`${ARCHIVE_PREFIX}${packed.address}`, Buffer.from(packed.bytes), 'NX');
        const existing = await queue.getJob(jobId);
        if (existing) {
          const state = await existing.getState();
          if (state === 'completed') return { ...base, outcome: 'stored' };
          if (state === 'failed') {
            await store();
            await existing.retry('failed', { resetAttemptsMade: true });
            return { ...base, outcome: 'retried' };
          }
          return { ...base, outcome: 'pending' };
        }
        await store();
        const data: BookJobData = { ...settings, label: title.label };
        await queue.add(book.metadata.title, data, { jobId, attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false });
        return { ...base, outcome: 'queued' };
      }),
    );
  } finally {
    await models.close();
  }
}
