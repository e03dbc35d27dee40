/**
 * Limits that keep a hostile or broken manuscript from exhausting the machine: the unified
 * ecosystem walks trees recursively, so ten thousand nested blockquotes overflow the stack, and a
 * chapter of hundreds of megabytes takes minutes and gigabytes. No real book comes near these limits;
 * a file that does gets a clear error at the line instead of a crash.
 */
import { ColophonError, error } from '../diagnostics.ts';

/**
 * Bytes of one chapter file (Pride and Prejudice, a whole novel, is 0.7 MB; War and Peace 3.2 MB).
 * The pipeline needs about 5 s and 170 MB of memory per MB of prose (measured: 20 MB took 105 s and
 * 3.4 GB), so 8 MB bounds a chapter at well under a minute and 1.5 GB.
 */
export const MAX_CHAPTER_BYTES = 8 * 1024 * 1024;
/** Blockquote markers (`>`) at the start of one line. */
export const MAX_QUOTE_DEPTH = 64;
/** Columns of leading indentation (each list level takes 2–4). */
export const MAX_INDENT = 256;
/** Consecutive `*` or `_` characters in a line (a run of n nests up to n/2 emphasis elements). */
export const MAX_DELIMITER_RUN = 256;
const DELIMITER_RUN = new RegExp(`[*_]{${MAX_DELIMITER_RUN + 1}}`);

export function checkChapterLimits(file: string, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CHAPTER_BYTES) {
    throw new ColophonError(
      error(
        'manuscript/too-large',
        `chapter is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than ${MAX_CHAPTER_BYTES / 1024 / 1024} MB`,
        { file },
        'Split it into several chapter files (list them under `chapters:` in book.yaml).',
      ),
    );
  }
  let line = 0;
  for (let start = 0; start < text.length; ) {
    line++;
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    // Only the line's prefix matters; don't scan long lines of prose.
    const head = text.slice(start, Math.min(stop, start + MAX_INDENT * 4 + 1));
    const nesting = lineNesting(head);
    if (nesting.quotes > MAX_QUOTE_DEPTH || nesting.quotes + nesting.markers > MAX_QUOTE_DEPTH || nesting.indent > MAX_INDENT) {
      throw new ColophonError(
        error(
          'manuscript/too-deep',
          nesting.quotes > MAX_QUOTE_DEPTH
            ? `${nesting.quotes} nested blockquotes (the limit is ${MAX_QUOTE_DEPTH})`
            : nesting.quotes + nesting.markers > MAX_QUOTE_DEPTH
              ? `${nesting.quotes + nesting.markers} nested lists and blockquotes on one line (the limit is ${MAX_QUOTE_DEPTH})`
              : `indentation of ${nesting.indent} columns (the limit is ${MAX_INDENT})`,
          { file, line, column: 1 },
          'Nesting this deep is almost certainly a mistake: flatten the quotes or lists.',
        ),
      );
    }
    // `*****…x…*****` nests emphasis as deep as the run is long: 10,000 `*` took a minute to fail.
    // A line of only `*`, `_` and spaces is a rule, parsed at once.
    const run = MAX_DELIMITER_RUN < stop - start ? DELIMITER_RUN.exec(text.slice(start, stop)) : null;
    if (run && !/^[ \t]*[*_ \t]+$/.test(text.slice(start, stop))) {
      throw new ColophonError(
        error(
          'manuscript/too-deep',
          `a run of more than ${MAX_DELIMITER_RUN} emphasis characters (${run[0][0]})`,
          { file, line, column: run.index + 1 },
          'Escape the characters (\\*) or shorten the run; emphasis nests only a few levels deep.',
        ),
      );
    }
    start = stop + 1;
  }
}

/** Blockquote markers, list markers (`-`, `*`, `+`, `1.`, `1)`) and indentation at the start of a line. */
function lineNesting(head: string): { quotes: number; markers: number; indent: number } {
  let quotes = 0;
  let markers = 0;
  let indent = 0;
  const token = /[ \t]|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/y;
  for (let m = token.exec(head); m; m = token.exec(head)) {
    const t = m[0];
    if (t === '>') quotes++;
    else if (t === ' ') indent++;
    else if (t === '\t') indent += 4;
    else markers++;
  }
  return { quotes, markers, indent };
}
