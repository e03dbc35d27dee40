/**
 * The manifest of a fixed edition (editions/<version>/manifest.json): what was built, from what, with
 * which tools. It holds no clock time and no absolute path, so freezing the same manuscript twice (in
 * any folder) writes the same manifest apart from the recorded tool versions.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ColophonError, error } from '../diagnostics.ts';

/** Inside the manuscript folder, next to book.yaml: the archive travels with the book it archives. */
export const EDITIONS_DIR = 'editions';
/** The archived manuscript inside an edition folder; outputs sit at the top of the edition folder. */
export const SOURCE_DIR = 'source';
export const MANIFEST_NAME = 'manifest.json';
/** Bumped when the manifest's shape changes incompatibly. */
export const MANIFEST_FORMAT = 1;

const fileEntry = z.object({
  /** Relative to the edition folder, with forward slashes. */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

const outputEntry = fileEntry.extend({
  /** `html`, `epub`, `pdf`, or `pdfa` (the PDF/A-2b copy made from `pdf` by Ghostscript). */
  format: z.string(),
});

const sourceEntry = fileEntry.extend({
  role: z.enum(['config', 'chapter', 'image', 'style']),
});

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.string(),
  /** edition.date as built (ISO 8601); every date in the outputs derives from it. */
  date: z.string(),
  title: z.string(),
  /** The manuscript inside `source/`: book.yaml, or the single .md file. */
  manuscript: z.string(),
  outputs: z.array(outputEntry),
  sources: z.array(sourceEntry),
  /** Versions of everything that shapes the bytes; a rebuild with other versions may differ. */
  tools: z.record(z.string(), z.string()),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;
export type SourceEntry = z.infer<typeof sourceEntry>;
export type OutputEntry = z.infer<typeof outputEntry>;

/** Edition versions name folders: keep them to characters that are safe in a path on every system. */
const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;

export function checkVersion(version: string): void {
  if (!VERSION_PATTERN.test(version) || version.includes('..')) {
    throw new ColophonError(
      error(
        'edition/bad-version',
        `"${version}" is not a usable edition version`,
        undefined,
        'Use letters, digits, ".", "-", "_" or "+", starting with a letter or digit (e.g. 1.0, 2025-spring).',
      ),
      2,
    );
  }
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashFile(file: string): { sha256: string; bytes: number } {
  const data = fs.readFileSync(file);
  return { sha256: sha256(data), bytes: data.byteLength };
}

export const toPosix = (p: string) => p.split(path.sep).join('/');

/** Keys in a fixed order and a final newline: the manifest's own bytes are reproducible too. */
export function serialiseManifest(manifest: Manifest): string {
  const sorted = <T extends { path: string }>(list: T[]) => [...list].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const tools = Object.fromEntries(Object.entries(manifest.tools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const ordered: Manifest = {
    format: manifest.format,
    version: manifest.version,
    date: manifest.date,
    title: manifest.title,
    manuscript: manifest.manuscript,
    outputs: sorted(manifest.outputs),
    sources: sorted(manifest.sources),
    tools,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export function readManifest(editionDir: string): Manifest {
  const file = path.join(editionDir, MANIFEST_NAME);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ColophonError(
      error(
        'edition/no-manifest',
        `no ${MANIFEST_NAME} in ${editionDir}`,
        { file },
        'This is not a complete edition; `colophon edition list` shows the ones there are.',
      ),
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ColophonError(
      error('edition/bad-manifest', `${MANIFEST_NAME} is not valid JSON: ${(e as Error).message}`, { file }, 'Restore it from a backup.'),
    );
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ColophonError(
      error(
        'edition/bad-manifest',
        `${MANIFEST_NAME} is damaged: ${issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : 'unexpected shape'}`,
        { file },
        'Restore it from a backup.',
      ),
    );
  }
  // A manifest path must stay inside the edition folder, whatever the file says.
  for (const entry of [...parsed.data.outputs, ...parsed.data.sources]) {
    const rel = path.relative(editionDir, path.resolve(editionDir, entry.path));
    if (rel.startsWith('..') || path.isAbsolute(rel) || path.isAbsolute(entry.path)) {
      throw new ColophonError(
        error('edition/bad-manifest', `${MANIFEST_NAME} names a file outside the edition: ${entry.path}`, { file }, 'Restore it from a backup.'),
      );
    }
  }
  return parsed.data;
}

/** Where the editions of a manuscript live: next to book.yaml, or next to a single-file manuscript. */
export function editionsRoot(manuscript: string): string {
  const abs = path.resolve(manuscript);
  let isDir = true;
  try {
    isDir = fs.statSync(abs).isDirectory();
  } catch {
    // A missing manuscript is reported by whoever loads it; the folder it would have is enough here.
  }
  return path.join(isDir ? abs : path.dirname(abs), EDITIONS_DIR);
}

/** Differences between the files in an edition folder and the manifest: tampering, damage, loss. */
export interface FileProblem {
  path: string;
  problem: 'missing' | 'changed' | 'unexpected';
}

export function checkFiles(editionDir: string, entries: FileEntry[]): FileProblem[] {
  const problems: FileProblem[] = [];
  for (const entry of entries) {
    const file = path.join(editionDir, entry.path);
    if (!fs.existsSync(file)) {
      problems.push({ path: entry.path, problem: 'missing' });
      continue;
    }
    const actual = hashFile(file);
    if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) problems.push({ path: entry.path, problem: 'changed' });
  }
  return problems;
}

/** Files under `source/` that the manifest does not list: they were not part of the build. */
export function unexpectedSources(editionDir: string, sources: SourceEntry[]): FileProblem[] {
  const listed = new Set(sources.map((s) => s.path));
  const sourceDir = path.join(editionDir, SOURCE_DIR);
  if (!fs.existsSync(sourceDir)) return [];
  return (fs.readdirSync(sourceDir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => toPosix(path.relative(editionDir, path.join(d.parentPath, d.name))))
    .filter((p) => !listed.has(p))
    .sort()
    .map((p) => ({ path: p, problem: 'unexpected' as const }));
}
