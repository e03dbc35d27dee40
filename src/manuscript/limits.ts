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
    const prefix = /^[ \t>]*/.exec(text.slice(start, Math.min(stop, start + MAX_INDENT * 4 + 1)))?.[0] ?? '';
    let quotes = 0;
    for (const ch of prefix) if (ch === '>') quotes++;
    const indent = prefix.replace(/\t/g, '    ').length;
    if (quotes > MAX_QUOTE_DEPTH || indent > MAX_INDENT) {
      throw new ColophonError(
        error(
          'manuscript/too-deep',
          quotes > MAX_QUOTE_DEPTH
            ? `${quotes} nested blockquotes (the limit is ${MAX_QUOTE_DEPTH})`
            : `indentation of ${indent} columns (the limit is ${MAX_INDENT})`,
          { file, line, column: 1 },
          'Nesting this deep is almost certainly a mistake: flatten the quotes or lists.',
        ),
      );
    }
    start = stop + 1;
  }
}
