/** What depends on the book's language: quotation marks for smart punctuation, and hyphenation patterns. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

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

function candidates(language: string): string[] {
  const lower = language.toLowerCase();
  const primary = lower.split('-')[0] as string;
  return lower === primary ? [lower] : [lower, primary];
}

export function quotesFor(language: string): Quotes {
  for (const c of candidates(language)) {
    const found = QUOTES[c];
    if (found) return found;
  }
  return QUOTES.en as Quotes;
}

/** French books get narrow no-break spaces (spacing.ts), unless book.yaml says `french-spacing: false`. */
export const isFrench = (language: string) => language.split('-')[0]?.toLowerCase() === 'fr';

export type Hyphenate = (text: string) => string;

const hyphenDir = path.dirname(require.resolve('hyphen/package.json'));
const hyphenatorCache = new Map<string, Hyphenate | undefined>();

/**
 * Liang/TeX patterns from the `hyphen` package. Chromium's `hyphens: auto` has no dictionaries on
 * Linux builds, so soft hyphens in the text are the only way to get hyphenated, justified print.
 * `en` maps to US patterns, as TeX does.
 */
export function hyphenatorFor(language: string): Hyphenate | undefined {
  const key = language.toLowerCase();
  if (hyphenatorCache.has(key)) return hyphenatorCache.get(key);
  let found: Hyphenate | undefined;
  for (const c of candidates(language)) {
    if (fs.existsSync(path.join(hyphenDir, c, 'index.js'))) {
      const mod = require(`hyphen/${c}`) as { hyphenateSync: (text: string, options?: object) => string };
      found = (text) => mod.hyphenateSync(text, { minWordLength: 6 });
      break;
    }
  }
  hyphenatorCache.set(key, found);
  return found;
}
