/**
 * What a queued book is: the job's data (the manuscript's address and the build's settings), its
 * idempotency key, and what a finished job leaves behind. The queue is BullMQ on Redis; Colophon
 * only decides what goes in a job.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConfigOverrides } from '../config/load-config.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { colophonSourcesHash } from '../edition/tool-versions.ts';
import { PACKAGE_VERSION } from '../package-root.ts';
import { sha256 } from './archive.ts';

export const DEFAULT_QUEUE = 'colophon';
/** Redis keys Colophon keeps beside BullMQ's: output files by content hash. */
export const BLOB_PREFIX = 'colophon:blob:';
/**
 * Manuscript archives by address. Kept apart from the job's data, which BullMQ hands out with every
 * listing of the queue: `queue status` should not download every manuscript.
 */
export const ARCHIVE_PREFIX = 'colophon:archive:';
/** Tries per job: a second one after a crash or a killed worker, then the job stays failed. */
export const ATTEMPTS = 2;

export interface BookJobData {
  /** The manuscript as it was named when added. */
  label: string;
  /** The manuscript archive's content address (the SHA-256 of its listing), its key after ARCHIVE_PREFIX. */
  address: string;
  formats?: string[];
  overrides?: ConfigOverrides;
  slug?: string;
  /** SOURCE_DATE_EPOCH where the job was added: the worker's own environment must not change the bytes. */
  sourceDateEpoch?: string;
  /** Colophon version and source hash of the machine that added the job. */
  colophon: string;
}

export interface StoredFile {
  format: string;
  /** File name inside the title's folder. */
  name: string;
  bytes: number;
  sha256: string;
}

/** A completed job's return value: the per-book report; the files themselves are blobs in Redis. */
export interface BookReport {
  label: string;
  title: string;
  slug: string;
  pages?: number;
  ms: number;
  /** host:pid of the worker that built it. */
  worker: string;
  warnings: Diagnostic[];
  files: StoredFile[];
  retried: boolean;
}

/** What a failing job records (as its progress, which BullMQ keeps as JSON) besides its message. */
export interface FailureProgress {
  errors: Diagnostic[];
  title?: string;
}

/** Colophon's version and a hash of its sources: a changed pipeline must not return old results. */
export function colophonIdentity(): string {
  return `${PACKAGE_VERSION}+${colophonSourcesHash()}`;
}

/**
 * The job id: the manuscript's address, Colophon's identity and every option that changes the
 * bytes. The same book added twice is one job, so its stored result is returned; any change is a
 * new job.
 */
export function jobKey(data: Omit<BookJobData, 'label'>): string {
  const key = JSON.stringify({
    address: data.address,
    colophon: data.colophon,
    formats: data.formats ?? null,
    set: data.overrides?.values ?? null,
    slug: data.slug ?? null,
    sourceDateEpoch: data.sourceDateEpoch ?? null,
  });
  return `book-${sha256(key).slice(0, 40)}`;
}

export function openQueue(connection: Redis, name: string): Queue<BookJobData, BookReport> {
  return new Queue<BookJobData, BookReport>(name, { connection });
}
