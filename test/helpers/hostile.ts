/**
 * Helpers for the hostile-input, fault and security suites: run the real CLI against a manuscript
 * with an output folder that already holds an earlier build, and check afterwards that the earlier
 * files are byte-for-byte the same and nothing else (no temp file, no partial output) appeared.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  ms: number;
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const start = performance.now();
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err, ms: performance.now() - start };
}

const made: string[] = [];

export function tempDir(prefix = 'colophon-hostile-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupHostile(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Names the earlier outputs get: the slug of `title: T` and of a few other titles the suites use. */
export const OLD_OUTPUTS: Record<string, string> = {
  't.html': '<!doctype html><title>old web edition</title>',
  't.epub': 'PK old epub bytes',
  't.pdf': '%PDF-1.7 old pdf bytes',
  'notes.txt': 'a file of the author that has nothing to do with the build',
};

/** An output folder holding an "earlier build". */
export function oldDist(files: Record<string, string | Buffer> = OLD_OUTPUTS): string {
  const dir = tempDir('colophon-dist-');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** File name → sha256 of every entry in a folder (hidden ones included), sorted. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    out[name] = fs.statSync(file).isFile() ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : '<dir>';
  }
  return out;
}

/** Hidden temp files an interrupted write can leave: `.<name>.<pid>.tmp`. */
export function tempFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /^\..+\.\d+\.tmp$/.test(n));
}

/** Every `file:line:col: error: … [code]` line of a CLI error output, with the hint that follows it. */
export function errorLines(err: string): { where: string; message: string; code: string; hint?: string }[] {
  const lines = err.split('\n');
  const found: { where: string; message: string; code: string; hint?: string }[] = [];
  lines.forEach((line, i) => {
    const m = /^(?:(.*?): )?error: (.*) \[([a-z0-9/-]+)\]$/.exec(line);
    if (!m) return;
    const next = lines[i + 1] ?? '';
    const hint = /^ {2}hint: (.+)$/.exec(next)?.[1];
    found.push({ where: m[1] ?? '', message: m[2] as string, code: m[3] as string, ...(hint ? { hint } : {}) });
  });
  return found;
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
