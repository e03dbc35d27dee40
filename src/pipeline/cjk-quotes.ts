/**
 * Straight quotes in Chinese, Japanese and Korean text. Smart-quote libraries (retext-smartypants
 * here) tell an opening quote from a closing one by the space before it, and CJK text has no spaces:
 * `他说"你好"` came out as 他说”你好”, and `it's` in a Japanese book as it』s. In these languages a
 * paragraph's straight quotes are paired in order instead, an apostrophe between two Latin letters
 * stays an apostrophe (’), and full-width punctuation (「」＂) is never touched.
 */
import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import type { Quotes } from './language.ts';
import { quotesFor } from './language.ts';
import { eachTextRun, rewriteRun } from './text-runs.ts';

const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]/u;

/** A stateful pairer: one per paragraph, so an unclosed quote does not run into the next. */
export function quotePairer(quotes: Quotes): (value: string, before: string, after: string) => string {
  let double = false;
  let single = false;
  return (value, before, after) => {
    const chars = [...value];
    return chars
      .map((ch, i) => {
        if (ch === '"') {
          double = !double;
          return double ? quotes.openingQuotes.double : quotes.closingQuotes.double;
        }
        if (ch !== "'") return ch;
        const prev = i > 0 ? (chars[i - 1] as string) : [...before].at(-1);
        const next = i + 1 < chars.length ? (chars[i + 1] as string) : [...after][0];
        if (prev && next && WORD.test(prev) && WORD.test(next)) return '’';
        single = !single;
        return single ? quotes.openingQuotes.single : quotes.closingQuotes.single;
      })
      .join('');
  };
}

/** Pairs the quotes of a book in `language`; does nothing for languages smartypants serves. */
export const remarkCjkQuotes: Plugin<[string], Root> = (language) => {
  if (!pairsQuotes(language)) return undefined;
  const quotes = quotesFor(language);
  return (tree) => {
    eachTextRun(tree, (run) => {
      rewriteRun(run, quotePairer(quotes));
    });
  };
};

/** Languages whose quotes are paired in order rather than by the spaces around them. */
export function pairsQuotes(language: string): boolean {
  return ['zh', 'ja', 'ko'].includes(language.split('-')[0]?.toLowerCase() ?? '');
}
