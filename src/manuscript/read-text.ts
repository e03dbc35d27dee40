/** Reads a manuscript text file strictly: UTF-8 only, no NUL bytes, BOM removed, CRLF read as LF. */
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
    // TextDecoder drops a leading BOM itself (ignoreBOM: false). Markdown keeps a CR before each line
    // break in the text it produces, so CRLF (and old Mac CR) become LF here: the same book, the same bytes.
    return decoder.decode(bytes).replace(/\r\n?/g, '\n');
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

/** Offset of the first byte that starts an invalid UTF-8 sequence (only called once decoding failed). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}
