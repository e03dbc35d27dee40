import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { listJobs } from '../../src/queue/collect.ts';
import type { BookJobData, BookReport } from '../../src/queue/jobs.ts';

/**
 * A job that finishes between `getJobs` (which reads its hash) and `getState` is listed as completed.
 * The listing must then carry its report, read after the state: the queue test once saw a completed
 * row without one on CI, and its caller (`queue results`) would skip that title.
 */
describe('queue status', () => {
  it('reads a job again once its state says it finished, so a completed row has its report', async () => {
    const data: BookJobData = { label: 'book', address: 'a'.repeat(64) } as BookJobData;
    const report = { label: 'book', title: 'A Book', slug: 'a-book', worker: 'host:1', files: [], warnings: [] } as unknown as BookReport;
    const stale = { id: '1', name: 'A Book', data, timestamp: 1, attemptsMade: 0, progress: 0, returnvalue: undefined, getState: async () => 'completed' };
    const fresh = { ...stale, attemptsMade: 1, returnvalue: report };
    const queue = { getJobs: async () => [stale], getJob: async (id: string) => (id === '1' ? fresh : undefined) } as unknown as Queue<BookJobData, BookReport>;
    const rows = await listJobs(queue);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.state).toBe('completed');
    expect(rows[0]?.report).toBe(report);
    expect(rows[0]?.title).toBe('A Book');
  });

  it('keeps the listed copy of a job still waiting, without a second read', async () => {
    const data: BookJobData = { label: 'book', address: 'a'.repeat(64) } as BookJobData;
    const waiting = { id: '2', name: 'B', data, timestamp: 1, attemptsMade: 0, progress: 0, getState: async () => 'waiting' };
    const queue = {
      getJobs: async () => [waiting],
      getJob: async () => {
        throw new Error('not read again');
      },
    } as unknown as Queue<BookJobData, BookReport>;
    const rows = await listJobs(queue);
    expect(rows.map((r) => [r.state, r.report])).toEqual([['waiting', undefined]]);
  });
});
