/**
 * `npm run bench`: wall time per stage for Pride and Prejudice and a generated ~500k-word book,
 * the PDF against the floor of one bare page.pdf() of the same print HTML, the watch-mode rebuild
 * after editing one chapter, pages, words per second, then the peak memory of the whole process tree
 * (Node plus Chromium) per stage in a pass of its own (sampling slows what it samples). Medians over
 * --runs (default 3). Not part of `npm test`: it takes minutes.
 *
 *   node --import tsx src/bench/bench.ts [--runs 3] [--words 500000] [--json] [--no-pdf]
 *   node --import tsx src/bench/bench.ts --catalogue [--books 20] [--words 50000] [--runs 1]   (catalogue.ts)
 *   node --import tsx src/bench/bench.ts --whole-commands [--runs 3]   (end-to-end.ts alone)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBook, chapterOptions } from '../book-pass/build-book.ts';
import { chapterCacheDir } from '../disk-cache.ts';
import { loadManuscript } from '../manuscript/load.ts';
import type { Book } from '../model/book.ts';
import { renderEpub } from '../outputs/epub.ts';
import { html } from '../outputs/html.ts';
import { PrintBrowser } from '../outputs/pdf/session.ts';
import { renderPdf } from '../outputs/pdf.ts';
import { cacheStats, clearChapterCache } from '../pipeline/chapters.ts';
import { parseMissingInParallel } from '../pipeline/parallel-parse.ts';
import { startPreview } from '../preview/server.ts';
import { barePrint } from './bare-print.ts';
import { cliStartup } from './cli-startup.ts';
import { endToEnd, stageMemory } from './end-to-end.ts';
import { generateBook, middleChapter } from './generate.ts';
import { MemorySampler } from './memory.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    words: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-pdf': { type: 'boolean', default: false },
    catalogue: { type: 'boolean', default: false },
    books: { type: 'string', default: '20' },
    'whole-commands': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(values.runs ?? (values.catalogue ? 1 : 3)));
const WORDS = Number(values.words ?? (values.catalogue ? 50_000 : 500_000));
const WITH_PDF = !values['no-pdf'];
// The copy in the test corpus: a fresh clone has it, so the benchmark needs nothing outside the checkout.
const PRIDE = path.resolve(import.meta.dirname, '../../test/corpus/pride-and-prejudice.md');

// The benchmark's own chapter cache, empty at the start: never the user's, and "cold" means cold.
process.env.XDG_CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-cache-'));
const emptyDiskCache = () => fs.rmSync(chapterCacheDir(), { recursive: true, force: true });

type Sample = Record<string, number>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

function log(message: string) {
  if (!values.json) process.stderr.write(`${message}\n`);
}

/** Changes one sentence of one chapter, differently in every run so the cache cannot have seen it. */
function editOneChapter(file: string, run: number): void {
  const text = fs.readFileSync(file, 'utf8');
  const marker = /\r?\n\r?\n(?=["A-Z][^\n]{40,})/.exec(text.slice(Math.floor(text.length / 2)));
  if (!marker) throw new Error(`no paragraph to edit in ${file}`);
  const at = Math.floor(text.length / 2) + marker.index + marker[0].length;
  fs.writeFileSync(file, `${text.slice(0, at)}Edited in run ${run}. ${text.slice(at)}`);
}

async function benchBook(name: string, input: string, editFile: string, words: number, browser: PrintBrowser | undefined) {
  const samples: Sample[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const s: Sample = {};
    clearChapterCache();
    emptyDiskCache();
    const [manuscript, loadMs] = await timed(() => loadManuscript(input));
    s.load = loadMs;
    let book: Book;
    // Cold, one thread (parses every chapter and writes the disk cache), as buildBook does.
    [book, s.modelCold] = await timed(() => buildBook(manuscript, { env: {} }));
    // Cold on every core, as `colophon build` does.
    clearChapterCache();
    emptyDiskCache();
    [, s.modelColdParallel] = await timed(async () => {
      s.workers = (await parseMissingInParallel(manuscript.chapters, chapterOptions(manuscript, { env: {} }))).workers;
      return buildBook(manuscript, { env: {} });
    });
    // A second build in a new process: nothing in memory, every chapter on disk.
    clearChapterCache();
    const beforeSecond = cacheStats();
    [, s.modelSecond] = await timed(() => buildBook(loadManuscript(input), { env: {} }));
    s.secondParsed = cacheStats().misses - beforeSecond.misses;
    s.secondShare = s.modelSecond / s.modelCold;
    [, s.modelWarm] = await timed(() => buildBook(loadManuscript(input), { env: {} }));
    s.chapters = book.chapters.length;

    // One chapter edited → HTML updated: reload, rebuild the model (one chapter reparsed), render HTML.
    editOneChapter(editFile, run);
    const before = cacheStats();
    [, s.incremental] = await timed(async () => html.render(await buildBook(loadManuscript(input), { env: {} }), { log() {}, warn() {} }));
    s.reparsed = cacheStats().misses - before.misses;

    // The stages' whole work: no chapter serialised in an earlier run (outputs/rendered-pieces.ts).
    [, s.html] = await timed(() => html.render(book, { log() {}, warn() {}, cache: false }));
    [, s.epub] = await timed(() => renderEpub(book, { cache: false }));
    if (browser) {
      const [pdf, pdfMs] = await timed(() => renderPdf(book, { browser }));
      s.pdf = pdfMs;
      s.pdfPrints = pdf.prints;
      s.pdfLoad = pdf.timings.loadMs;
      s.pdfPrint = pdf.timings.printMs;
      s.pdfHtml = pdf.timings.htmlMs;
      s.pdfMeasure = pdf.timings.measureMs;
      const pages = pdf.pagination.stats.timings;
      s.pdfHyphens = pages.hyphensMs;
      s.pdfGalley = pages.measureMs;
      s.pdfBuild = pages.buildMs;
      s.pdfEmit = pages.emitMs;
      s.pdfFinish = pdf.timings.finishMs;
      s.pages = pdf.pageCount;
      const t = pdf.pagination.typography;
      s.widows = t.widows;
      s.orphans = t.orphans;
      s.stranded = t.strandedHeadings;
      s.rectoHyphens = t.rectoHyphens;
      s.shortPages = t.offBaseline;
      s.unevenSpreads = t.unbalancedSpreads;
      const floor = await barePrint(book, { browser });
      s.floor = floor.ms;
      s.ratio = s.pdf / s.floor;
    }
    s.total = s.load + s.modelCold + s.html + s.epub + (s.pdf ?? 0);
    s.wordsPerSecond = words / (s.total / 1000);
    samples.push(s);
    log(`  ${name} run ${run}/${RUNS}: ${(s.total / 1000).toFixed(1)} s`);
  }

  // Watch mode end to end: file written → change noticed → debounce → model + preview pages rebuilt.
  const watchTimes: number[] = [];
  const reparsed: number[] = [];
  let resolveBuild: (() => void) | undefined;
  const server = await startPreview({
    input,
    port: 0,
    env: {},
    onBuild: (r) => {
      reparsed.push(r.parsed);
      resolveBuild?.();
    },
  });
  try {
    for (let run = 1; run <= RUNS; run++) {
      const built = new Promise<void>((resolve) => {
        resolveBuild = resolve;
      });
      const start = performance.now();
      editOneChapter(editFile, 100 + run);
      await built;
      watchTimes.push(performance.now() - start);
    }
  } finally {
    await server.close();
  }

  const keys = Object.keys(samples[0] as Sample);
  const medians: Sample = Object.fromEntries(keys.map((k) => [k, median(samples.map((s) => s[k] as number))]));
  medians.watchRebuild = median(watchTimes);
  medians.watchReparsed = median(reparsed.slice(1));
  medians.words = words;
  Object.assign(medians, await memoryPass(input, browser));
  return medians;
}

/**
 * Peak memory per stage, in a pass of its own after the timed runs: reading every process's PSS ten
 * times a second walks Chromium's page tables and held a core, so with the sampler on during the
 * timed runs the generated book's PDF stage took 37.4 s instead of 26.0 s (its two print tabs lost
 * the second core). One pass: memory does not vary between runs as time does.
 */
async function memoryPass(input: string, browser: PrintBrowser | undefined): Promise<Sample> {
  const s: Sample = {};
  const memory = new MemorySampler(100);
  clearChapterCache();
  emptyDiskCache();
  const manuscript = loadManuscript(input);
  memory.start();
  try {
    const peak = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      memory.resetPeak();
      const value = await work();
      return [value, memory.peakBytes / 1024 / 1024];
    };
    let book: Book;
    [book, s.memModel] = await peak(() => buildBook(manuscript, { env: {} }));
    [, s.memHtml] = await peak(() => html.render(book, { log() {}, warn() {}, cache: false }));
    [, s.memEpub] = await peak(() => renderEpub(book, { cache: false }));
    if (browser) [, s.memPdf] = await peak(() => renderPdf(book, { browser }));
    s.peakMemMiB = memory.overallPeakBytes / 1024 / 1024;
  } finally {
    await memory.stop();
  }
  return s;
}

function copyPride(): { input: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-pp-'));
  const input = path.join(dir, 'pride-and-prejudice.md');
  fs.copyFileSync(PRIDE, input);
  return { input, dir };
}

const ROWS: [string, string, (v: number) => string][] = [
  ['words', 'words', (v) => `${(v / 1000).toFixed(0)}k`],
  ['chapters', 'chapters', (v) => v.toFixed(0)],
  ['load', 'load', ms],
  ['modelCold', 'model, cold (1 thread)', ms],
  ['modelColdParallel', 'model, cold (as build: workers)', ms],
  ['workers', '  worker threads', (v) => v.toFixed(0)],
  ['modelSecond', 'model, second build (disk cache)', ms],
  ['secondParsed', '  chapters parsed', (v) => v.toFixed(0)],
  ['secondShare', '  share of cold (target ≤ 10 %)', (v) => `${(v * 100).toFixed(1)} %`],
  ['modelWarm', 'model, warm (same process)', ms],
  ['incremental', 'edit 1 chapter → model + HTML', ms],
  ['reparsed', '  chapters reparsed', (v) => v.toFixed(0)],
  ['watchRebuild', 'watch: file saved → preview rebuilt', ms],
  ['html', 'html', ms],
  ['epub', 'epub', ms],
  ['pdf', 'pdf (pagination, print, finishing)', ms],
  ['pdfPrints', '  prints (parts joined past 500 pages)', (v) => v.toFixed(0)],
  ['pdfHtml', '  print HTML', ms],
  ['pdfLoad', '  Chromium load (first layout: the galley)', ms],
  ['pdfMeasure', '  pagination in the page', ms],
  ['pdfHyphens', '    soft hyphens → line-end hyphens', ms],
  ['pdfGalley', '    relayout + galley measurement', ms],
  ['pdfBuild', '    page builder', ms],
  ['pdfEmit', '    page boxes', ms],
  ['pdfPrint', '  Chromium print', ms],
  ['pdfFinish', '  pdf-lib finishing', ms],
  ['floor', 'floor: one bare page.pdf()', ms],
  ['ratio', 'pdf / floor', (v) => `${v.toFixed(2)}×`],
  ['pages', 'pages', (v) => v.toFixed(0)],
  ['widows', '  widows', (v) => v.toFixed(0)],
  ['orphans', '  orphans', (v) => v.toFixed(0)],
  ['stranded', '  headings at a page foot', (v) => v.toFixed(0)],
  ['rectoHyphens', '  hyphens at a recto foot', (v) => v.toFixed(0)],
  ['shortPages', '  pages short of the baseline', (v) => v.toFixed(0)],
  ['unevenSpreads', '  facing pages > 1 line apart', (v) => v.toFixed(0)],
  ['total', 'full build (load+model+3 formats)', ms],
  ['wordsPerSecond', 'words/s (full build)', (v) => v.toFixed(0)],
  ['memModel', 'peak memory (PSS, own pass), model (cold)', (v) => `${v.toFixed(0)} MiB`],
  ['memHtml', '  html', (v) => `${v.toFixed(0)} MiB`],
  ['memEpub', '  epub', (v) => `${v.toFixed(0)} MiB`],
  ['memPdf', '  pdf', (v) => `${v.toFixed(0)} MiB`],
  ['peakMemMiB', 'peak memory (PSS), process tree (max)', (v) => `${v.toFixed(0)} MiB`],
];

function ms(v: number): string {
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`;
}

function table(results: Record<string, Sample>): string {
  const names = Object.keys(results);
  const width = Math.max(...ROWS.map((r) => r[1].length));
  const head = `${'median of '.concat(String(RUNS), ' run(s)').padEnd(width)}  ${names.map((n) => n.padStart(14)).join('  ')}`;
  const lines = ROWS.filter(([key]) => names.some((n) => results[n]?.[key] !== undefined)).map(
    ([key, label, fmt]) =>
      `${label.padEnd(width)}  ${names
        .map((n) => {
          const v = results[n]?.[key];
          return (v === undefined ? '–' : fmt(v)).padStart(14);
        })
        .join('  ')}`,
  );
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}

async function mainBench() {
  const generatedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-gen-'));
  const shortDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bench-gen-short-'));
  const pride = copyPride();
  let browser: PrintBrowser | undefined;
  try {
    log(`generating a ${WORDS.toLocaleString('en')}-word book in ${generatedDir}…`);
    const generated = generateBook(generatedDir, WORDS);
    const prideWords = fs.readFileSync(pride.input, 'utf8').split(/\s+/).filter(Boolean).length;
    // The generated text at Pride and Prejudice's length: growth in length alone, with the same kind
    // of text, is read against this one (the novel and the generated text differ in what a page holds).
    const short = generateBook(shortDir, prideWords);
    let launchMs = 0;
    if (WITH_PDF) {
      [browser, launchMs] = await timed(() => PrintBrowser.launch({ printMs: 900_000, loadMs: 300_000 }));
    }
    const startup = cliStartup(RUNS);
    const results: Record<string, Sample> = {};
    log('Pride and Prejudice…');
    results['P&P'] = await benchBook('P&P', pride.input, pride.input, prideWords, browser);
    log(`generated at P&P's length (${short.chapters} chapters)…`);
    results['gen. at P&P'] = await benchBook('gen. at P&P', short.dir, middleChapter(short), short.words, browser);
    log(`generated (${generated.chapters} chapters)…`);
    results.generated = await benchBook('generated', generated.dir, middleChapter(generated), generated.words, browser);
    // Linear in length: the generated book's PDF time over Pride and Prejudice's (words ×4.1).
    const pdfScaling = results.generated?.pdf && results['P&P']?.pdf ? results.generated.pdf / results['P&P'].pdf : undefined;
    const shortPdf = results['gen. at P&P']?.pdf;
    const pdfScalingSameText = results.generated?.pdf && shortPdf ? results.generated.pdf / shortPdf : undefined;
    log('end to end (whole commands)…');
    const wholeCommands = endToEnd({ pride: pride.input, runs: RUNS, log });
    if (WITH_PDF) wholeCommands.push(await stageMemory({ log }));
    const report = {
      runs: RUNS,
      ...(pdfScaling ? { pdfScaling } : {}),
      ...(pdfScalingSameText ? { pdfScalingSameText } : {}),
      load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      wholeCommands,
      node: process.version,
      cpus: os.cpus().length,
      browserLaunchMs: launchMs,
      overallPeakMemMiB: Math.max(...Object.values(results).map((r) => r.peakMemMiB ?? 0)),
      cliStartup: startup,
      results,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      process.stdout.write(`${table(results)}\n`);
      if (pdfScaling)
        process.stdout.write(
          `\npdf time, generated / P&P: ${pdfScaling.toFixed(2)}× for ${((results.generated?.words ?? 0) / (results['P&P']?.words ?? 1)).toFixed(2)}× the words\n`,
        );
      if (pdfScalingSameText)
        process.stdout.write(
          `pdf time, generated / generated at P&P's length (the same kind of text): ${pdfScalingSameText.toFixed(2)}× for ${((results.generated?.words ?? 0) / (results['gen. at P&P']?.words ?? 1)).toFixed(2)}× the words\n`,
        );
      process.stdout.write(
        `\nChromium launch ${ms(launchMs)} (once, shared); peak memory (PSS) in the memory passes ${report.overallPeakMemMiB.toFixed(0)} MiB; node ${process.version}, ${report.cpus} CPU(s)\n`,
      );
      process.stdout.write(`${startup}\n`);
      process.stdout.write(`\nWhole commands, median of ${RUNS} (load average ${report.load}):\n${wholeCommands.map((r) => `  ${r}`).join('\n')}\n`);
    }
  } finally {
    await browser?.close();
    fs.rmSync(generatedDir, { recursive: true, force: true });
    fs.rmSync(shortDir, { recursive: true, force: true });
    fs.rmSync(pride.dir, { recursive: true, force: true });
    fs.rmSync(process.env.XDG_CACHE_HOME as string, { recursive: true, force: true });
  }
}

if (values['whole-commands']) {
  const pride = copyPride();
  try {
    const lines = endToEnd({ pride: pride.input, runs: RUNS, log });
    if (WITH_PDF) lines.push(await stageMemory({ log }));
    const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    process.stdout.write(
      `Whole commands, median of ${RUNS} (load average ${load}; ${os.cpus().length} CPU(s), node ${process.version}):\n${lines.map((r) => `  ${r}`).join('\n')}\n`,
    );
  } finally {
    fs.rmSync(pride.dir, { recursive: true, force: true });
  }
} else if (values.catalogue) {
  const { benchCatalogue } = await import('./catalogue.ts');
  process.stdout.write(`${await benchCatalogue({ books: Math.max(1, Number(values.books)), words: WORDS, runs: RUNS, log })}\n`);
} else await mainBench();
