/** Colophon's library API: the CLI is a thin layer over these. */

export { buildBook } from './book-pass/build-book.ts';
export { type BuildOptions, type BuildResult, build } from './build.ts';
export { parseConfig } from './config/load-config.ts';
export type { BookConfig } from './config/schema.ts';
export { ColophonError, type Diagnostic, formatDiagnostic } from './diagnostics.ts';
export { loadManuscript, type Manuscript } from './manuscript/load.ts';
export type { Asset, Book, BookMetadata, Chapter, Footnote, TocEntry } from './model/book.ts';
export { FORMATS, type OutputFormat } from './outputs/index.ts';
