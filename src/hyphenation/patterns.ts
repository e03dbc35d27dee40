/**
 * Hyphenation patterns by language: Liang/TeX patterns from the `hyphen` package. Chromium's
 * `hyphens: auto` has no dictionaries on Linux builds, so soft hyphens in the print document are the
 * only way to get hyphenated, justified print. E-book readers and browsers hyphenate by themselves
 * (`hyphens: auto` with the book's `lang`), so only the print output uses these.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type Hyphenate = (word: string) => string;

/** `de-CH` → [`de-ch`, `de`]: the full tag first, then its primary language. */
export function languageCandidates(language: string): string[] {
  const lower = language.toLowerCase();
  const primary = lower.split('-')[0] as string;
  return lower === primary ? [lower] : [lower, primary];
}

const hyphenDir = path.dirname(require.resolve('hyphen/package.json'));
const hyphenatorCache = new Map<string, Hyphenate | undefined>();

/** Soft hyphens (U+00AD) at the break points of a word; `en` maps to US patterns, as TeX does. */
export function hyphenatorFor(language: string): Hyphenate | undefined {
  const key = language.toLowerCase();
  if (hyphenatorCache.has(key)) return hyphenatorCache.get(key);
  let found: Hyphenate | undefined;
  for (const c of languageCandidates(language)) {
    if (fs.existsSync(path.join(hyphenDir, c, 'index.js'))) {
      const mod = require(`hyphen/${c}`) as { hyphenateSync: (text: string, options?: object) => string };
      found = memoised((text) => mod.hyphenateSync(text, { minWordLength: 6 }));
      break;
    }
  }
  hyphenatorCache.set(key, found);
  return found;
}

/** Distinct words are few (Pride and Prejudice: 122k words, 7k distinct), and the print document is made on every build. */
const MEMO_LIMIT = 100_000;

function memoised(hyphenate: Hyphenate): Hyphenate {
  const memo = new Map<string, string>();
  return (word) => {
    let out = memo.get(word);
    if (out === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      out = hyphenate(word);
      memo.set(word, out);
    }
    return out;
  };
}
