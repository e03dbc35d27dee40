/**
 * The output formats, loaded only when a build asks for them: the PDF stage alone (Puppeteer, pdf-lib,
 * the hyphenation patterns) takes longer to import than a warm `-t html,epub` build takes to run.
 * What the build needs to know before rendering (the file name, what a format needs first) is here
 * without loading anything; test/unit/load-format.test.ts holds it to each module's own OutputFormat.
 */
import type { FormatName } from './format-names.ts';
import type { OutputFormat } from './output.ts';

interface FormatEntry {
  extension: string;
  needs: readonly FormatName[];
  /** Formats whose results it uses when they are built too (the page markers come from the PDF's page map). */
  after?: readonly FormatName[];
  load: () => Promise<OutputFormat>;
}

/** In the order the build renders them (html and epub moved after a PDF built with them): the press file and the cover reuse the PDF rendered before them. */
export const FORMAT_TABLE: Record<FormatName, FormatEntry> & Record<string, FormatEntry | undefined> = {
  html: { extension: 'html', needs: [], after: ['pdf'], load: async () => (await import('./html.ts')).html },
  epub: { extension: 'epub', needs: [], after: ['pdf'], load: async () => (await import('./epub.ts')).epub },
  pdf: { extension: 'pdf', needs: [], load: async () => (await import('./pdf.ts')).pdf },
  press: { extension: 'press.pdf', needs: ['pdf'], load: async () => (await import('./press.ts')).press },
  cover: { extension: 'cover.pdf', needs: ['pdf'], load: async () => (await import('./cover.ts')).cover },
};
