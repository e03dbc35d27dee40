/**
 * Smart punctuation for metadata strings (title, names, description), as pandoc's `smart` extension
 * does: the title page and the store listing should not show "The Compositor's" with a straight
 * apostrophe while the text has curly ones. Same library, options and language rules as the Markdown
 * pipeline (CJK quotes paired in order, French and unit spacing).
 */
import { retext } from 'retext';
import retextSmartypants from 'retext-smartypants';
import { pairsQuotes, quotePairer } from './cjk-quotes.ts';
import { isFrench, quotesFor } from './language.ts';
import { bindUnits, frenchSpaces } from './spacing.ts';

const processors = new Map<string, ReturnType<typeof make>>();

function make(language: string) {
  return retext()
    .use(retextSmartypants, { dashes: 'oldschool', ...quotesFor(language), quotes: !pairsQuotes(language) })
    .freeze();
}

export function smartenText(text: string, language: string, options: { frenchSpacing?: boolean } = {}): string {
  let processor = processors.get(language);
  if (!processor) {
    processor = make(language);
    processors.set(language, processor);
  }
  let out = String(processor.processSync(text));
  if (pairsQuotes(language)) out = quotePairer(quotesFor(language))(out, '', '');
  const french = (options.frenchSpacing ?? true) && isFrench(language);
  return bindUnits(french ? frenchSpaces(out) : out, french);
}
