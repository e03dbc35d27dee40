/** The whole build: manuscript → book model → each requested output → files in the output folder. */
import path from 'node:path';
import { slug } from 'github-slugger';
import { buildBook } from './book-pass/build-book.ts';
import { ColophonError, type Diagnostic, error } from './diagnostics.ts';
import { loadManuscript } from './manuscript/load.ts';
import type { PandocFiles } from './manuscript/pandoc.ts';
import type { Book } from './model/book.ts';
import { FORMATS, type OutputFormat } from './outputs/index.ts';
import type { OutputResults } from './outputs/output.ts';
import type { PrintedPages } from './outputs/pdf/pages/paginate.ts';
import { cacheStats } from './pipeline/chapters.ts';
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
  /** Fail rather than skip a default format that cannot be made here (the press file without gs). */
  requireAll?: boolean;
}

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
  const unknown = names.filter((n) => !FORMATS[n]);
  if (unknown.length > 0) {
    throw new ColophonError(
      error('cli/unknown-format', `unknown output format "${unknown.join('", "')}"`, undefined, `Choose from: ${Object.keys(FORMATS).join(', ')}.`),
      2,
    );
  }
}

/** Without `-t`: the web edition, the EPUB and the PDF, and the press file when book.yaml sets `print.pdfx`. */
export function defaultFormats(book: Book): string[] {
  return ['html', 'epub', 'pdf', ...(book.metadata.print.pdfx ? ['press'] : [])];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  if (options.formats) checkFormats(options.formats);
  const stage = options.onStage ?? (() => {});
  const timed = async <T>(name: string, fn: () => T | Promise<T>, detail?: (v: T) => string): Promise<T> => {
    const start = performance.now();
    const value = await fn();
    stage(name, performance.now() - start, detail?.(value));
    return value;
  };

  const manuscript = await timed(
    'load',
    () => loadManuscript(options.input),
    (m) => `${m.chapters.length} file(s)`,
  );
  const cacheBefore = cacheStats();
  const book = await timed(
    'model',
    () => buildBook(manuscript, options.env ? { env: options.env } : {}),
    (b) => `${b.chapters.length} chapter(s), ${cacheStats().misses - cacheBefore.misses} parsed`,
  );
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
    const format = FORMATS[name] as OutputFormat;
    const input = (f: string) => rendered.find((r) => r.format === f)?.data;
    let data: Uint8Array;
    try {
      data = await timed(
        name,
        () => format.render(book, { log: (msg) => stage(name, 0, msg), warn, input, results, ...(options.guides ? { guides: true } : {}) }),
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

/** The formats asked for plus every format they need, each after what it needs, in FORMATS order. */
export function withNeeds(formats: string[]): string[] {
  const all = new Set<string>();
  const add = (name: string) => {
    if (all.has(name)) return;
    for (const need of FORMATS[name]?.needs ?? []) add(need);
    all.add(name);
  };
  for (const name of formats) add(name);
  const order = Object.keys(FORMATS);
  // A format comes after the formats it uses results of, when those are built too (`after`).
  const rank = (name: string) => Math.max(order.indexOf(name), ...(FORMATS[name]?.after ?? []).filter((f) => all.has(f)).map((f) => order.indexOf(f) + 0.5));
  return [...all].sort((a, b) => rank(a) - rank(b) || order.indexOf(a) - order.indexOf(b));
}
