/**
 * Outputs are written to a temporary file in the target folder and renamed into place: a killed or
 * failed build leaves either the complete old file or the complete new one, never half of either.
 * A set of files is written in two phases (every temp file first, then every rename), so a failed
 * write (disk full) leaves the whole earlier set, not a mix of old and new formats. A SIGKILL cannot
 * remove its temp file; the next write into that folder removes temp files of processes that are gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ColophonError, error } from './diagnostics.ts';

const TEMP_NAME = /^\..+\.(\d+)\.tmp$/;

const tempName = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);

export function writeFileAtomic(file: string, data: Uint8Array): void {
  writeFilesAtomic([{ path: file, data }]);
}

export function writeFilesAtomic(files: { path: string; data: Uint8Array }[]): void {
  const written: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const f of files) {
      current = f.path;
      const dir = path.dirname(f.path);
      fs.mkdirSync(dir, { recursive: true });
      removeStaleTemps(dir);
      const temp = tempName(f.path);
      written.push(temp);
      const fd = fs.openSync(temp, 'w', 0o644);
      try {
        fs.writeFileSync(fd, f.data);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    for (const f of files) {
      current = f.path;
      fs.renameSync(tempName(f.path), f.path);
      written.shift();
    }
  } catch (e) {
    for (const temp of written) {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // The folder itself is unusable (not a folder, gone): there is no temp file to remove.
      }
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'ENOTDIR' || code === 'EEXIST'
              ? 'a file is in the way of the output folder'
              : (e as Error).message;
    throw new ColophonError(
      error(
        'output/write',
        `cannot write ${current}: ${why}`,
        { file: current },
        'Choose a writable output folder with -o, or free some space. The previous output, if any, is untouched.',
      ),
    );
  }
}

/** Removes `.<name>.<pid>.tmp` files left in `dir` by writers that were killed (their pid is gone). */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
