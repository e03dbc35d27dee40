/**
 * An archival copy of the print PDF as PDF/A-2b, made by Ghostscript's pdfwrite. Ghostscript stamps
 * the clock into Info and XMP dates unless SOURCE_DATE_EPOCH is set (honoured since 9.5x), and writes
 * a random /ID: we set the epoch to the edition's instant and replace the /ID with one derived from
 * the content, so the PDF/A is as reproducible as the PDF (for the same Ghostscript version).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ColophonError, error } from '../diagnostics.ts';
import type { BookMetadata } from '../model/book.ts';

/** Debian's ghostscript package puts its sRGB profile here; PDF/A needs one as the output intent. */
const ICC_CANDIDATES = [
  '/usr/share/color/icc/ghostscript/srgb.icc',
  '/usr/share/ghostscript/iccprofiles/srgb.icc',
  '/usr/local/share/ghostscript/iccprofiles/srgb.icc',
];

export const NO_GHOSTSCRIPT_HINT =
  'Install Ghostscript (Debian/Ubuntu: `apt-get install ghostscript`; macOS: `brew install ghostscript`), or freeze without --pdfa.';

export interface PdfAInfo {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string;
}

/** The document info the print PDF carries (see outputs/pdf/finish.ts), for the PDF/A copy. */
export function pdfaInfo(m: BookMetadata): PdfAInfo {
  const authors = m.creators.filter((c) => c.role === 'author').map((c) => c.name);
  return {
    title: m.subtitle ? `${m.title}: ${m.subtitle}` : m.title,
    ...(authors.length > 0 ? { author: authors.join(', ') } : {}),
    ...(m.description ? { subject: m.description } : {}),
    ...(m.subjects.length > 0 ? { keywords: m.subjects.join(', ') } : {}),
  };
}

const PS_STRING = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * Ghostscript 10.0 drops the whole document info in PDF/A mode when any entry has a character
 * outside ASCII ("cannot be represented in XMP"), so the book's is given again, folded to ASCII:
 * accents dropped, typographic quotes and dashes made plain. The print PDF keeps the exact text.
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

/**
 * PDFA_def.ps as shipped with Ghostscript, with the book's document info instead of its placeholder
 * /Title, pointing at an sRGB profile by absolute path.
 */
function pdfaDefinition(icc: string, info: PdfAInfo): string {
  const entries = Object.entries({ Title: info.title, Author: info.author, Subject: info.subject, Keywords: info.keywords })
    .filter((e): e is [string, string] => e[1] !== undefined && asciiFold(e[1]) !== '')
    .map(([k, v]) => `/${k} ${PS_STRING(asciiFold(v))}`);
  return `%!
[ ${entries.join(' ')} /DOCINFO pdfmark
/ICCProfile ${PS_STRING(icc)} def
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB)
>> /PUT pdfmark
[{Catalog} <</OutputIntents [ {OutputIntent_PDFA} ]>> /PUT pdfmark
`;
}

function findIcc(): string | undefined {
  return ICC_CANDIDATES.find((f) => fs.existsSync(f));
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

export async function makePdfA(pdf: string, out: string, instant: Date, info: PdfAInfo): Promise<void> {
  const icc = findIcc();
  if (!icc) {
    throw new ColophonError(
      error(
        'pdfa/no-icc',
        'no sRGB colour profile found for PDF/A',
        undefined,
        `Ghostscript normally ships one at ${ICC_CANDIDATES[0]}. ${NO_GHOSTSCRIPT_HINT}`,
      ),
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pdfa-'));
  try {
    const def = path.join(work, 'PDFA_def.ps');
    fs.writeFileSync(def, pdfaDefinition(icc, info));
    const raw = path.join(work, 'out.pdf');
    try {
      await promisify(execFile)(
        'gs',
        [
          '-q',
          '-dPDFA=2',
          '-dBATCH',
          '-dNOPAUSE',
          '-dNOOUTERSAVE',
          '-sColorConversionStrategy=RGB',
          // 1: drop what PDF/A forbids and carry on, instead of failing the whole conversion.
          '-dPDFACompatibilityPolicy=1',
          `--permit-file-read=${path.dirname(icc)}/`,
          '-sDEVICE=pdfwrite',
          `-sOutputFile=${raw}`,
          def,
          pdf,
        ],
        { timeout: 120_000, env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(instant.getTime() / 1000)) }, maxBuffer: 16 << 20 },
      );
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') {
        throw new ColophonError(error('pdfa/no-ghostscript', 'Ghostscript (gs) is not installed, so no PDF/A can be made', undefined, NO_GHOSTSCRIPT_HINT));
      }
      throw new ColophonError(
        error('pdfa/failed', `Ghostscript failed to make the PDF/A: ${(err.stderr || err.message).trim().split('\n').slice(0, 3).join(' ')}`, { file: pdf }),
      );
    }
    fs.writeFileSync(out, fixPdfId(fs.readFileSync(raw)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
