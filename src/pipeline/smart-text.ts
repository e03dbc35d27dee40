/**
 * Smart punctuation for metadata strings (title, names, description), as pandoc's `smart` extension
 * does: the title page and the store listing should not show "The Compositor's" with a straight
 * apostrophe while the text has curly ones. Same library and options as the Markdown pipeline.
 */
import { retext } from 'retext';
import retextSmartypants from 'retext-smartypants';
import { quotesFor } from './language.ts';

const processors = new Map<string, ReturnType<typeof make>>();

function make(language: string) {
  return retext()
    .use(retextSmartypants, { dashes: 'oldschool', ...quotesFor(language) })
    .freeze();
}

export function smartenText(text: string, language: string): string {
  let processor = processors.get(language);
  if (!processor) {
    processor = make(language);
    processors.set(language, processor);
  }
  return String(processor.processSync(text));
}
