/**
 * The press file (`<slug>.press.pdf`): the interior PDF as PDF/X-1a:2001 or PDF/X-4 for a printer, in
 * the colour model of `print.color` (`rgb` books go to a CMYK press, as printers print ink). It reads
 * the interior PDF, which the build renders first because this format `needs` it (see
 * OutputContext.input), and needs Ghostscript (see press/pdfx.ts).
 */
import { PDFDocument } from 'pdf-lib';
import { type Diagnostic, warning } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import type { OutputContext, OutputFormat } from './output.ts';
import { flattenImageMasks, transparentPages } from './press/flatten.ts';
import { neutralColorsToGray } from './press/neutral-gray.ts';
import { convertToPdfX, type PdfXFlavour, type PressColor } from './press/pdfx.ts';
import { padToSignature } from './press/signature.ts';

export function pressColor(book: Book): PressColor {
  return book.metadata.print.color === 'gray' ? 'gray' : 'cmyk';
}

export function pressFlavour(book: Book): PdfXFlavour {
  return book.metadata.print.pdfx ?? 'x-1a';
}

/** The interior PDF, which the build rendered first because the press file and the cover need it. */
export function interiorPdf(context: OutputContext): Uint8Array {
  const pdf = context.input?.('pdf');
  if (!pdf) throw new Error('unreachable: the build renders the pdf format before the formats that need it');
  return pdf;
}

/**
 * Prepares a print PDF for the press: for CMYK, neutral RGB becomes DeviceGray so black stays on the
 * black plate; for X-1a, which allows no transparency, images with a soft mask are put on white and
 * any other transparency left is reported, because Ghostscript then rasterises those pages.
 */
export async function prepareForPdfX(
  pdf: Uint8Array,
  flavour: PdfXFlavour,
  color: PressColor,
  what: string,
): Promise<{ bytes: Uint8Array; warnings: Diagnostic[] }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const grays = color === 'cmyk' ? neutralColorsToGray(doc) : 0;
  const flattened = flavour === 'x-1a' ? flattenImageMasks(doc).flattened : 0;
  const pages = flavour === 'x-1a' ? transparentPages(doc) : [];
  const warnings =
    pages.length === 0
      ? []
      : [
          warning(
            'press/transparency',
            `${what} page(s) ${pages.join(', ')} use transparency, which PDF/X-1a forbids, so Ghostscript turned each of them into one 600 dpi image (its text is no longer text)`,
            undefined,
            'Set `print.pdfx: x-4` (most printers accept it), or remove the opacity from the book CSS or images.',
          ),
        ];
  if (flattened === 0 && grays === 0) return { bytes: pdf, warnings };
  return { bytes: await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }), warnings };
}

/** The interior with blank pages at the end up to a whole number of signatures (see press/signature.ts). */
export async function paddedInterior(pdf: Uint8Array, signature: number): Promise<{ bytes: Uint8Array; added: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const added = padToSignature(doc, signature);
  if (added === 0) return { bytes: pdf, added };
  return { bytes: await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }), added };
}

/** The press file from a rendered interior PDF (the build's, or the one `check` made). */
export async function renderPressFrom(
  book: Book,
  interior: Uint8Array,
  warn: (d: Diagnostic) => void,
  log: (message: string) => void = () => {},
): Promise<Uint8Array> {
  const flavour = pressFlavour(book);
  const padded = await paddedInterior(interior, book.metadata.print.signature);
  if (padded.added > 0) log(`${padded.added} blank page(s) added at the end`);
  const prepared = await prepareForPdfX(padded.bytes, flavour, pressColor(book), 'interior');
  for (const w of prepared.warnings) warn(w);
  log(`Ghostscript: ${flavour === 'x-1a' ? 'PDF/X-1a:2001' : 'PDF/X-4'}, ${pressColor(book)}`);
  return convertToPdfX(book, prepared.bytes, flavour, pressColor(book), 'the press file');
}

export async function renderPress(book: Book, context: OutputContext): Promise<Uint8Array> {
  return renderPressFrom(book, interiorPdf(context), context.warn, context.log);
}

export const press: OutputFormat = {
  name: 'press',
  extension: 'press.pdf',
  needs: ['pdf'],
  render: renderPress,
};
