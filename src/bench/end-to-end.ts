/**
 * Whole commands as a user runs them, each a new process (Node's start, loading the modules the
 * command needs, the disk cache), for the targets of the chapter cache and parallel parsing:
 * Pride and Prejudice `build -t html,epub` with the cache warm, a cold `build -t epub`, and a
 * 137-chapter, 208k-word book rebuilt `-t html,epub` after one chapter is edited; against Pandoc's
 * EPUB of the same book when `pandoc` is installed. Medians of `runs`. Runs the bundled CLI, as `npx
 * colophon` does.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateBook, middleChapter } from './generate.ts';
import { MemorySampler } from './memory.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The command a user runs: the bundled `lib/bundle/colophon.cjs` (what `npx colophon` starts), built now
 * (`npm run build`: tsc, then src/cli/bundle.mjs) so that it matches the sources; not
 * `src/cli/bin.mjs`, whose TypeScript loader adds its own time.
 */
function compiledCli(): string {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(ROOT, 'src/cli/bundle.mjs')], { stdio: 'inherit' });
  return path.join(ROOT, 'lib/bundle/colophon.cjs');
}

let BIN = '';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Runs the CLI, returns its wall time and the model stage's line. */
function colophon(args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; model: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`colophon ${args.join(' ')} failed:\n${r.stderr}`);
  return { ms, model: /model\s+\d+ ms\s+(.*)/.exec(r.stderr)?.[1] ?? '' };
}

function timesOf(runs: number, each: (run: number) => { ms: number; model: string }): { ms: number; model: string } {
  const results = Array.from({ length: runs }, (_, i) => each(i + 1));
  return { ms: median(results.map((r) => r.ms)), model: results.at(-1)?.model ?? '' };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function editChapter(file: string, run: number): void {
  fs.appendFileSync(file, `\nEdited in run ${run}.\n`);
}

function hasPandoc(): boolean {
  return spawnSync('pandoc', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function endToEnd(options: { pride: string; runs: number; log: (m: string) => void }): string[] {
  const { pride, runs, log } = options;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-e2e-'));
  const out = path.join(work, 'dist');
  const lines: string[] = [];
  BIN = compiledCli();
  try {
    log('  P&P -t html,epub, cache warm…');
    colophon(['build', pride, '-o', out, '-t', 'html,epub', '-q']);
    const warm = timesOf(runs, () => colophon(['build', pride, '-o', out, '-t', 'html,epub']));
    lines.push(`Pride and Prejudice, build -t html,epub, second build: ${seconds(warm.ms)} (target ≤ 1 s; model ${warm.model})`);

    log('  P&P -t epub, cold…');
    const cold = timesOf(runs, (run) => {
      const env = { ...process.env, XDG_CACHE_HOME: path.join(work, `cold-${run}`) };
      return colophon(['build', pride, '-o', out, '-t', 'epub'], env);
    });
    lines.push(`Pride and Prejudice, build -t epub, cold cache: ${seconds(cold.ms)} (model ${cold.model})`);

    log('  137 chapters, one edited…');
    const book = generateBook(path.join(work, 'novel'), 208_000, 1851, 'A Generated Chronicle', 1518);
    const edited = middleChapter(book);
    const novelCold = colophon(['build', book.dir, '-o', out, '-t', 'html,epub']);
    const edit = timesOf(runs, (run) => {
      editChapter(edited, run);
      return colophon(['build', book.dir, '-o', out, '-t', 'html,epub']);
    });
    lines.push(
      `${book.chapters}-chapter ${Math.round(book.words / 1000)}k-word book, build -t html,epub: cold ${seconds(novelCold.ms)} (model ${novelCold.model}); one chapter edited ${seconds(edit.ms)} (target ≤ 1.5 s; model ${edit.model})`,
    );

    if (hasPandoc()) {
      log('  against Pandoc…');
      const chapters = fs
        .readdirSync(book.dir)
        .filter((n) => n.endsWith('.md'))
        .sort()
        .map((n) => path.join(book.dir, n));
      // Pandoc and Colophon in turn, the ratio taken pair by pair: this machine's speed drifts by
      // half over minutes (Pandoc took 4.4 s to 9.1 s for this book), and five runs of one followed
      // by five of the other compared two different machines.
      const pairs = Array.from({ length: runs }, (_, i) => {
        const start = performance.now();
        execFileSync('pandoc', ['-f', 'gfm', '-t', 'epub3', '--resource-path', book.dir, '-o', path.join(work, 'pandoc.epub'), ...chapters], {
          stdio: 'ignore',
        });
        const pandoc = performance.now() - start;
        const ours = colophon(['build', book.dir, '-o', out, '-t', 'epub'], { ...process.env, XDG_CACHE_HOME: path.join(work, `pandoc-${i + 1}`) }).ms;
        return { pandoc, ours };
      });
      const ratio = median(pairs.map((p) => p.ours / p.pandoc));
      lines.push(
        `Cold build -t epub ${seconds(median(pairs.map((p) => p.ours)))} vs pandoc -f gfm -t epub3 ${seconds(median(pairs.map((p) => p.pandoc)))}, run in turn: ${ratio.toFixed(2)}× (median of the pairs' ratios; target ≤ 0.5×)`,
      );
    } else {
      lines.push('Against Pandoc: not measured, pandoc is not installed here');
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return lines;
}

const STAGE_LINE = /^ {2}(load|model|html|epub|pdf|press|cover) +\d+ ms/;

/**
 * Peak memory of the whole process tree (the command, its worker threads, Chromium's processes; PSS,
 * memory.ts) in each stage of one cold `build -t html,epub,pdf` of the generated 505k-word book, as a
 * user runs it: the target is no stage above 1.5 GiB. The command prints a stage's line when the
 * stage ends, so the peak since the previous line is that stage's. One run: memory does not vary
 * between runs as time does.
 */
export async function stageMemory(options: { log: (m: string) => void }): Promise<string> {
  if (!BIN) BIN = compiledCli();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-memory-'));
  try {
    options.log('  505k-word book, memory per stage…');
    const book = generateBook(path.join(work, 'book'), 505_000);
    const child = spawn(process.execPath, [BIN, 'build', book.dir, '-o', path.join(work, 'out'), '-t', 'html,epub,pdf'], {
      env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const sampler = new MemorySampler(100, child.pid);
    sampler.start();
    const peaks: [string, number][] = [];
    let pending = '';
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const stage = STAGE_LINE.exec(line)?.[1];
        if (!stage) continue;
        peaks.push([stage, sampler.peakBytes]);
        sampler.resetPeak();
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await sampler.stop();
    if (code !== 0) throw new Error(`colophon build failed:\n${err}`);
    const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
    const highest = Math.max(...peaks.map(([, b]) => b));
    return `${Math.round(book.words / 1000)}k-word book, cold build -t html,epub,pdf, peak memory (PSS) of the process tree per stage: ${peaks
      .filter(([stage]) => stage !== 'load')
      .map(([stage, b]) => `${stage} ${gib(b)}`)
      .join(', ')} (target ≤ 1.5 GiB each; highest ${gib(highest)})`;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
