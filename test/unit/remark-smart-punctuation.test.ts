/**
 * Colophon's smart punctuation (src/pipeline/remark-smart-punctuation.ts) against remark-smartypants,
 * whose passes it keeps while skipping the second where nothing can change: the same Markdown trees
 * on every book of the corpus and every fixture, in English, French and German quotes, and on random
 * Markdown made mostly of the punctuation both passes read.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { quotesFor } from '../../src/pipeline/language.ts';
import { remarkSmartPunctuation } from '../../src/pipeline/remark-smart-punctuation.ts';
import { smartenText } from '../../src/pipeline/smart-text.ts';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);
const markdownFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(file) : e.name.endsWith('.md') ? [file] : [];
  });

/** Both plugins on copies of one tree; the library's result and ours. */
function both(markdown: string, language: string): [Root, Root] {
  const tree = parser.parse(markdown);
  const options = { dashes: 'oldschool' as const, ...quotesFor(language) };
  const theirs = structuredClone(tree);
  const ours = structuredClone(tree);
  // The library's plugin as unified calls it: attacher, then transformer.
  (remarkSmartypants as unknown as (o: typeof options) => (tree: Root) => void)(options)(theirs);
  remarkSmartPunctuation(options)(ours);
  return [theirs, ours];
}

describe('smart punctuation', () => {
  const files = [path.resolve(import.meta.dirname, '../corpus'), path.resolve(import.meta.dirname, '../fixtures')].flatMap(markdownFiles);

  it('finds the books it compares', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  // English on every book; French and German quotes on the fixtures (the corpus books take 15 s a language).
  it.each(['en', 'fr', 'de'])('gives remark-smartypants’ trees on every corpus book and fixture (%s quotes)', (language) => {
    for (const file of language === 'en' ? files : files.filter((f) => f.includes(`${path.sep}fixtures${path.sep}`))) {
      const [theirs, ours] = both(fs.readFileSync(file, 'utf8'), language);
      expect(ours, file).toEqual(theirs);
    }
  });

  it('gives remark-smartypants’ trees on random punctuation-heavy Markdown', () => {
    const piece = fc.constantFrom(
      '"',
      "'",
      '`',
      '``',
      "''",
      '-',
      '--',
      '---',
      '–',
      '—',
      '.',
      '...',
      '. . .',
      ' ',
      '\n',
      '\n\n',
      '*',
      '_',
      '[a](b)',
      '`c`',
      'word',
      'Ab',
      '1',
      '(',
      ')',
      '«',
      '?',
      '!',
      ',',
      ';',
      '# ',
      '> ',
      '- ',
      '| x | y |\n|---|---|\n| 1 | 2 |\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.constantFrom('en', 'fr'), (pieces, language) => {
        const [theirs, ours] = both(pieces.join(''), language);
        expect(ours).toEqual(theirs);
      }),
      { seed: 20_261_130, numRuns: 1500 },
    );
  });

  /** What `work` printed with console.log, and what it returned. */
  function printedBy<T>(work: () => T): [unknown[], T] {
    const printed: unknown[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => printed.push(args);
    try {
      return [printed, work()];
    } finally {
      console.log = log;
    }
  }

  it('prints nothing: retext-smartypants’ leftover console.log on `–-` is silenced', () => {
    const [printed, tree] = printedBy(() => {
      const tree: Root = parser.parse('From 1–-2.');
      remarkSmartPunctuation({ dashes: 'oldschool', ...quotesFor('en') })(tree);
      return tree;
    });
    expect(printed).toEqual([]);
    expect(JSON.stringify(tree)).toContain('From 1—2.');
  });

  it('prints nothing for the metadata either (smart-text.ts goes through the same function)', () => {
    const [printed, title] = printedBy(() => smartenText('Pages 1–-2', 'en'));
    expect(printed).toEqual([]);
    expect(title).toBe('Pages 1—2');
  });

  it('still makes every replacement where the second pass applies', () => {
    const [theirs, ours] = both('He said "wait" -- no --- then... and . . . and 1–-2.', 'en');
    expect(ours).toEqual(theirs);
    expect(JSON.stringify(ours)).toContain('He said “wait” – no — then… and … and 1—2.');
  });
});
