/** The book pass without a browser: ids unique across chapters, links resolved, images registered, contents. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildToc, chapterTitle } from '../../src/book-pass/contents.ts';
import { passContext } from '../../src/book-pass/context.ts';
import { makeIdsUnique } from '../../src/book-pass/ids.ts';
import { registerContentImages } from '../../src/book-pass/images.ts';
import { resolveLinks } from '../../src/book-pass/links.ts';
import type { Chapter } from '../../src/model/book.ts';
import { type ParsedChapter, parseChapters } from '../../src/pipeline/chapters.ts';
import { cleanupTempBooks, PNG_1x1, tempBook } from '../helpers/temp-book.ts';

afterAll(cleanupTempBooks);

function parse(files: Record<string, string>): Promise<ParsedChapter[]> {
  const sources = Object.entries(files).map(([relPath, text]) => ({ path: `/book/${relPath}`, relPath, text }));
  return parseChapters(sources, { language: 'en', math: 'dollars', singleFile: false });
}

/** One chapter file in a real temp manuscript, parsed, with a pass context for it. */
async function oneChapter(root: string, relPath: string, text: string) {
  const parsed = await parseChapters([{ path: path.join(root, relPath), relPath, text }], { language: 'en', math: 'dollars', singleFile: false });
  return { parsed, ctx: passContext(root, (rel) => path.join(root, rel)) };
}

const ids = (c: ParsedChapter) => [...JSON.stringify(c.hast).matchAll(/"id":"([^"]+)"/g)].map((m) => m[1]);
const hrefs = (c: ParsedChapter) => [...JSON.stringify(c.hast).matchAll(/"href":"([^"]+)"/g)].map((m) => m[1]);

describe('book pass', () => {
  it('keeps the first of two equal ids and numbers the later ones, per chapter', async () => {
    const parsed = await parse({ 'a.md': '# Intro\n\n## Intro\n', 'b.md': '# Intro\n' });
    const { anchors, renames } = makeIdsUnique(parsed);
    expect(parsed.map(ids)).toEqual([['intro', 'intro-1'], ['intro-2']]);
    expect(anchors).toMatchObject({ intro: 'ch-a', 'intro-1': 'ch-a', 'intro-2': 'ch-b' });
    expect(renames.get('ch-b')?.get('intro')).toBe('intro-2');
  });

  it('resolves links to other chapters through their renames, and reports the ones that miss', async () => {
    const parsed = await parse({
      'a.md': '# Intro\n\n[b](b.md#intro) [self](#intro) [whole](b.md) [web](https://example.org) [gone](c.md) [nowhere](#nope) [file](notes.txt)\n',
      'b.md': '# Intro\n',
    });
    const ctx = passContext('/book', (rel) => `/book/${rel}`);
    resolveLinks(parsed, makeIdsUnique(parsed), ctx);
    expect(hrefs(parsed[0] as ParsedChapter)).toEqual(['#intro-1', '#intro', '#ch-b', 'https://example.org', 'c.md', '#nope', 'notes.txt']);
    expect(ctx.diagnostics.map((d) => [d.severity, d.code, d.location?.line])).toEqual([
      ['error', 'link/missing-chapter', 3],
      ['error', 'link/missing-anchor', 3],
      ['warning', 'link/local-file', 3],
    ]);
  });

  it('finds headings in any script, whether a link is percent-encoded, decomposed or as typed', async () => {
    const parsed = await parse({
      'a.md': '# Café\n\n[1](b.md#r%C3%A9veil) [2](b.md#re\u0301veil) [3](#café) [4](b.md#פרק-ראשון)\n',
      'b.md': '# Re\u0301veil\n\n## פרק ראשון\n',
    });
    const ctx = passContext('/book', (rel) => `/book/${rel}`);
    resolveLinks(parsed, makeIdsUnique(parsed), ctx);
    expect(ctx.diagnostics).toEqual([]);
    expect(hrefs(parsed[0] as ParsedChapter)).toEqual(['#réveil', '#réveil', '#café', '#פרק-ראשון']);
  });

  it('registers each image file once under a content-hashed name, resolving paths from the chapter', async () => {
    const root = tempBook({ 'parts/one.md': '', 'parts/img/a.png': PNG_1x1 });
    const { parsed, ctx } = await oneChapter(root, 'parts/one.md', '![A](img/a.png)\n\n![A again](./img/a.png)\n');
    registerContentImages(parsed, ctx);
    expect(ctx.diagnostics).toEqual([]);
    expect([...ctx.images.values()].map((a) => a.href)).toEqual([expect.stringMatching(/^images\/a-[0-9a-f]{10}\.png$/)]);
    const srcs = [...JSON.stringify(parsed[0]?.hast).matchAll(/"src":"([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(srcs)).toEqual(new Set([[...ctx.images.values()][0]?.href]));
    expect(fs.existsSync(path.join(root, 'parts/img/a.png'))).toBe(true);
  });

  it('refuses an image that is not what its name says, naming file and line', async () => {
    const root = tempBook({ 'a.md': '', 'fake.png': 'GIF89a not really' });
    const { parsed, ctx } = await oneChapter(root, 'a.md', 'Text.\n\n![F](fake.png)\n');
    registerContentImages(parsed, ctx);
    expect(ctx.diagnostics).toMatchObject([{ code: 'image/corrupt', location: { file: path.join(root, 'a.md'), line: 3 } }]);
  });

  const shape = (entries: ReturnType<typeof buildToc>): unknown => entries.map((e) => [e.title, e.depth, shape(e.children)]);
  const chaptersOf = (parsed: ParsedChapter[]) =>
    parsed.map((c): Chapter => ({ id: c.id, title: chapterTitle(c), source: c.source, level: c.level, hast: c.hast, footnotes: c.footnotes }));

  it('makes every chapter file one top-level entry, its first heading the title, deeper headings nested relative to it', async () => {
    const parsed = await parse({
      'a.md': '## CHAPTER 1.\n\n### Sec\n\n#### Sub\n\n##### Too deep\n',
      'b.md': '# A part file\n',
      'c.md': '## CHAPTER 2.\n\nNo sections.\n',
      'd.md': 'No heading.\n',
    });
    makeIdsUnique(parsed);
    expect(parsed.map(chapterTitle)).toEqual(['CHAPTER 1.', 'A part file', 'CHAPTER 2.', 'd']);
    expect(JSON.stringify(parsed[0]?.hast)).toMatch(/"tagName":"h1".*"tagName":"h2".*"tagName":"h3".*"tagName":"h4"/);
    expect(shape(buildToc(chaptersOf(parsed)))).toEqual([
      ['CHAPTER 1.', 1, [['Sec', 2, [['Sub', 3, []]]]]],
      ['A part file', 1, []],
      ['CHAPTER 2.', 1, []],
    ]);
    expect(parsed.flatMap((c) => c.diagnostics)).toEqual([]);
  });

  it('nests a chapter under the one before it when its level says so (mdBook nesting)', async () => {
    const sources = [
      { path: '/book/a.md', relPath: 'a.md', text: '# Part\n\n## Intro\n' },
      { path: '/book/b.md', relPath: 'b.md', text: '# Chapter\n\n## Sec\n', level: 2 },
      { path: '/book/c.md', relPath: 'c.md', text: '# Next part\n' },
    ];
    const parsed = await parseChapters(sources, { language: 'en', math: 'dollars', singleFile: false });
    makeIdsUnique(parsed);
    expect(shape(buildToc(chaptersOf(parsed)))).toEqual([
      [
        'Part',
        1,
        [
          ['Intro', 2, []],
          ['Chapter', 2, [['Sec', 3, []]]],
        ],
      ],
      ['Next part', 1, []],
    ]);
  });

  it('keeps a heading as high as the chapter title inside the chapter, and reports skipped levels, with lines', async () => {
    const [chapter] = await parse({ 'a.md': '## Title\n\n##### Deep\n\n# Higher\n' });
    expect(JSON.stringify(chapter?.hast)).toMatch(/"tagName":"h1".*"tagName":"h4".*"tagName":"h2"/);
    expect(chapter?.diagnostics).toMatchObject([
      { code: 'heading/above-chapter', severity: 'warning', location: { file: '/book/a.md', line: 5 } },
      { code: 'heading/skipped-level', severity: 'warning', location: { file: '/book/a.md', line: 3 }, message: expect.stringContaining('h1 → h4') },
    ]);
    expect(chapter?.diagnostics[1]?.hint).toContain('###');
  });
});
