/**
 * How long the installed command takes to answer `--version` and `--help`: the bundled lib/bundle/colophon.cjs
 * as a whole process, against an empty `node` for the floor. The CLI loads a command's modules only
 * when that command runs, so these must stay near the floor (target: under 150 ms).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const RUN = path.resolve(import.meta.dirname, '../../lib/bundle/colophon.cjs');

function medianMs(runs: number, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export function cliStartup(runs: number): string {
  if (!fs.existsSync(RUN)) return 'CLI start-up: not measured, lib/ is not built (run `npm run build`)';
  const n = Math.max(runs, 11);
  const floor = medianMs(n, ['-e', '']);
  const version = medianMs(n, [RUN, '--version']);
  const help = medianMs(n, [RUN, '--help']);
  return `CLI start-up (median of ${n}): --version ${version.toFixed(0)} ms, --help ${help.toFixed(0)} ms; empty node ${floor.toFixed(0)} ms`;
}
