/**
 * `check` over many books: each title's preflight (runCheck, the single-book check unchanged) in
 * `-j` lanes sharing one print browser, a crashed browser replaced and its books checked again once.
 * The model is made on the main thread here: a check spends most of its time in EPUBCheck (Java) and
 * Chromium, which are processes of their own and run side by side already.
 */
import type { CheckOptions, CheckReport } from '../check/check.ts';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import type { PrintBrowser } from '../outputs/pdf/session.ts';
import { BrowserPool } from './browser-pool.ts';
import type { Title } from './titles.ts';

export interface TitleCheck {
  label: string;
  input: string;
  title?: string;
  ms: number;
  retried: boolean;
  /** Undefined when the check itself could not run (an internal error, listed in `errors`). */
  report?: CheckReport;
  errors: Diagnostic[];
}

export interface CheckCatalogueOptions {
  jobs: number;
  skip?: CheckOptions['skip'];
  env?: NodeJS.ProcessEnv;
  onTitle?: (result: TitleCheck) => void;
  launchBrowser?: () => Promise<PrintBrowser>;
}

export async function checkCatalogue(titles: Title[], options: CheckCatalogueOptions): Promise<TitleCheck[]> {
  const { runCheck } = await import('../check/check.ts');
  const jobs = Math.max(1, Math.floor(options.jobs));
  const browsers = new BrowserPool(jobs, options.launchBrowser);
  // Covers are drawn in a browser of their own, one at a time, as in a catalogue build (build-catalogue.ts).
  const drawing = new BrowserPool(1);
  const results: TitleCheck[] = new Array(titles.length);
  let next = 0;
  const checkOne = async (title: Title): Promise<TitleCheck> => {
    const started = performance.now();
    const result: TitleCheck = { label: title.label, input: title.input, ms: 0, retried: false, errors: [] };
    const run = (browser: PrintBrowser) =>
      runCheck({
        input: title.input,
        browser,
        drawing: (work) => drawing.lendRetrying(work),
        ...(title.overrides ? { overrides: title.overrides } : {}),
        ...(options.skip ? { skip: options.skip } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
    try {
      let report = await browsers.lend(async (browser) => {
        const r = await run(browser);
        // runCheck reports a dead browser as a PDF finding; the book deserves one more try on a new one.
        const died = r.findings.find((f) => f.code === 'pdf/browser');
        if (died && (await browsers.recover(browser, new ColophonError(died)))) return undefined;
        return r;
      });
      if (!report) {
        result.retried = true;
        report = await browsers.lend(run);
      }
      result.report = report;
      if (report.title) result.title = report.title;
    } catch (e) {
      result.errors =
        e instanceof ColophonError
          ? e.diagnostics
          : [error('internal', `internal error: ${(e as Error).stack ?? String(e)}`, undefined, 'Please report this with the manuscript that caused it.')];
    }
    result.ms = performance.now() - started;
    return result;
  };
  const lane = async () => {
    for (let i = next++; i < titles.length; i = next++) {
      const result = await checkOne(titles[i] as Title);
      results[i] = result;
      options.onTitle?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, titles.length) }, lane));
  } finally {
    await Promise.all([browsers.close(), drawing.close()]);
  }
  return results;
}
