/**
 * Peak memory of a process and every descendant (Chromium's browser, renderer and GPU processes,
 * Java), sampled from /proc: process.memoryUsage() alone would miss the browser, which holds most of
 * the memory when printing a long book. Each process counts its proportional set size (PSS: a page
 * shared by n processes counts 1/n in each), so the sum is the memory the tree takes: Chromium's
 * processes map the same libraries, and summing their resident sizes counted those once per process
 * (the 505k-word book's PDF stage: 2.0 GiB of RSS against 1.3 GiB of PSS). Where a kernel gives no
 * PSS (smaps_rollup, Linux 4.14), the resident size. Linux only; elsewhere only this process.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function memoryBytes(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // No smaps_rollup (an old kernel), or the process ended: its resident size, if any.
  }
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sums the memory of the tree rooted at `root`; the sampler's worker runs this very function. */
export function treeMemoryBytes(root: number): number {
  return fs.existsSync('/proc/self/stat') ? processTree(root).reduce((sum, pid) => sum + memoryBytes(pid), 0) : process.memoryUsage().rss;
}

/**
 * Samples in a worker thread: the main thread spends seconds in synchronous work (parsing a long
 * book), during which a timer there would not fire and the peak would be missed.
 */
export class MemorySampler {
  private readonly peaks = new Float64Array(new SharedArrayBuffer(16));
  private worker: Worker | undefined;
  /** @param root the process whose tree is sampled (default: this one). */
  constructor(
    private readonly intervalMs = 100,
    private readonly root = process.pid,
  ) {}

  get peakBytes(): number {
    return this.peaks[0] as number;
  }
  get overallPeakBytes(): number {
    return this.peaks[1] as number;
  }

  start(): void {
    const code = `
      const { workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      ${processTree.toString()}
      ${memoryBytes.toString()}
      ${treeMemoryBytes.toString()}
      const peaks = new Float64Array(workerData.buffer);
      const tick = () => {
        const total = treeMemoryBytes(workerData.pid);
        peaks[0] = Math.max(peaks[0], total);
        peaks[1] = Math.max(peaks[1], total);
      };
      tick();
      setInterval(tick, workerData.intervalMs);`;
    this.worker = new Worker(code, { eval: true, workerData: { buffer: this.peaks.buffer, pid: this.root, intervalMs: this.intervalMs } });
    this.worker.unref();
  }

  resetPeak(): void {
    this.peaks[0] = treeMemoryBytes(this.root);
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}
