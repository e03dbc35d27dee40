/**
 * Building many books on one machine: `-j` lanes, each taking the next title, making its model in a
 * worker thread (ModelPool) and rendering it on the main thread with the one shared browser
 * (BrowserPool), so at most `-j` books are in flight and at most `-j` print pages are open. Rendering
 * is `buildFromModel`, the very code of a single build, so each book's bytes are those of building
 * it alone. A failing book is recorded and the lanes go on; a book whose print browser crashed is
 * retried once on a new browser.
 */
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { buildFromModel, outputBaseName } from '../build.ts';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import type { PrintBrowser } from '../outputs/pdf/session.ts';
import { BrowserPool } from './browser-pool.ts';
import { type Model, ModelPool } from './model-pool.ts';
import type { Title } from './titles.ts';

export interface TitleResult {
  /** The manuscript as it was named. */
  label: string;
  input: string;
  /** The book's title, once its metadata was read. */
  title?: string;
  /** Output folder name under the output folder. */
  slug?: string;
  status: 'built' | 'failed';
  /** Pages of the print PDF (or the press file), when one was made. */
  pages?: number;
  ms: number;
  files: { format: string; path: string; bytes: number }[];
  warnings: Diagnostic[];
  errors: Diagnostic[];
  /** Printed a second time because the shared browser crashed under it. */
  retried: boolean;
}

export interface CatalogueOptions {
  /** Each title's outputs go to `<outDir>/<slug>/` (or to `outDir` itself with `flat`). */
  outDir: string;
  /** One manuscript built for its report (`build book --json`): its files go where a single build puts them. */
  flat?: boolean;
  /** Books in flight (and print pages open) at a time. */
  jobs: number;
  /** Formats for titles that do not name their own; default: a single build's defaults. */
  formats?: string[];
  guides?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Read and write the chapter cache and kept covers on disk (default true; `--no-cache` sets false). */
  cache?: boolean;
  /** A title started or finished (for progress lines). */
  onTitle?: (event: { kind: 'start'; title: Title } | { kind: 'done'; result: TitleResult }) => void;
  /** Starts the shared print browser (tests pass one that can be made to crash). */
  launchBrowser?: () => Promise<PrintBrowser>;
}

/**
 * The machinery a catalogue build keeps for its whole run: the model threads and the shared browser.
 * A queue worker keeps one for its lifetime and builds each job's title with it.
 */
export class CatalogueBuilder {
  private readonly models: ModelPool;
  private readonly browsers: BrowserPool;
  /**
   * A second browser, started on the first generated cover, drawing one at a time for every title:
   * drawing in the print browser stalled beside another book's print, and a browser per title cost
   * about 2.5 s each (20 titles with -j 1: 154.4 s then, 138.2 s with this one).
   */
  private readonly drawing = new BrowserPool(1);

  constructor(jobs: number, launchBrowser?: () => Promise<PrintBrowser>) {
    this.models = new ModelPool(jobs);
    this.browsers = new BrowserPool(jobs, launchBrowser);
  }

  /** How many times a crashed browser was replaced. */
  get browserRestarts(): number {
    return this.browsers.restarts;
  }

  /**
   * Builds one title into `<outDir>/<slug>/`; never throws for the book's own failures. `slugs`
   * (slug → the title that took it) keeps two books of one catalogue out of one folder.
   */
  async build(title: Title, options: Omit<CatalogueOptions, 'jobs' | 'onTitle' | 'launchBrowser'>, slugs?: Map<string, Title>): Promise<TitleResult> {
    const started = performance.now();
    const result: TitleResult = { label: title.label, input: title.input, status: 'failed', ms: 0, files: [], warnings: [], errors: [], retried: false };
    try {
      const model: Model = await this.models.model(title.input, {
        ...(title.overrides ? { overrides: title.overrides } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.cache === false ? { cache: false } : {}),
      });
      const { book } = model;
      result.title = book.metadata.title;
      const slug = title.slug ?? outputBaseName(book);
      result.slug = slug;
      const holder = slugs?.get(slug);
      if (holder && holder !== title) {
        throw new ColophonError(
          error(
            'catalogue/same-slug',
            `${title.label} and ${holder.label} would both be written to ${slug}/`,
            title.listedAt,
            'Give one of them its own `slug:` in catalogue.yaml, or change its title.',
          ),
        );
      }
      slugs?.set(slug, title);
      const formats = title.formats ?? options.formats;
      const render = (browser: PrintBrowser) =>
        buildFromModel(book, {
          outDir: options.flat ? options.outDir : path.join(options.outDir, slug),
          browser,
          drawing: (work) => this.drawing.lendRetrying(work),
          ...(formats ? { formats } : {}),
          ...(options.guides ? { guides: true } : {}),
          ...(options.cache === false ? { cache: false } : {}),
        });
      const done = await this.browsers.lendRetrying(render, () => {
        result.retried = true;
      });
      result.files = done.files;
      result.warnings = done.warnings;
      result.pages = await pagesOf(done.files);
      result.status = 'built';
    } catch (e) {
      if (e instanceof ColophonError) result.errors = e.diagnostics;
      else
        result.errors = [
          error('internal', `internal error: ${(e as Error).stack ?? String(e)}`, undefined, 'Please report this with the manuscript that caused it.'),
        ];
    }
    result.ms = performance.now() - started;
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([this.models.close(), this.browsers.close(), this.drawing.close()]);
  }
}

/** Builds every title; resolves when all are done, whatever failed. */
export async function buildCatalogue(titles: Title[], options: CatalogueOptions): Promise<TitleResult[]> {
  const jobs = Math.max(1, Math.min(Math.floor(options.jobs), titles.length));
  const builder = new CatalogueBuilder(jobs, options.launchBrowser);
  const results: TitleResult[] = new Array(titles.length);
  const slugs = new Map<string, Title>();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < titles.length; i = next++) {
      const title = titles[i] as Title;
      options.onTitle?.({ kind: 'start', title });
      const result = await builder.build(title, options, slugs);
      results[i] = result;
      options.onTitle?.({ kind: 'done', result });
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
  } finally {
    await builder.close();
  }
  return results;
}

/** The print page count, read back from the written PDF (the press file when no PDF was asked for). */
async function pagesOf(files: TitleResult['files']): Promise<number | undefined> {
  const pdf = files.find((f) => f.format === 'pdf') ?? files.find((f) => f.format === 'press');
  if (!pdf) return undefined;
  const { readFile } = await import('node:fs/promises');
  const doc = await PDFDocument.load(await readFile(pdf.path), { updateMetadata: false });
  return doc.getPageCount();
}
