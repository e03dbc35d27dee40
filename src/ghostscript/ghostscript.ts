/**
 * Running Ghostscript (`gs`) reproducibly, shared by the PDF/A copy of a fixed edition and the PDF/X
 * press file. Ghostscript stamps the clock into Info and XMP dates unless SOURCE_DATE_EPOCH is set
 * (honoured since 9.5x) and writes a random /ID; runGhostscript sets the epoch to the book's instant
 * and fixPdfId replaces the /ID with one derived from the content, so its output is as reproducible
 * as the PDF it reads (for the same Ghostscript version).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ColophonError, error } from '../diagnostics.ts';

export const INSTALL_GHOSTSCRIPT = 'Install Ghostscript (Debian/Ubuntu: `apt-get install ghostscript`; macOS: `brew install ghostscript`)';

export interface GhostscriptRun {
  /** Stamped as the output's dates through SOURCE_DATE_EPOCH. */
  instant: Date;
  /** Diagnostic codes are `<prefix>/no-ghostscript` and `<prefix>/failed`. */
  codePrefix: string;
  /** What the run makes, for messages: "the PDF/A", "the press file". */
  product: string;
  /** Said after the install advice when gs is missing. */
  hint: string;
  /** The file the run reads, named in a failure. */
  input: string;
  timeoutMs?: number;
}

/** Runs gs with the given arguments; a missing gs or a failed run is a typed error saying what to do. */
export async function runGhostscript(args: string[], run: GhostscriptRun): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)('gs', args, {
      timeout: run.timeoutMs ?? 300_000,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(run.instant.getTime() / 1000)) },
      maxBuffer: 16 << 20,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new ColophonError(
        error(
          `${run.codePrefix}/no-ghostscript`,
          `Ghostscript (gs) is not installed, so ${run.product} cannot be made`,
          undefined,
          `${INSTALL_GHOSTSCRIPT}. ${run.hint}`,
        ),
      );
    }
    const detail = (err.stderr || err.message).trim().split('\n').slice(0, 3).join(' ');
    throw new ColophonError(error(`${run.codePrefix}/failed`, `Ghostscript failed to make ${run.product}: ${detail}`, { file: run.input }));
  }
}

/** True when a `gs` can be run here (the press format and `check` ask before relying on it). */
export async function ghostscriptVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('gs', ['--version'], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** A PostScript string literal. */
export const psString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * Ghostscript 10.0 drops the whole document info in PDF/A mode when any entry has a character
 * outside ASCII ("cannot be represented in XMP"), so document info given to it is folded to ASCII:
 * accents dropped, typographic quotes and dashes made plain.
 */
export function asciiFold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\u00a9/g, '(c)')
    .replace(/[^\x20-\x7e]/g, '');
}

/** Replaces the trailer /ID pair by a hash of the file with the IDs blanked; same length, so offsets hold. */
export function fixPdfId(pdf: Uint8Array): Uint8Array {
  const out = Buffer.from(pdf);
  const text = out.toString('latin1');
  const matches = [...text.matchAll(/\/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]/g)];
  if (matches.length === 0) return pdf;
  const spans: [number, number][] = [];
  for (const m of matches) {
    const start = m.index as number;
    const first = text.indexOf(`<${m[1]}>`, start) + 1;
    const second = text.indexOf(`<${m[2]}>`, first + (m[1] as string).length) + 1;
    spans.push([first, (m[1] as string).length], [second, (m[2] as string).length]);
  }
  for (const [at, len] of spans) out.fill('0', at, at + len, 'latin1');
  const digest = createHash('sha256').update(out).digest('hex').toUpperCase();
  for (const [at, len] of spans) out.write(digest.repeat(Math.ceil(len / 64)).slice(0, len), at, 'latin1');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Where Ghostscript installs its colour profiles (Debian's package, then Ghostscript's own default prefixes). */
const PROFILE_DIRS = ['/usr/share/color/icc/ghostscript', '/usr/share/ghostscript/iccprofiles', '/usr/local/share/ghostscript/iccprofiles'];

/**
 * A colour profile of the installed Ghostscript (`srgb.icc`, `default_cmyk.icc`), or undefined. These
 * are Ghostscript's (AGPL) data: Colophon uses the copy that comes with the user's Ghostscript, as gs
 * itself would, instead of shipping it.
 */
export function ghostscriptProfile(name: string): string | undefined {
  return PROFILE_DIRS.map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file));
}
