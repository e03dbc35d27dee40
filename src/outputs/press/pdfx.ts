/**
 * PDF/X through Ghostscript's pdfwrite: every colour converted to the press's colour model (gray or
 * CMYK) through an output profile (the shipped gray one, or the installed Ghostscript's CMYK one),
 * which is also embedded as the output intent; fonts embedded;
 * TrimBox/BleedBox kept; dates and /ID fixed (ghostscript/ghostscript.ts). Vivliostyle's press-ready
 * wraps the same pdfwrite call, but it ships only a Japan Color profile (also for gray books), writes
 * random temp names and titles, returns Ghostscript's errors instead of failing, and knows no X-4, so
 * Ghostscript is called directly, as the PDF/A copy of an edition already does.
 *
 * X-1a (PDF 1.3) is Ghostscript's -dPDFX mode with the version keys of PDF/X-1a:2001. X-4 (PDF 1.6,
 * transparency and live colour allowed) is not a mode of Ghostscript 10.0: the same conversion at
 * compatibility 1.6 with the output intent, then the X-4 identification (Info keys and the XMP
 * `pdfxid:GTS_PDFXVersion` the standard requires) written with pdf-lib.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { ColophonError, error } from '../../diagnostics.ts';
import { fixPdfId, ghostscriptProfile, INSTALL_GHOSTSCRIPT, psString, runGhostscript } from '../../ghostscript/ghostscript.ts';
import type { Book } from '../../model/book.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { xmpPacket } from '../pdf/finish.ts';

export const ICC_DIR = `${path.join(PACKAGE_ROOT, 'icc')}${path.sep}`;

export type PressColor = 'gray' | 'cmyk';
export type PdfXFlavour = 'x-1a' | 'x-4';

export interface OutputIntent {
  /** The profile file: shipped in icc/, or one of the installed Ghostscript's own. */
  profile: { shipped: string } | { ghostscript: string };
  components: 1 | 4;
  condition: string;
  info: string;
}

export const OUTPUT_INTENTS: Record<PressColor, OutputIntent> = {
  gray: {
    profile: { shipped: 'colophon-gray-dotgain15.icc' },
    components: 1,
    condition: 'Black ink or toner on uncoated book paper, 15 % dot gain at 50 %',
    info: 'Colophon Gray - Dot Gain 15%',
  },
  cmyk: {
    // Ghostscript's "CMYK SWOP Profile" is AGPL data: taken from the user's Ghostscript (which the
    // press file needs anyway), as gs itself would use it, rather than redistributed with Colophon.
    profile: { ghostscript: 'default_cmyk.icc' },
    components: 4,
    condition: 'Offset or digital CMYK on coated paper (SWOP-like characterisation)',
    info: 'Artifex CMYK SWOP Profile',
  },
};

export const PDFX_VERSION: Record<PdfXFlavour, { version: string; conformance?: string }> = {
  'x-1a': { version: 'PDF/X-1:2001', conformance: 'PDF/X-1a:2001' },
  'x-4': { version: 'PDF/X-4' },
};

/** A PostScript string that keeps any character: UTF-16BE with a byte-order mark, in hex. */
function psText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return psString(text);
  // JavaScript strings are UTF-16 already: their code units are the bytes, surrogates included.
  const hex = [0xfeff, ...Array.from({ length: text.length }, (_, i) => text.charCodeAt(i))];
  return `<${hex.map((u) => u.toString(16).padStart(4, '0')).join('')}>`;
}

/** The pdfmark prologue, modelled on Ghostscript's lib/PDFX_def.ps. */
export function pdfxDefinition(book: Book, flavour: PdfXFlavour, intent: OutputIntent, iccPath: string): string {
  const m = book.metadata;
  const x = PDFX_VERSION[flavour];
  const info = [
    `/GTS_PDFXVersion ${psString(x.version)}`,
    ...(x.conformance ? [`/GTS_PDFXConformance ${psString(x.conformance)}`] : []),
    `/Title ${psText(m.subtitle ? `${m.title}: ${m.subtitle}` : m.title)}`,
    '/Trapped /False',
  ];
  return `%!
[ ${info.join('\n  ')}
  /DOCINFO pdfmark
/ICCProfile ${psString(iccPath)} def
[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N ${intent.components} >> /PUT pdfmark
[{icc_PDFX} ICCProfile (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent
  /S /GTS_PDFX
  /OutputCondition ${psString(intent.condition)}
  /OutputConditionIdentifier (Custom)
  /RegistryName (http://www.color.org)
  /Info ${psString(intent.info)}
  /DestOutputProfile {icc_PDFX}
>> /PUT pdfmark
[{Catalog} <</OutputIntents [ {OutputIntent_PDFX} ]>> /PUT pdfmark
`;
}

export function ghostscriptArgs(flavour: PdfXFlavour, color: PressColor, iccPath: string, def: string, input: string, output: string): string[] {
  const model =
    color === 'gray'
      ? ['-sColorConversionStrategy=Gray', '-sProcessColorModel=DeviceGray']
      : ['-sColorConversionStrategy=CMYK', '-sProcessColorModel=DeviceCMYK'];
  return [
    '-q',
    '-dBATCH',
    '-dNOPAUSE',
    '-dNOOUTERSAVE',
    '-sDEVICE=pdfwrite',
    ...model,
    `-sOutputICCProfile=${iccPath}`,
    // Neutral gray stays on the black plate alone (K only), not a four-colour mix.
    '-dDeviceGrayToK=true',
    // Prepress: no downsampling, every font embedded. Before the version, which it would reset.
    '-dPDFSETTINGS=/prepress',
    ...(flavour === 'x-1a' ? ['-dPDFX'] : ['-dCompatibilityLevel=1.6']),
    '-dEmbedAllFonts=true',
    // Links do not print, and PDF/X forbids annotations on the page.
    '-dShowAnnots=false',
    // Pages with transparency in X-1a are flattened at 600 dpi (Ghostscript's default is 720).
    '-r600',
    `--permit-file-read=${path.dirname(iccPath)}/`,
    `-sOutputFile=${output}`,
    def,
    input,
  ];
}

function profilePath(intent: OutputIntent, product: string): string {
  if ('shipped' in intent.profile) return path.join(ICC_DIR, intent.profile.shipped);
  const found = ghostscriptProfile(intent.profile.ghostscript);
  if (found) return found;
  throw new ColophonError(
    error(
      'press/no-profile',
      `no CMYK output profile for ${product}: the installed Ghostscript has no ${intent.profile.ghostscript}`,
      undefined,
      `${INSTALL_GHOSTSCRIPT} with its colour profiles (Debian: libgs-common), or set \`print.color: gray\`.`,
    ),
  );
}

/** Converts a finished print PDF (interior or cover) into the press file. */
export async function convertToPdfX(book: Book, pdf: Uint8Array, flavour: PdfXFlavour, color: PressColor, product: string): Promise<Uint8Array> {
  const intent = OUTPUT_INTENTS[color];
  const icc = profilePath(intent, product);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-press-'));
  try {
    const input = path.join(work, 'in.pdf');
    const output = path.join(work, 'out.pdf');
    const def = path.join(work, 'PDFX_def.ps');
    fs.writeFileSync(input, pdf);
    fs.writeFileSync(def, pdfxDefinition(book, flavour, intent, icc));
    await runGhostscript(ghostscriptArgs(flavour, color, icc, def, input, output), {
      instant: book.metadata.modified,
      codePrefix: 'press',
      product,
      hint: 'The normal PDF (`-t pdf`) does not need it.',
      input: product,
    });
    const bytes = new Uint8Array(fs.readFileSync(output));
    return flavour === 'x-4' ? await identifyX4(book, bytes) : fixPdfId(bytes);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** PDF/X-4 wants its version in the XMP metadata as well as in the document info. */
async function identifyX4(book: Book, bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const infoRef = doc.context.trailerInfo.Info;
  const info = infoRef ? doc.context.lookup(infoRef) : undefined;
  if (info && 'set' in info) (info as { set: (k: PDFName, v: PDFString) => void }).set(PDFName.of('GTS_PDFXVersion'), PDFString.of('PDF/X-4'));
  const xmp = xmpPacket(book).replace(
    '</rdf:Description>',
    '</rdf:Description>\n<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"><pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion></rdf:Description>',
  );
  const stream = doc.context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
  const saved = Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
  // pdf-lib always heads its files %PDF-1.7; X-4 is PDF 1.6 and nothing here is newer. Same length, so offsets hold.
  saved.write('%PDF-1.6', 0, 'latin1');
  return fixPdfId(saved);
}
