/** Reads a manuscript text file strictly: UTF-8 only, no NUL bytes, BOM removed, CRLF accepted. */
import fs from 'node:fs';
import { ColophonError, error } from '../diagnostics.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function readManuscriptText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : code === 'EISDIR'
            ? 'is a folder, not a file'
            : `cannot be read (${code})`;
    throw new ColophonError(error('manuscript/unreadable', `file ${what}`, { file }, 'Check the path and the file permissions.'));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ColophonError(
      error('manuscript/binary', 'file contains NUL bytes; it is not a text file', { file, ...lineColAt(bytes, nul) }, 'Save the chapter as plain UTF-8 text.'),
    );
  }
  try {
    // TextDecoder drops a leading BOM itself (ignoreBOM: false).
    return decoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new ColophonError(
      error(
        'manuscript/not-utf8',
        'file is not valid UTF-8',
        { file, ...lineColAt(bytes, bad) },
        'Re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).',
      ),
    );
  }
}

function lineColAt(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Buffer): number {
  // Binary search on the longest valid prefix; decoding prefixes is cheap next to a build.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
