/** What an output stage is: a function from the book model to the bytes of one file. */
import type { Diagnostic } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import type { PrintedPages } from './pdf/pages/paginate.ts';
import type { PrintBrowser } from './pdf/session.ts';

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
