/**
 * Smart punctuation for metadata strings (title, names, description), as pandoc's `smart` extension
 * does: the title page and the store listing should not show "The Compositor's" with a straight
 * apostrophe while the text has curly ones. Same library, options and language rules as the Markdown
 * pipeline (CJK quotes paired in order, French and unit spacing).
 */
import { pairsQuotes, quotePairer } from './cjk-quotes.ts';
import { isFrench, quotesFor } from './language.ts';
import { smartypants } from './remark-smart-punctuation.ts';
import { bindUnits, frenchSpaces } from './spacing.ts';

const processors = new Map<string, (text: string) => string>();

export function smartenText(text: string, language: string, options: { frenchSpacing?: boolean } = {}): string {
  let smarten = processors.get(language);
  if (!smarten) {
    smarten = smartypants({ dashes: 'oldschool', ...quotesFor(language), quotes: !pairsQuotes(language) });
    processors.set(language, smarten);
  }
  let out = smarten(text);
  if (pairsQuotes(language)) out = quotePairer(quotesFor(language))(out, '', '');
  const french = (options.frenchSpacing ?? true) && isFrench(language);
  return bindUnits(french ? frenchSpaces(out) : out, french);
}
