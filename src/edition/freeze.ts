/**
 * `colophon edition freeze`: build every format from a copy of the manuscript and archive the copy,
 * the outputs and a manifest as editions/<version>/. The copy is made first and built from, so what is
 * archived is by construction what was built. Everything is written into a temporary folder next to
 * the destination (same file system) and renamed into place in one step: an interrupted freeze leaves
 * a complete edition or none. An existing edition is never replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildBook } from '../book-pass/build-book.ts';
import { build } from '../build.ts';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import { loadManuscript } from '../manuscript/load.ts';
import { isInside } from '../manuscript/paths.ts';
import {
  checkVersion,
  editionsRoot,
  hashFile,
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  type Manifest,
  SOURCE_DIR,
  serialiseManifest,
  sha256,
  toPosix,
} from './manifest.ts';
import { makePdfA, pdfaInfo } from './pdfa.ts';
import { copySources, setEditionInConfigFile, sourceFiles } from './source.ts';
import { toolVersions } from './tool-versions.ts';

export interface FreezeOptions {
  /** Manuscript folder or single .md file. */
  input: string;
  version: string;
  /** edition.date to record; default: book.yaml's edition.date, else its date. */
  date?: string;
  pdfa?: boolean;
  onStage?: (stage: string, ms: number, detail?: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface FreezeResult {
  dir: string;
  manifest: Manifest;
  manifestSha256: string;
  warnings: Diagnostic[];
}

/**
 * The environment builds of an edition run in: SOURCE_DATE_EPOCH would override the edition date in
 * the outputs but is not archived, so a rebuild from the archive alone could not reproduce them.
 */
export function editionEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { SOURCE_DATE_EPOCH: _ignored, ...rest } = env;
  return rest;
}

export function editionExists(dir: string, version: string): ColophonError {
  return new ColophonError(
    error(
      'edition/exists',
      `edition ${version} already exists at ${dir}; editions are never overwritten`,
      { file: dir },
      'Freeze under a new version (e.g. 1.0.1), or check it with `colophon edition verify`.',
    ),
  );
}

export async function freezeEdition(options: FreezeOptions): Promise<FreezeResult> {
  checkVersion(options.version);
  const env = editionEnv(options.env);
  const root = editionsRoot(options.input);
  const dest = path.join(root, options.version);
  // Refuse before the slow part; checked again right before the rename.
  if (fs.existsSync(dest)) throw editionExists(dest, options.version);

  if (options.date !== undefined) checkDate(options.date);
  const manuscript = loadManuscript(options.input);
  if (!/\.ya?ml$/i.test(manuscript.configFile) && !manuscript.singleFile) {
    // The edition's version is written into the archived metadata, which must be Colophon's YAML.
    throw new ColophonError(
      error(
        'edition/no-book-yaml',
        `freezing an edition writes its version into book.yaml, and this ${manuscript.dialect ?? 'manuscript'} project has none`,
        { file: manuscript.configFile },
        'Add a book.yaml beside book.toml (its keys win over book.toml), e.g. with `edition: {date: 2025-01-15}`.',
      ),
      2,
    );
  }
  if (manuscript.dialect === 'pandoc') {
    throw new ColophonError(
      error(
        'edition/pandoc',
        'fixed editions of Pandoc projects are not supported yet: their metadata file holds Pandoc keys',
        { file: manuscript.configFile },
        'Build the outputs with `colophon build`; to freeze editions, move the metadata into a book.yaml.',
      ),
      2,
    );
  }
  const date = options.date ?? manuscript.config.edition?.date ?? manuscript.config.date;
  if (date === undefined) {
    throw new ColophonError(
      error(
        'edition/no-date',
        `edition ${options.version} has no date`,
        { file: manuscript.configFile },
        'Give book.yaml `edition: {date: 2025-01-15}` or `date:`, or pass --date; every date in the outputs comes from it.',
      ),
      2,
    );
  }
  const model = await buildBook(manuscript, { env });
  const files = sourceFiles(manuscript, model);

  fs.mkdirSync(root, { recursive: true });
  // A dot-name next to the destination: same file system for the rename, and never listed as an edition.
  const staging = path.join(root, `.${options.version}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.mkdirSync(staging);
  // Ctrl-C must not leave a half-written folder behind: remove it, then stop as the signal would.
  const onSignal = (signal: NodeJS.Signals) => {
    fs.rmSync(staging, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const sourceDir = path.join(staging, SOURCE_DIR);
    copySources(manuscript.root, files, sourceDir);
    const configRel = toPosix(path.relative(manuscript.root, manuscript.configFile));
    const archivedConfig = path.join(sourceDir, ...configRel.split('/'));
    setEditionInConfigFile(archivedConfig, manuscript.singleFile, options.version, date);

    const input = manuscript.singleFile ? archivedConfig : sourceDir;
    // The formats a plain build makes (the press file too when book.yaml sets print.pdfx), all of them:
    // an edition archives what was delivered, so a missing Ghostscript fails the freeze.
    const result = await build({ input, outDir: staging, requireAll: true, env, ...(options.onStage ? { onStage: options.onStage } : {}) });
    const outputs = result.files.map((f) => ({ format: f.format, path: path.basename(f.path), ...hashFile(f.path) }));

    if (options.pdfa) {
      const pdf = result.files.find((f) => f.format === 'pdf');
      if (!pdf) throw new Error('unreachable: freeze builds every format');
      const start = performance.now();
      const name = path.basename(pdf.path).replace(/\.pdf$/, '.pdfa.pdf');
      await makePdfA(pdf.path, path.join(staging, name), result.book.metadata.modified, pdfaInfo(result.book.metadata));
      options.onStage?.('pdfa', performance.now() - start, 'PDF/A-2b (Ghostscript)');
      outputs.push({ format: 'pdfa', path: name, ...hashFile(path.join(staging, name)) });
    }

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: options.version,
      date,
      title: result.book.metadata.title,
      manuscript: `${SOURCE_DIR}/${configRel}`,
      outputs,
      sources: files.map((f) => ({ path: `${SOURCE_DIR}/${f.rel}`, role: f.role, ...hashFile(path.join(sourceDir, ...f.rel.split('/'))) })),
      tools: await toolVersions({ ghostscript: options.pdfa === true, env }),
    };
    const manifestText = serialiseManifest(manifest);
    fs.writeFileSync(path.join(staging, MANIFEST_NAME), manifestText);
    readOnly(staging);

    if (fs.existsSync(dest)) throw editionExists(dest, options.version);
    try {
      // rename(2) cannot replace a non-empty folder, so even a racing freeze cannot clobber an edition.
      fs.renameSync(staging, dest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw editionExists(dest, options.version);
      throw e;
    }
    // The manifest as written (sorted), not as assembled.
    return {
      dir: dest,
      manifest: JSON.parse(manifestText) as Manifest,
      manifestSha256: sha256(Buffer.from(manifestText)),
      warnings: authorWarnings(model.diagnostics, result.warnings.slice(result.book.diagnostics.length), sourceDir, manuscript.root),
    };
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Warnings as the author should see them: the model's from the manuscript itself (the staged copy's
 * lines can be shifted by the edition added to its front matter), then the output stages' with the
 * temporary folder's paths mapped back to the manuscript.
 */
function authorWarnings(model: Diagnostic[], stages: Diagnostic[], sourceDir: string, root: string): Diagnostic[] {
  const remap = (d: Diagnostic): Diagnostic =>
    d.location && isInside(sourceDir, d.location.file)
      ? { ...d, location: { ...d.location, file: path.join(root, path.relative(sourceDir, d.location.file)) } }
      : d;
  return [...model, ...stages.map(remap)];
}

function checkDate(date: string): void {
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(date) || Number.isNaN(Date.parse(date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date))) {
    throw new ColophonError(error('edition/bad-date', `--date ${date} is not an ISO 8601 date`, undefined, 'Write it as 2025-01-15 (or 2025-01, 2025).'), 2);
  }
}

/** Archived files are made read-only: an editor or a careless `cp` gets an error instead of changing history. */
function readOnly(dir: string): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (entry.isFile()) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o444);
  }
}
