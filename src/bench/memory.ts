/**
 * Peak resident memory of this process and every descendant (Chromium's browser, renderer and GPU
 * processes, Java), sampled from /proc: process.memoryUsage() alone would miss the browser, which
 * holds most of the memory when printing a long book. Linux only; elsewhere only this process.
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

function rssBytes(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sums the RSS of the tree rooted at `root`; the sampler's worker runs this very function. */
export function treeRssBytes(root: number): number {
  return fs.existsSync('/proc/self/stat') ? processTree(root).reduce((sum, pid) => sum + rssBytes(pid), 0) : process.memoryUsage().rss;
}

/**
 * Samples in a worker thread: the main thread spends seconds in synchronous work (parsing a long
 * book), during which a timer there would not fire and the peak would be missed.
 */
export class MemorySampler {
  private readonly peaks = new Float64Array(new SharedArrayBuffer(16));
  private worker: Worker | undefined;
  constructor(private readonly intervalMs = 100) {}

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
      ${rssBytes.toString()}
      ${treeRssBytes.toString()}
      const peaks = new Float64Array(workerData.buffer);
      const tick = () => {
        const total = treeRssBytes(workerData.pid);
        peaks[0] = Math.max(peaks[0], total);
        peaks[1] = Math.max(peaks[1], total);
      };
      tick();
      setInterval(tick, workerData.intervalMs);`;
    this.worker = new Worker(code, { eval: true, workerData: { buffer: this.peaks.buffer, pid: process.pid, intervalMs: this.intervalMs } });
    this.worker.unref();
  }

  resetPeak(): void {
    this.peaks[0] = treeRssBytes(process.pid);
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
  }
}
