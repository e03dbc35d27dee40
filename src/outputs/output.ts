/** What an output stage is: a function from the book model to the bytes of one file. */
import type { Diagnostic } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import type { PrintedPages } from './pdf/pages/paginate.ts';
import type { PrintBrowser } from './pdf/session.ts';

/**
 * Runs `work` with a browser lent for it and gives back what `work` returns (a catalogue's pool
 * lends one browser to many books this way).
 */
export type LendBrowser = <T>(work: (browser: PrintBrowser) => Promise<T>) => Promise<T>;

/** What a stage learned that later stages and the caller can use. */
export interface OutputResults {
  /** The PDF stage's pages: page map (label and text positions of every page) and typography report. */
  print?: PrintedPages;
}

export interface OutputContext {
  /** Progress messages (`pages rendered`, …); silent when the CLI is quiet. */
  log: (message: string) => void;
  /** Problems found while rendering that do not stop it (a missing glyph); the build reports them. */
  warn: (diagnostic: Diagnostic) => void;
  /**
   * The bytes of a format this one `needs`: the build renders those first (writing them only when
   * they were asked for), so the press file and the cover read the interior PDF as data instead of
   * calling the PDF stage themselves. Stages never call each other.
   */
  input?: (format: string) => Uint8Array | undefined;
  /** Draw trim, fold and safe-area guides (the cover, with `build --guides`). */
  guides?: boolean;
  /** Shared by the stages of one build, in order (the EPUB stage can read the PDF's page map). */
  results?: OutputResults;
  /**
   * A running print browser shared with other books (a catalogue build lends one from its pool);
   * without it a stage that prints starts its own and closes it, as a single build always did.
   */
  browser?: PrintBrowser;
  /**
   * A browser kept for drawing (the EPUB's generated cover), shared by a catalogue's books and never
   * the one lent for printing: a screenshot beside another book's print in one browser stalled for
   * minutes, and a browser started per title cost each title about 2.5 s of the catalogue's time.
   * Without it the EPUB stage starts its own when it must draw.
   */
  drawing?: LendBrowser;
  /** Reuse work kept on disk between builds (a generated cover); false with `--no-cache`. */
  cache?: boolean;
}

export interface OutputFormat {
  name: string;
  /** Formats whose bytes this one reads through `context.input`. */
  needs?: readonly string[];
  /**
   * Formats whose `results` this one uses when they are built in the same run (the EPUB and the web
   * edition mark the PDF's printed pages): the build renders those first, without adding them.
   */
  after?: readonly string[];
  /** File extension of the output, without the dot. */
  extension: string;
  render(book: Book, context: OutputContext): Promise<Uint8Array>;
}
