/**
 * Property tests: random Markdown (fragments of every construct the pipeline knows, glued with random
 * text) never crashes the pipeline — a ColophonError is the only failure allowed — and every chapter
 * it builds serialises to well-formed XHTML (parsed with a strict XML parser). A few of the books are
 * packaged as EPUBs and must pass the W3C EPUBCheck. The seed is fixed so CI is reproducible; fast-check
 * prints it, with the shrunk counterexample, on failure.
 */

import fs from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBook } from '../src/book-pass/build-book.ts';
import { ColophonError } from '../src/diagnostics.ts';
import { loadManuscript, type Manuscript } from '../src/manuscript/load.ts';
import type { Book } from '../src/model/book.ts';
import { chapterBody, xhtmlDocument } from '../src/outputs/epub/xhtml.ts';
import { epub } from '../src/outputs/epub.ts';
import { javaEpubcheck } from './helpers/epub.ts';
import { cleanupHostile, tempDir } from './helpers/hostile.ts';

afterAll(cleanupHostile);

const SEED = 20_251_128;

const FRAGMENTS = [
  '# ',
  '## ',
  '### ',
  '\n',
  '\n\n',
  '> ',
  '- ',
  '1. ',
  '* ',
  '`',
  '```',
  '```js\n',
  '~~~',
  '*',
  '**',
  '_',
  '~~',
  '[',
  ']',
  '(',
  ')',
  '](#a)',
  '[^1]',
  '[^1]: ',
  '![img](',
  '$',
  '$$',
  '\\',
  '|',
  '| a | b |\n|---|:-:|\n',
  ':::',
  ':::note\n',
  ':::poem\n',
  '***',
  '---',
  '<div>',
  '</div>',
  '<span class="x">',
  '</span>',
  '<br>',
  '<p>',
  '<em>',
  '<!-- c -->',
  '<?php ?>',
  '<![CDATA[x]]>',
  '&amp;',
  '&nbsp;',
  '&#0;',
  '&#x1F600;',
  '&bogus;',
  '<',
  '>',
  '&',
  '"',
  "'",
  '--',
  '...',
  '\u00ad',
  '\u200b',
  '\u202e',
  '\uFFFF',
  '\uD83D\uDE00',
  '\u0007',
  '\u000b',
  '\f',
  '\t',
  'https://example.org/x?a=1&b=2',
  'word',
  'Typesetting internationalisation',
  '{#id}',
  '- [ ] ',
  '- [x] ',
];

const markdown = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) }), {
    maxLength: 60,
  })
  .map((parts) => parts.join('').replace(/\0/g, ''));

let base: Manuscript | undefined;

async function bookFrom(texts: string[]): Promise<Book | undefined> {
  base ??= loadManuscript(
    (() => {
      const dir = tempDir('colophon-prop-');
      fs.writeFileSync(`${dir}/book.yaml`, 'title: Property\nauthor: Ann\nlanguage: en\n');
      fs.writeFileSync(`${dir}/a.md`, '# A\n');
      return dir;
    })(),
  );
  const manuscript: Manuscript = {
    ...base,
    chapters: texts.map((text, i) => ({ path: `${base?.root}/c${i}.md`, relPath: `c${i}.md`, text: `# Chapter ${i}\n\n${text}` })),
  };
  try {
    return await buildBook(manuscript);
  } catch (e) {
    if (e instanceof ColophonError) return undefined;
    throw e;
  }
}

function parseStrict(xml: string): void {
  const problems: string[] = [];
  new DOMParser({
    onError: (level, message) => {
      // Warnings (e.g. "replacement character detected") are about the text, not the structure.
      if (level !== 'warning') problems.push(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'application/xhtml+xml');
  if (problems.length > 0) throw new Error(`not well-formed XHTML:\n${problems.join('\n')}\n${xml}`);
}

describe('random Markdown', () => {
  it('never crashes the pipeline, and every chapter is well-formed XHTML', async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(markdown, { minLength: 1, maxLength: 2 }), async (texts) => {
        // Yield between runs: a synchronous loop of thousands of builds starves the test worker's
        // messages to vitest, which then fails the run with an RPC timeout on a loaded machine.
        await new Promise((resolve) => setImmediate(resolve));
        const book = await bookFrom(texts);
        if (!book) return;
        built++;
        const fileOf = (id: string) => `${id}.xhtml`;
        for (const chapter of book.chapters) {
          parseStrict(
            xhtmlDocument({ title: chapter.title, language: 'en', direction: 'ltr', body: chapterBody(chapter, book, { anchors: book.anchors, fileOf }) }),
          );
        }
      }),
      { seed: SEED, numRuns: 3000, verbose: 1 },
    );
    // Most random documents are valid Markdown: make sure the XHTML check really ran.
    expect(built).toBeGreaterThan(1000);
    // A hang guard: about 20 s on an idle 2-core machine, several times that under load.
  }, 300_000);

  it('gives EPUBs that EPUBCheck passes (a sample of 5)', async () => {
    const samples = fc.sample(fc.array(markdown, { minLength: 2, maxLength: 3 }), { seed: SEED + 1, numRuns: 40 });
    const books = (await Promise.all(samples.map(bookFrom))).filter((b): b is Book => b !== undefined).slice(0, 5);
    expect(books.length).toBe(5);
    for (const [i, book] of books.entries()) {
      const data = await epub.render(book, { log: () => {}, warn: () => {} });
      const result = await javaEpubcheck(data, `property-${i}`);
      expect({ fatals: result.fatals, errors: result.errors, messages: result.messages.filter((m) => !m.startsWith('WARNING')) }, `sample ${i}`).toEqual({
        fatals: 0,
        errors: 0,
        messages: [],
      });
    }
  }, 300_000);
});
