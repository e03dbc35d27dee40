/**
 * One headless Chromium per build, used for every print pass. The print page runs without JavaScript
 * and may load files only from a few folders (the manuscript, the shipped fonts and styles, its own
 * temp folder); every other request is aborted and remembered, so a manuscript cannot make the
 * browser fetch /etc/passwd or the network. Every browser call has a time limit: a crashed or hung
 * browser ends the build with a ColophonError instead of hanging it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page, type PDFOptions } from 'puppeteer-core';
import { CHROMIUM_ARGS, requireBrowser } from '../../browser/find-browser.ts';
import { ColophonError, error } from '../../diagnostics.ts';
import { isInside } from '../../manuscript/paths.ts';

export interface Timeouts {
  launchMs: number;
  loadMs: number;
  printMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { launchMs: 30_000, loadMs: 60_000, printMs: 180_000 };

export interface PrintRequest {
  html: string;
  /** Folders the page may read files from, besides its own temp folder. */
  allowedRoots: string[];
  pdf: PDFOptions;
}

/** A page to draw as a PNG of `width`×`height` CSS pixels (the EPUB's generated cover). */
export interface ScreenshotRequest {
  html: string;
  /** Folders the page may read files from, besides its own temp folder. */
  allowedRoots: string[];
  width: number;
  height: number;
}

/** How a prepared page is printed in parts (print-parts.ts says why). */
export interface PrintParts {
  /** One DOM update per part, run in the isolated world of a copy before that part's print. */
  updates: string[];
  /** An expression giving the prepared document as HTML, every part hidden: the parts are printed from copies of it. */
  copy: string;
  /** Tabs printing parts at once (default 1). */
  lanes?: number;
}

/** A print in parts: one PDF per part, in order. */
export type PartsResult = Omit<PrintResult, 'pdf'> & { pdfs: Uint8Array[] };

export interface PrintResult {
  pdf: Uint8Array;
  /** URLs the page asked for and did not get. */
  blocked: string[];
  /** Milliseconds spent loading the page and printing it. */
  loadMs: number;
  printMs: number;
}

function browserError(what: string, cause: unknown): ColophonError {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new ColophonError(
    error(
      'pdf/browser',
      `the print browser failed while ${what}: ${reason}`,
      undefined,
      'Check that Chromium starts on this machine (`chromium --headless --version`), or set PUPPETEER_EXECUTABLE_PATH to a working Chrome.',
    ),
  );
}

/** A promise that rejects after `ms`; puppeteer's own timeouts do not cover a browser that stops answering. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${(ms / 1000).toFixed(0)} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    throw e instanceof ColophonError ? e : browserError(what, e);
  } finally {
    clearTimeout(timer);
  }
}

const LOAD_ALL_FONTS =
  'Promise.all(Array.from(document.fonts, (f) => f.load().catch(() => null))).then(() => document.fonts.ready).then(() => document.fonts.size)';

export class PrintBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly tempDir: string,
    readonly timeouts: Timeouts,
  ) {}

  static async launch(timeouts: Partial<Timeouts> = {}): Promise<PrintBrowser> {
    const limits = { ...DEFAULT_TIMEOUTS, ...timeouts };
    const { executablePath } = await requireBrowser();
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pdf-'));
    // Aborted when starting fails or takes too long: Puppeteer then kills the browser's process group.
    const abandon = new AbortController();
    try {
      const browser = await within(
        limits.launchMs,
        'starting',
        puppeteer.launch({
          executablePath,
          headless: true,
          args: CHROMIUM_ARGS,
          userDataDir: path.join(tempDir, 'profile'),
          // DevTools over a pipe, not a WebSocket: Chromium quits when the pipe closes, so a build
          // killed with SIGKILL (which cannot close the browser) leaves no browser running.
          pipe: true,
          signal: abandon.signal,
          timeout: limits.launchMs,
          // Bounds every DevTools call, so a browser that hangs mid-print is noticed.
          protocolTimeout: limits.printMs,
        }),
      );
      return new PrintBrowser(browser, tempDir, limits);
    } catch (e) {
      abandon.abort();
      fs.rmSync(tempDir, { recursive: true, force: true });
      throw e;
    }
  }

  get connected(): boolean {
    return this.browser.connected;
  }

  async print(request: PrintRequest): Promise<PrintResult> {
    let last: PrintResult | undefined;
    await this.printPasses(request, async (result) => {
      last = result;
      return undefined;
    });
    return last as PrintResult;
  }

  /**
   * Loads the page once and prints it; `next` reads each PDF and returns a DOM update (a script run
   * through DevTools, page scripts stay off) for another print, or nothing to stop. Re-printing the
   * loaded page skips parsing the HTML and loading the fonts again, which was a third of a pass.
   */
  async printPasses(request: PrintRequest, next: (result: PrintResult) => Promise<string | undefined>): Promise<void> {
    await this.withPage(request, 'screen', async ({ page, blocked, crashed, loadMs: firstLoadMs }) => {
      let loadMs = firstLoadMs;
      for (;;) {
        const printStart = performance.now();
        const pdf = await within(this.timeouts.printMs, 'printing', Promise.race([page.pdf({ ...request.pdf, timeout: this.timeouts.printMs }), crashed]));
        const update = await next({ pdf, blocked: [...blocked], loadMs, printMs: performance.now() - printStart });
        if (update === undefined) return;
        const updateStart = performance.now();
        await within(this.timeouts.loadMs, 'updating the print page', Promise.race([page.evaluate(update), crashed]));
        loadMs = performance.now() - updateStart;
      }
    });
  }

  /**
   * Loads the page with the print styles applied on screen (media emulated: the unpaginated galley
   * Colophon measures), lets `prepare` measure and rework the document through `evaluate` (an
   * isolated world, so nothing the book could define is seen or run; page scripts stay off), then
   * prints it once; or, when `parts` gives parts, closes it and prints them from copies, `lanes`
   * tabs at once, each running the part's DOM update in its isolated world and printing, taking the
   * next part when it is free: one PDF per part, in order.
   *
   * The prepared page is closed first because it holds the whole book laid out, the largest thing
   * in memory (a 664 MiB renderer for the 505k-word book). A print keeps Chromium's renderer busy for
   * about two thirds of its time and the print compositor, another process, for the rest, so one tab
   * leaves a core idle: two tabs printed that book's four parts in 10.8 s against 18.4 s for one
   * (2 cores; a copy loads in 0.6 s), the same bytes.
   */
  async printPrepared<T>(
    request: PrintRequest,
    prepare: (evaluate: (expression: string) => Promise<unknown>) => Promise<T>,
    parts: (prepared: T) => PrintParts | undefined = () => undefined,
  ): Promise<{ result: PartsResult; prepared: T }> {
    const first = await this.withPage(request, 'print', async ({ page, blocked, crashed, loadMs }) => {
      const evaluate = await this.isolatedWorld(page, crashed);
      const prepared = await prepare(evaluate);
      const printStart = performance.now();
      const plan = parts(prepared);
      // In parts, this page only hands out the copy; else it is printed here.
      if (!plan) return { prepared, blocked, loadMs, printStart, pdf: await this.printPage(page, request.pdf, crashed) };
      return { prepared, blocked, loadMs, printStart, plan, copy: String(await evaluate(plan.copy)) };
    });
    const { prepared, blocked, loadMs, printStart } = first;
    const pdfs: Uint8Array[] = [];
    if (first.pdf) pdfs.push(first.pdf);
    else if (first.plan) {
      const { plan, copy } = first;
      let next = 0;
      let failed = false;
      const lanes = Math.max(1, Math.min(plan.lanes ?? 1, plan.updates.length));
      await Promise.all(
        Array.from({ length: lanes }, () =>
          this.withPage({ ...request, html: copy }, 'print', async (lane) => {
            const evaluate = await this.isolatedWorld(lane.page, lane.crashed);
            try {
              // Each lane takes the next part when it is free; a failure stops the others taking more.
              for (let i = next++; i < plan.updates.length && !failed; i = next++) {
                await evaluate(plan.updates[i] as string);
                pdfs[i] = await this.printPage(lane.page, request.pdf, lane.crashed);
              }
            } catch (e) {
              failed = true;
              throw e;
            }
            blocked.push(...lane.blocked);
          }),
        ),
      );
    }
    return { result: { pdfs, blocked: [...blocked], loadMs, printMs: performance.now() - printStart }, prepared };
  }

  private printPage(page: Page, options: PDFOptions, crashed: Promise<never>): Promise<Uint8Array> {
    return within(this.timeouts.printMs, 'printing', Promise.race([page.pdf({ ...options, timeout: this.timeouts.printMs }), crashed]));
  }

  /** Runs expressions in an isolated world of the page: nothing the book defines is seen or run, page scripts stay off. */
  private async isolatedWorld(page: Page, crashed: Promise<never>): Promise<(expression: string) => Promise<unknown>> {
    const cdp = await within(this.timeouts.loadMs, 'opening DevTools', Promise.race([page.createCDPSession(), crashed]));
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'colophon' });
    return async (expression: string) => {
      const reply = await within(
        this.timeouts.printMs,
        'laying out the pages',
        Promise.race([cdp.send('Runtime.evaluate', { expression, contextId: executionContextId, returnByValue: true, awaitPromise: true }), crashed]),
      );
      if (reply.exceptionDetails) {
        const detail = reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text;
        throw new Error(`page script failed: ${detail}`);
      }
      return reply.result.value as unknown;
    };
  }

  /** A new page with the request's HTML loaded and every font face loaded, closed afterwards. */
  private async withPage<T>(
    request: PrintRequest,
    media: 'screen' | 'print',
    work: (loaded: { page: Page; blocked: string[]; crashed: Promise<never>; loadMs: number }) => Promise<T>,
  ): Promise<T> {
    if (!this.browser.connected) throw browserError('printing', new Error('the browser is no longer running'));
    const jobDir = fs.mkdtempSync(path.join(this.tempDir, 'job-'));
    const file = path.join(jobDir, 'book.html');
    fs.writeFileSync(file, request.html);
    const roots = [jobDir, ...request.allowedRoots].map((r) => fs.realpathSync(r));
    const blocked: string[] = [];
    const page = await within(this.timeouts.launchMs, 'opening a page', this.browser.newPage());
    try {
      await page.setJavaScriptEnabled(false);
      // With print media the first layout, done while loading, is already the galley.
      if (media === 'print') await page.emulateMediaType('print');
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        if (req.isInterceptResolutionHandled()) return;
        const url = req.url();
        if (url.startsWith('data:') || allowedFile(url, roots)) {
          void req.continue();
        } else {
          blocked.push(url);
          void req.abort('accessdenied');
        }
      });
      const crashed = new Promise<never>((_, reject) => {
        page.once('error', (e) => reject(browserError('rendering', e)));
        this.browser.once('disconnected', () => reject(browserError('rendering', new Error('the browser closed unexpectedly'))));
      });
      crashed.catch(() => {});
      const loadStart = performance.now();
      await within(
        this.timeouts.loadMs,
        'loading the print HTML',
        Promise.race([page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: this.timeouts.loadMs }), crashed]),
      );
      // Web fonts load lazily and print may start before a late one arrives, using a fallback for
      // some glyphs in one run and not the next. Load every declared face (the list is already only
      // the subsets the book needs) before printing. DevTools evaluation works with page scripts off.
      await within(this.timeouts.loadMs, 'loading the fonts', Promise.race([page.evaluate(LOAD_ALL_FONTS), crashed]));
      return await work({ page, blocked, crashed, loadMs: performance.now() - loadStart });
    } catch (e) {
      // A browser that dies between calls makes the unguarded ones (setJavaScriptEnabled, …) throw
      // Puppeteer's own errors: report those like every other browser failure, not as an internal error.
      throw e instanceof ColophonError ? e : browserError('printing', e);
    } finally {
      await page.close().catch(() => {});
      fs.rmSync(jobDir, { recursive: true, force: true });
    }
  }

  /**
   * A PNG of a page of `width`×`height` CSS pixels at one device pixel each, under the same rules as
   * a print (no scripts, files only from the allowed folders, every font loaded first). Chromium's
   * software rasteriser and PNG encoder give the same bytes for the same page and Chromium.
   */
  async screenshot(request: ScreenshotRequest): Promise<Uint8Array> {
    if (!this.browser.connected) throw browserError('drawing', new Error('the browser is no longer running'));
    const jobDir = fs.mkdtempSync(path.join(this.tempDir, 'shot-'));
    const file = path.join(jobDir, 'page.html');
    fs.writeFileSync(file, request.html);
    const roots = [jobDir, ...request.allowedRoots].map((r) => fs.realpathSync(r));
    const page = await within(this.timeouts.launchMs, 'opening a page', this.browser.newPage());
    try {
      await page.setJavaScriptEnabled(false);
      await page.setViewport({ width: request.width, height: request.height, deviceScaleFactor: 1 });
      await page.setRequestInterception(true);
      page.on('request', (req) => {
        if (req.isInterceptResolutionHandled()) return;
        if (req.url().startsWith('data:') || allowedFile(req.url(), roots)) void req.continue();
        else void req.abort('accessdenied');
      });
      await within(this.timeouts.loadMs, 'loading a page to draw', page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: this.timeouts.loadMs }));
      await within(this.timeouts.loadMs, 'loading the fonts', page.evaluate(LOAD_ALL_FONTS));
      const png = await within(
        this.timeouts.printMs,
        'drawing',
        page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: request.width, height: request.height }, captureBeyondViewport: false }),
      );
      return new Uint8Array(png);
    } catch (e) {
      throw e instanceof ColophonError ? e : browserError('drawing', e);
    } finally {
      await page.close().catch(() => {});
      fs.rmSync(jobDir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    try {
      // A hung browser may not answer close(); kill its process then, so no orphan is left behind.
      await within(5_000, 'closing', this.browser.close());
    } catch {
      this.browser.process()?.kill('SIGKILL');
    } finally {
      fs.rmSync(this.tempDir, { recursive: true, force: true });
    }
  }
}

function allowedFile(url: string, roots: string[]): boolean {
  if (!url.startsWith('file:')) return false;
  let file: string;
  try {
    file = fs.realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
  return roots.some((root) => isInside(root, file));
}
