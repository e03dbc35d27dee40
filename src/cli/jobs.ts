/** `-j N`: how many books (and print pages) at a time; by default one per core. */
import os from 'node:os';
import type { ParsedArgs } from './command.ts';

/** The number of jobs, or a usage message. */
export function jobsOption(value: ParsedArgs['values'][string]): number | string {
  if (value === undefined) return Math.max(1, os.availableParallelism());
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64) return `-j takes a whole number of jobs from 1 to 64, got "${String(value)}"`;
  return n;
}
