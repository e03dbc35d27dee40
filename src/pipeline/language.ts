/** Quotation marks by the book's language, for smart punctuation (hyphenation is in hyphenation/). */
import { languageCandidates } from '../hyphenation/patterns.ts';

export interface Quotes {
  openingQuotes: { double: string; single: string };
  closingQuotes: { double: string; single: string };
}

const q = (od: string, cd: string, os: string, cs: string): Quotes => ({
  openingQuotes: { double: od, single: os },
  closingQuotes: { double: cd, single: cs },
});

// Typographic conventions per language (CLDR quotation delimiters).
const QUOTES: Record<string, Quotes> = {
  en: q('“', '”', '‘', '’'),
  de: q('„', '“', '‚', '‘'),
  'de-ch': q('«', '»', '‹', '›'),
  'de-li': q('«', '»', '‹', '›'),
  // French sets a narrow no-break space inside guillemets, but retext-smartypants mangles
  // multi-character quotes (it drops the next letter), so the marks go in alone.
  fr: q('«', '»', '‹', '›'),
  ru: q('«', '»', '„', '“'),
  uk: q('«', '»', '„', '“'),
  pl: q('„', '”', '«', '»'),
  cs: q('„', '“', '‚', '‘'),
  it: q('«', '»', '“', '”'),
  es: q('«', '»', '“', '”'),
  pt: q('«', '»', '“', '”'),
  'pt-br': q('“', '”', '‘', '’'),
  nl: q('“', '”', '‘', '’'),
  sv: q('”', '”', '’', '’'),
  fi: q('”', '”', '’', '’'),
  da: q('»', '«', '›', '‹'),
  nb: q('«', '»', '‘', '’'),
  no: q('«', '»', '‘', '’'),
  el: q('«', '»', '“', '”'),
  ja: q('「', '」', '『', '』'),
  zh: q('“', '”', '‘', '’'),
};

export function quotesFor(language: string): Quotes {
  for (const c of languageCandidates(language)) {
    const found = QUOTES[c];
    if (found) return found;
  }
  return QUOTES.en as Quotes;
}

/** French books get narrow no-break spaces (spacing.ts), unless book.yaml says `french-spacing: false`. */
export const isFrench = (language: string) => language.split('-')[0]?.toLowerCase() === 'fr';
