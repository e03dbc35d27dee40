/**
 * `colophon edition list`: the editions of a manuscript with their dates and formats. Checking the
 * archived files against each manifest is only hashing, so it is always done ("intact"); rebuilding
 * costs a full build per edition, so it is done only on request (`--verify`). An edition whose
 * rebuild could not compare every output is "incomplete", which fails `list --verify` too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ColophonError } from '../diagnostics.ts';
import { editionsRoot, type Manifest, readManifest } from './manifest.ts';
import { checkArchive, verifyEdition } from './verify.ts';

export interface EditionSummary {
  version: string;
  dir: string;
  manifest?: Manifest;
  /** `intact`: every archived file matches the manifest; `damaged`: some do not; `unreadable`: no usable manifest. */
  archive: 'intact' | 'damaged' | 'unreadable';
  problem?: string;
  /**
   * Only with `verify`: whether a rebuild from the archived source gives the archived bytes;
   * `incomplete` when some output could not be compared (a PDF/A without Ghostscript).
   */
  rebuild: 'not checked' | 'verified' | 'differs' | 'incomplete';
}

/** Interrupted freezes leave nothing but, after a hard kill, a dot-folder that is not an edition. */
export function leftoverTempFolders(input: string): string[] {
  const root = editionsRoot(input);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith('.') && d.name.endsWith('.tmp'))
    .map((d) => path.join(root, d.name));
}

export async function listEditions(options: { input: string; verify?: boolean; env?: NodeJS.ProcessEnv }): Promise<EditionSummary[]> {
  const root = editionsRoot(options.input);
  if (!fs.existsSync(root)) return [];
  const versions = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    // Numeric-aware, locale-free: 1.10 after 1.9, the same order on every machine.
    .sort(new Intl.Collator('en', { numeric: true }).compare);
  const out: EditionSummary[] = [];
  for (const version of versions) {
    const dir = path.join(root, version);
    let manifest: Manifest;
    try {
      manifest = readManifest(dir);
    } catch (e) {
      if (!(e instanceof ColophonError)) throw e;
      out.push({ version, dir, archive: 'unreadable', problem: e.diagnostics[0]?.message ?? 'unreadable manifest', rebuild: 'not checked' });
      continue;
    }
    const problems = checkArchive(dir, manifest);
    const summary: EditionSummary = {
      version,
      dir,
      manifest,
      archive: problems.length === 0 ? 'intact' : 'damaged',
      ...(problems.length > 0 ? { problem: problems.map((p) => `${p.path} ${p.problem}`).join(', ') } : {}),
      rebuild: 'not checked',
    };
    if (options.verify && problems.length === 0) {
      const report = await verifyEdition({ input: options.input, version, ...(options.env ? { env: options.env } : {}) });
      summary.rebuild = report.ok ? 'verified' : report.rebuilt?.some((r) => r.status === 'differs') || report.rebuildProblem ? 'differs' : 'incomplete';
    }
    out.push(summary);
  }
  return out;
}
