/** Process-tree helpers for the fault tests: which processes descend from a child, and which are alive. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../src/cli/bin.mjs');

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

export function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: read after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), state: rest[0] as string, ppid: Number(rest[1]), cmdline });
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** Every process below `root` (not `root` itself). */
export function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const p of all) {
      if (p.ppid === parent) {
        found.push(p);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/** Alive and not a zombie. */
export function alive(pids: number[]): number[] {
  return processes()
    .filter((p) => pids.includes(p.pid) && p.state !== 'Z')
    .map((p) => p.pid);
}

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }>;
}

export function spawnBuild(args: string[], env: NodeJS.ProcessEnv = process.env): Spawned {
  const start = performance.now();
  const child = spawn(process.execPath, [BIN, 'build', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: performance.now() - start })),
  );
  return { child, done };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` returns a value, polling every 20 ms, for at most `ms`. */
export async function waitFor<T>(check: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const v = check();
    if (v !== undefined) return v;
    await sleep(20);
  }
  return undefined;
}
