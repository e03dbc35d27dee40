/** One chapter file as every manuscript layout reads it: strictly decoded, within the size limits, named by its path from the manuscript root. */
import path from 'node:path';
import { checkChapterLimits } from './limits.ts';
import type { ChapterSource } from './manuscript.ts';
import { readManuscriptText } from './read-text.ts';

/** A file's path relative to `root`, with forward slashes on every system: the name links use. */
export const relativePath = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/');

export function readChapterFile(root: string, file: string): ChapterSource {
  const text = readManuscriptText(file);
  checkChapterLimits(file, text);
  return { path: file, relPath: relativePath(root, file), text };
}
