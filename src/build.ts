/** The whole build: manuscript → book model → each requested output → files in the output folder. */
import path from 'node:path';
import { slug } from 'github-slugger';
import { buildBook, chapterOptions } from './book-pass/build-book.ts';
import type { ConfigOverrides } from './config/load-config.ts';
import { ColophonError, type Diagnostic, error } from './diagnostics.ts';
import { loadManuscript } from './manuscript/load.ts';
import type { PandocFiles } from './manuscript/pandoc.ts';
import type { Book } from './model/book.ts';
import { FORMAT_TABLE } from './outputs/load-format.ts';
import type { LendBrowser, OutputResults } from './outputs/output.ts';
import type { PrintedPages } from './outputs/pdf/pages/paginate.ts';
import type { PrintBrowser } from './outputs/pdf/session.ts';
import { cacheStats } from './pipeline/chapters.ts';
import { type ParallelOptions, parseMissingInParallel } from './pipeline/parallel-parse.ts';
import { writeFilesAtomic } from './write-atomic.ts';

export interface BuildOptions {
  /** Manuscript folder or single .md file, or a Pandoc-style metadata file and chapter files. */
  input: string | PandocFiles;
  outDir: string;
  /** Format names; default: every format there is. */
  formats?: string[];
  /** Called at each stage with its wall time in milliseconds. */
  onStage?: (stage: string, ms: number, detail?: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Draw trim, fold and safe-area guides on the cover. */
  guides?: boolean;
  /** Read and write the chapter cache on disk (default true). */
  cache?: boolean;
  /** Worker threads for cold parsing (default: by the cores and the amount of text; see pipeline/parallel-parse.ts). */
  parallel?: ParallelOptions;
  /** Fail rather than skip a default format that cannot be made here (the press file without gs). */
  requireAll?: boolean;
  /** book.yaml keys set from outside the book (a catalogue's per-title overrides). */
  overrides?: ConfigOverrides;
  /** A running print browser to print with (a catalogue build shares one); otherwise each print stage starts its own. */
  browser?: PrintBrowser;
  /** A browser lent for drawing the EPUB's generated cover (a catalogue shares one; outputs/output.ts says why). */
  drawing?: LendBrowser;
}

/** Everything `build` needs once the book model exists (a catalogue build makes models elsewhere). */
export type RenderOptions = Omit<BuildOptions, 'input' | 'env' | 'overrides'>;

export interface BuildResult {
  book: Book;
  files: { format: string; path: string; bytes: number }[];
  warnings: Diagnostic[];
  /** With the PDF: every page's label and text positions (page map) and the typography report. */
  print?: PrintedPages;
}

export function outputBaseName(book: Book): string {
  return slug(book.metadata.title) || 'book';
}

export function checkFormats(names: string[]): void {
  const unknown = names.filter((n) => !FORMAT_TABLE[n]);
  if (unknown.length > 0) {
    throw new ColophonError(
      error('cli/unknown-format', `unknown output format "${unknown.join('", "')}"`, undefined, `Choose from: ${Object.keys(FORMAT_TABLE).join(', ')}.`),
      2,
    );
  }
}

/** Without `-t`: the web edition, the EPUB and the PDF, and the press file when book.yaml sets `print.pdfx`. */
export function defaultFormats(book: Book): string[] {
  return ['html', 'epub', 'pdf', ...(book.metadata.print.pdfx ? ['press'] : [])];
}

type Timed = <T>(name: string, fn: () => T | Promise<T>, detail?: (v: T) => string) => Promise<T>;

function timer(options: { onStage?: BuildOptions['onStage'] }): Timed {
  const stage = options.onStage ?? (() => {});
  return async (name, fn, detail) => {
    const start = performance.now();
    const value = await fn();
    stage(name, performance.now() - start, detail?.(value));
    return value;
  };
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  if (options.formats) checkFormats(options.formats);
  const timed = timer(options);
  const manuscript = await timed(
    'load',
    () => loadManuscript(options.input, options.overrides ? { overrides: options.overrides } : {}),
    (m) => `${m.chapters.length} file(s)`,
  );
  const cacheBefore = cacheStats();
  const bookOptions = { ...(options.env ? { env: options.env } : {}), ...(options.cache === false ? { cache: false } : {}) };
  let parallel = { workers: 0, inWorkers: 0 };
  const book = await timed(
    'model',
    async () => {
      // The chapters no cache holds, parsed on every core first; buildBook then finds them all cached.
      parallel = await parseMissingInParallel(manuscript.chapters, chapterOptions(manuscript, bookOptions), options.parallel ?? {});
      return buildBook(manuscript, bookOptions);
    },
    (b) =>
      `${b.chapters.length} chapter(s), ${cacheStats().misses - cacheBefore.misses} parsed${parallel.workers > 0 ? ` (${parallel.inWorkers} in ${parallel.workers} worker thread(s))` : ''}`,
  );
  return buildFromModel(book, options);
}

/** The second half of `build`: every requested format rendered from the model, then all written at once. */
export async function buildFromModel(book: Book, options: RenderOptions): Promise<BuildResult> {
  if (options.formats) checkFormats(options.formats);
  const stage = options.onStage ?? (() => {});
  const timed = timer(options);
  // Render every format before writing any: a failing stage must not leave a mixed set in dist/.
  const requested = new Set(options.formats ?? defaultFormats(book));
  const formats = withNeeds([...requested]);
  const rendered: { format: string; path: string; data: Uint8Array }[] = [];
  const warnings = [...book.diagnostics];
  const seen = new Set(warnings.map((d) => JSON.stringify(d)));
  const warn = (d: Diagnostic) => {
    const key = JSON.stringify(d);
    if (!seen.has(key)) warnings.push(d);
    seen.add(key);
  };
  const results: OutputResults = {};
  for (const name of formats) {
    // Only the formats this build makes are loaded (outputs/load-format.ts).
    const format = await FORMAT_TABLE[name]?.load();
    if (!format) throw new Error(`no output format ${name}`);
    const input = (f: string) => rendered.find((r) => r.format === f)?.data;
    let data: Uint8Array;
    try {
      data = await timed(
        name,
        () =>
          format.render(book, {
            log: (msg) => stage(name, 0, msg),
            warn,
            input,
            results,
            ...(options.guides ? { guides: true } : {}),
            ...(options.browser ? { browser: options.browser } : {}),
            ...(options.drawing ? { drawing: options.drawing } : {}),
            ...(options.cache === false ? { cache: false } : {}),
          }),
        (d) => `${(d.byteLength / 1024).toFixed(0)} KiB`,
      );
    } catch (e) {
      // A press file asked for by book.yaml rather than by -t: without Ghostscript, say what to
      // install and build the rest.
      const missing =
        e instanceof ColophonError && !options.formats && !options.requireAll ? e.diagnostics.find((d) => d.code.endsWith('/no-ghostscript')) : undefined;
      if (!missing) throw e;
      warn({ ...missing, severity: 'warning', message: `${missing.message}; the other formats were built` });
      continue;
    }
    rendered.push({ format: name, path: path.join(options.outDir, `${outputBaseName(book)}.${format.extension}`), data });
  }
  // Only what was asked for is written: a format rendered as another's input (the PDF of `-t press`) is not.
  const written = rendered.filter((r) => requested.has(r.format));
  writeFilesAtomic(written);
  return {
    book,
    files: written.map((r) => ({ format: r.format, path: r.path, bytes: r.data.byteLength })),
    warnings,
    ...(results.print ? { print: results.print } : {}),
  };
}

/** The formats asked for plus every format they need, each after what it needs, in FORMAT_TABLE order. */
export function withNeeds(formats: string[]): string[] {
  const all = new Set<string>();
  const add = (name: string) => {
    if (all.has(name)) return;
    for (const need of FORMAT_TABLE[name]?.needs ?? []) add(need);
    all.add(name);
  };
  for (const name of formats) add(name);
  const order = Object.keys(FORMAT_TABLE);
  // A format comes after the formats it uses results of, when those are built too (`after`).
  const rank = (name: string) =>
    Math.max(order.indexOf(name), ...(FORMAT_TABLE[name]?.after ?? []).filter((f) => all.has(f)).map((f) => order.indexOf(f) + 0.5));
  return [...all].sort((a, b) => rank(a) - rank(b) || order.indexOf(a) - order.indexOf(b));
}
