/**
 * How many cores other processes leave to this one, measured over the last moments rather than read
 * from the load average. The one-minute load average remembers this command's own previous run: two
 * builds a few seconds apart found a load of 1 on an idle 2-core machine and parsed serially (every
 * cold build of the bench did). The kernel's idle counters (os.cpus(), /proc/stat) plus this process's
 * own CPU time over the same span give the cores no other process used. The span starts when this
 * module loads (a command's own start, ~0.4 s before it parses); when that is too short to read
 * (10 ms counter ticks) or too old to speak of now (a watch or test process), a fresh span of
 * MIN_SPAN_MS is measured.
 */
import os from 'node:os';

const MIN_SPAN_MS = 100;
const MAX_SPAN_MS = 2_000;

/** The machine's idle time summed over its cores and this process's CPU time, at `at` (all in ms). */
export interface CpuSample {
  at: number;
  idleMs: number;
  ownMs: number;
}

export function cpuSample(): CpuSample {
  const idleMs = os.cpus().reduce((n, cpu) => n + cpu.times.idle, 0);
  const { user, system } = process.cpuUsage();
  return { at: performance.now(), idleMs, ownMs: (user + system) / 1000 };
}

/** Cores idle or used by this process between two samples, at most `cap` (a container's CPU quota can be below the machine's count). */
export function freeCores(from: CpuSample, to: CpuSample, cap: number): number {
  const span = to.at - from.at;
  if (span <= 0) return 0;
  return Math.max(0, Math.min(cap, (to.idleMs - from.idleMs + (to.ownMs - from.ownMs)) / span));
}

const loaded = cpuSample();

/** Cores no other process used just now. */
export async function coresFreeOfOthers(): Promise<number> {
  const from = performance.now() - loaded.at > MAX_SPAN_MS ? cpuSample() : loaded;
  const wait = MIN_SPAN_MS - (performance.now() - from.at);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return freeCores(from, cpuSample(), os.availableParallelism());
}
