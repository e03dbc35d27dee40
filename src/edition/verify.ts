/**
 * `colophon edition verify`: check an archived edition against its manifest, then rebuild it from
 * the archived source alone (copied to a temporary folder, so nothing else next to it can take part)
 * and compare the rebuilt outputs' hashes with the recorded ones. When they differ, the recorded tool
 * versions are compared with the current ones: a different Chromium or font package is the usual why.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from '../build.ts';
import { ColophonError, type Diagnostic, error, formatDiagnostic } from '../diagnostics.ts';
import { editionEnv } from './freeze.ts';
import { checkFiles, checkVersion, editionsRoot, type FileProblem, hashFile, type Manifest, readManifest, SOURCE_DIR, unexpectedSources } from './manifest.ts';
import { makePdfA, pdfaInfo } from './pdfa.ts';
import { ghostscriptVersion, toolDifferences, toolVersions } from './tool-versions.ts';

export interface RebuiltOutput {
  path: string;
  format: string;
  status: 'same' | 'differs' | 'not-checked';
  note?: string;
}

export interface VerifyReport {
  version: string;
  dir: string;
  manifest: Manifest;
  /** Archived files that do not match the manifest (sources and outputs). */
  archive: FileProblem[];
  /** Undefined when the rebuild was not asked for or could not be attempted. */
  rebuilt?: RebuiltOutput[];
  /** Why there is no rebuild, or why it failed. */
  rebuildProblem?: string;
  /** `tool: recorded, now` for each tool whose version changed since the freeze. */
  toolChanges: string[];
  /** Outputs the rebuild could not compare (a PDF/A without Ghostscript). */
  unchecked: RebuiltOutput[];
  /** Every file intact and every output rebuilt identically (unchecked ones only with allowUnchecked). */
  ok: boolean;
}

export function editionDir(input: string, version: string): string {
  checkVersion(version);
  const dir = path.join(editionsRoot(input), version);
  if (!fs.existsSync(path.join(dir))) {
    throw new ColophonError(
      error(
        'edition/not-found',
        `there is no edition ${version} in ${path.dirname(dir)}`,
        { file: dir },
        '`colophon edition list` shows the editions there are.',
      ),
    );
  }
  return dir;
}

/** Archive integrity only: cheap (hashing), no build. */
export function checkArchive(dir: string, manifest: Manifest): FileProblem[] {
  return [...checkFiles(dir, manifest.sources), ...unexpectedSources(dir, manifest.sources), ...checkFiles(dir, manifest.outputs)];
}

export interface VerifyOptions {
  input: string;
  version: string;
  rebuild?: boolean;
  /**
   * Count an output the rebuild could not compare (a PDF/A when Ghostscript is missing) as no failure.
   * Off by default: "verifies" must mean every archived output was rebuilt and compared.
   */
  allowUnchecked?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function verifyEdition(options: VerifyOptions): Promise<VerifyReport> {
  const dir = editionDir(options.input, options.version);
  const manifest = readManifest(dir);
  const archive = checkArchive(dir, manifest);
  const report: VerifyReport = { version: options.version, dir, manifest, archive, toolChanges: [], unchecked: [], ok: false };
  const hasPdfA = manifest.outputs.some((o) => o.format === 'pdfa');
  if (options.rebuild !== false) {
    const sourcesBad = archive.some((p) => p.path.startsWith(`${SOURCE_DIR}/`));
    if (sourcesBad) report.rebuildProblem = 'not rebuilt: the archived source does not match the manifest';
    else await rebuild(dir, manifest, report, editionEnv(options.env));
    report.toolChanges = toolDifferences(manifest.tools, await toolVersions({ ghostscript: hasPdfA, env: editionEnv(options.env) }));
  }
  report.unchecked = report.rebuilt?.filter((r) => r.status === 'not-checked') ?? [];
  report.ok = isVerified(report, { rebuild: options.rebuild !== false, allowUnchecked: options.allowUnchecked === true });
  return report;
}

/** The verdict: archive intact and, when rebuilt, every output the same (or, if allowed, not checked). */
export function isVerified(report: Omit<VerifyReport, 'ok'>, options: { rebuild: boolean; allowUnchecked: boolean }): boolean {
  if (report.archive.length > 0) return false;
  if (!options.rebuild) return true;
  return (
    report.rebuilt !== undefined &&
    !report.rebuildProblem &&
    report.rebuilt.every((r) => r.status === 'same' || (r.status === 'not-checked' && options.allowUnchecked))
  );
}

async function rebuild(dir: string, manifest: Manifest, report: VerifyReport, env: NodeJS.ProcessEnv): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-verify-'));
  try {
    // Only the files the manifest lists: the rebuild proves that they alone make the edition.
    for (const source of manifest.sources) {
      const to = path.join(work, ...source.path.split('/'));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, fs.readFileSync(path.join(dir, ...source.path.split('/'))));
    }
    const manuscriptFile = path.join(work, ...manifest.manuscript.split('/'));
    const input = /^book\.ya?ml$/.test(path.basename(manuscriptFile)) ? path.dirname(manuscriptFile) : manuscriptFile;
    const outDir = path.join(work, 'out');
    const formats = manifest.outputs.map((o) => o.format).filter((f) => f !== 'pdfa');
    let result: Awaited<ReturnType<typeof build>>;
    try {
      result = await build({ input, outDir, formats, env });
    } catch (e) {
      if (!(e instanceof ColophonError)) throw e;
      report.rebuildProblem = `the rebuild failed:\n${e.diagnostics.map((d: Diagnostic) => `    ${formatDiagnostic(d, work)}`).join('\n')}`;
      return;
    }
    const rebuiltPath = (format: string) => result.files.find((f) => f.format === format)?.path;
    report.rebuilt = [];
    for (const output of manifest.outputs) {
      let file = rebuiltPath(output.format);
      if (output.format === 'pdfa') {
        const pdf = rebuiltPath('pdf');
        if (!pdf || !(await ghostscriptVersion(env))) {
          report.rebuilt.push({ path: output.path, format: output.format, status: 'not-checked', note: 'Ghostscript (gs) is not installed' });
          continue;
        }
        file = path.join(outDir, output.path);
        await makePdfA(pdf, file, result.book.metadata.modified, pdfaInfo(result.book.metadata));
      }
      if (!file) {
        report.rebuilt.push({ path: output.path, format: output.format, status: 'differs', note: 'not produced by the rebuild' });
        continue;
      }
      const { sha256, bytes } = hashFile(file);
      report.rebuilt.push(
        sha256 === output.sha256
          ? { path: output.path, format: output.format, status: 'same' }
          : {
              path: output.path,
              format: output.format,
              status: 'differs',
              note: `rebuilt ${bytes} bytes sha256 ${sha256.slice(0, 12)}…, archived ${output.bytes} bytes ${output.sha256.slice(0, 12)}…`,
            },
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const PROBLEM_WORDS: Record<FileProblem['problem'], string> = {
  missing: 'missing from the archive',
  changed: 'changed since the freeze (hash or size differs from manifest.json)',
  unexpected: 'not listed in manifest.json (added after the freeze)',
};

/** The report as text: one line per file that is not as recorded, then the likely reasons. */
export function formatVerifyReport(report: VerifyReport): string {
  const lines: string[] = [];
  for (const p of report.archive) lines.push(`  ${p.path}: ${PROBLEM_WORDS[p.problem]}`);
  for (const r of report.rebuilt ?? []) {
    if (r.status === 'same') lines.push(`  ${r.path}: rebuilt, identical`);
    else if (r.status === 'differs') lines.push(`  ${r.path}: REBUILT DIFFERENTLY: ${r.note ?? ''}`);
    else lines.push(`  ${r.path}: not checked: ${r.note ?? ''}`);
  }
  if (report.rebuildProblem) lines.push(`  ${report.rebuildProblem}`);
  if (report.toolChanges.length > 0) {
    lines.push(
      report.ok ? '  tools changed since the freeze (the outputs still match):' : '  tools changed since the freeze, which may explain the differences:',
      ...report.toolChanges.map((t) => `    ${t}`),
    );
  } else if (!report.ok && report.rebuilt?.some((r) => r.status === 'differs')) {
    lines.push('  every recorded tool version is the same: the difference is a reproducibility bug; please report it');
  }
  return `${lines.join('\n')}\n`;
}
