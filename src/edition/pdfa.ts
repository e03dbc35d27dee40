/**
 * An archival copy of the print PDF as PDF/A-2b, made by Ghostscript's pdfwrite, run reproducibly
 * (fixed dates, content-derived /ID) by ghostscript/ghostscript.ts, which the press file shares.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ColophonError, error } from '../diagnostics.ts';
import { asciiFold, fixPdfId, ghostscriptProfile, INSTALL_GHOSTSCRIPT, psString, runGhostscript } from '../ghostscript/ghostscript.ts';
import type { BookMetadata } from '../model/book.ts';

/** Debian's ghostscript package puts its sRGB profile here; PDF/A needs one as the output intent. */

export const NO_GHOSTSCRIPT_HINT = `${INSTALL_GHOSTSCRIPT}, or freeze without --pdfa.`;

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

/**
 * PDFA_def.ps as shipped with Ghostscript, with the book's document info instead of its placeholder
 * /Title, pointing at an sRGB profile by absolute path.
 */
function pdfaDefinition(icc: string, info: PdfAInfo): string {
  const entries = Object.entries({ Title: info.title, Author: info.author, Subject: info.subject, Keywords: info.keywords })
    .filter((e): e is [string, string] => e[1] !== undefined && asciiFold(e[1]) !== '')
    .map(([k, v]) => `/${k} ${psString(asciiFold(v))}`);
  return `%!
[ ${entries.join(' ')} /DOCINFO pdfmark
/ICCProfile ${psString(icc)} def
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

export async function makePdfA(pdf: string, out: string, instant: Date, info: PdfAInfo): Promise<void> {
  const icc = ghostscriptProfile('srgb.icc');
  if (!icc) {
    throw new ColophonError(
      error(
        'pdfa/no-icc',
        'no sRGB colour profile found for PDF/A',
        undefined,
        `Ghostscript normally installs srgb.icc with its colour profiles. ${NO_GHOSTSCRIPT_HINT}`,
      ),
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pdfa-'));
  try {
    const def = path.join(work, 'PDFA_def.ps');
    fs.writeFileSync(def, pdfaDefinition(icc, info));
    const raw = path.join(work, 'out.pdf');
    await runGhostscript(
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
      { instant, codePrefix: 'pdfa', product: 'the PDF/A', hint: 'Or freeze without --pdfa.', input: pdf, timeoutMs: 120_000 },
    );
    fs.writeFileSync(out, fixPdfId(fs.readFileSync(raw)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
