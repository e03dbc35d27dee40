/**
 * One print browser shared by every book of a catalogue build, lending at most `pages` pages at a
 * time. Starting Chromium costs about half a second and a few hundred MB; a catalogue of 200 titles
 * should pay that once. When the browser crashes, the books that were printing on it fail with a
 * `pdf/browser` error; `recover` starts one new browser (however many books saw the old one die) so
 * that each of them can be retried once, and books that had not reached the print stage never notice.
 */
import { ColophonError } from '../diagnostics.ts';
import { PrintBrowser } from '../outputs/pdf/session.ts';

export class BrowserPool {
  private current: Promise<PrintBrowser> | undefined;
  /** What `current` resolved to: known synchronously, so that books failing together replace it once. */
  private running: PrintBrowser | undefined;
  private free: number;
  private readonly queue: (() => void)[] = [];
  /** How many times a crashed browser was replaced. */
  restarts = 0;

  constructor(
    readonly pages: number,
    private readonly launch: () => Promise<PrintBrowser> = () => PrintBrowser.launch(),
  ) {
    this.free = pages;
  }

  /** Runs `work` with the shared browser once one of the `pages` slots is free. */
  async lend<T>(work: (browser: PrintBrowser) => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work(await this.browser());
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
    }
  }

  /**
   * `lend`, and when `work` failed because the browser died under it, once more on a new browser
   * (`onRetry` is told); any other failure, or a second death, is thrown.
   */
  async lendRetrying<T>(work: (browser: PrintBrowser) => Promise<T>, onRetry?: () => void): Promise<T> {
    const first = await this.lend(async (browser) => {
      try {
        return { value: await work(browser) };
      } catch (e) {
        if (!(await this.recover(browser, e))) throw e;
        return undefined;
      }
    });
    if (first) return first.value;
    onRetry?.();
    return this.lend(work);
  }

  private browser(): Promise<PrintBrowser> {
    if (!this.current) {
      const launching = this.launch();
      // A failed start is not cached: the next book tries again (and reports the same clear error).
      launching.then(
        (browser) => {
          if (this.current === launching) this.running = browser;
        },
        () => {
          if (this.current === launching) this.current = undefined;
        },
      );
      this.current = launching;
    }
    return this.current;
  }

  /**
   * After a book failed while printing with `used`: whether that failure was the browser dying, in
   * which case a fresh browser is ready for a retry.
   */
  async recover(used: PrintBrowser, failure: unknown): Promise<boolean> {
    if (!(failure instanceof ColophonError) || !failure.diagnostics.some((d) => d.code === 'pdf/browser')) return false;
    if (used.connected) return false;
    if (this.running === used) {
      this.current = undefined;
      this.running = undefined;
      this.restarts++;
      await used.close();
    }
    return true;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.running = undefined;
    if (current) await (await current.catch(() => undefined))?.close();
  }
}
