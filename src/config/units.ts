/** Print lengths in book.yaml (`6in`, `148mm`, `0.125in`, `12pt`) converted to PostScript points. */

const PER_UNIT: Record<string, number> = { in: 72, mm: 72 / 25.4, cm: 72 / 2.54, pt: 1, px: 0.75 };

export function parseLength(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt|px)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2] as keyof typeof PER_UNIT;
  return value * (PER_UNIT[unit] as number);
}

export interface PageSize {
  /** Name as written by the author, for messages and metadata. */
  name: string;
  widthPt: number;
  heightPt: number;
}

/** Common trims of print-on-demand services (KDP, IngramSpark, Lulu) and ISO/US paper. */
export const NAMED_TRIMS: Record<string, [string, string]> = {
  '5x8in': ['5in', '8in'],
  '5.25x8in': ['5.25in', '8in'],
  '5.5x8.5in': ['5.5in', '8.5in'],
  '6x9in': ['6in', '9in'],
  '7x10in': ['7in', '10in'],
  '8.5x11in': ['8.5in', '11in'],
  a5: ['148mm', '210mm'],
  a4: ['210mm', '297mm'],
  b5: ['176mm', '250mm'],
  letter: ['8.5in', '11in'],
};

export function parseTrim(text: string): PageSize | undefined {
  const named = NAMED_TRIMS[text.trim().toLowerCase()];
  const parts = named ?? text.trim().split(/\s+|\s*x\s*(?=\d)/);
  if (parts.length !== 2) return undefined;
  const w = parseLength(parts[0] as string);
  const h = parseLength(parts[1] as string);
  if (w === undefined || h === undefined || w <= 0 || h <= 0) return undefined;
  return { name: text.trim(), widthPt: w, heightPt: h };
}
