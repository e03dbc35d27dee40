/**
 * Outputs are written to a temporary file in the target folder and renamed into place: a killed or
 * failed build leaves either the complete old file or the complete new one, never half of either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ColophonError, error } from './diagnostics.ts';

export function writeFileAtomic(file: string, data: Uint8Array): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable (not a folder, gone): there is no temp file to remove.
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : (e as Error).message;
    throw new ColophonError(
      error(
        'output/write',
        `cannot write ${file}: ${why}`,
        { file },
        'Choose a writable output folder with -o, or free some space. The previous output, if any, is untouched.',
      ),
    );
  }
}
