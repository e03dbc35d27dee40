import { afterAll, describe, expect, it } from 'vitest';
import { type ColophonError, type Diagnostic, loadManuscript } from '../src/index.ts';
import { colophonErrorOf } from './helpers/errors.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const only = (e: ColophonError): Diagnostic => {
  expect(e.diagnostics).toHaveLength(1);
  return e.diagnostics[0] as Diagnostic;
};

describe('book.yaml', () => {
  it('accepts a full configuration and normalises it', () => {
    const dir = tempBook({
      'book.yaml':
        'title: T\nauthor:\n  - Ann\n  - name: Bo\n    role: translator\nlanguage: en-gb\nidentifier: 978-0-306-40615-7\nprint:\n  trim: a5\n  bleed: 3mm\nedition:\n  version: 2\n',
      'a.md': '# A\n',
    });
    const m = loadManuscript(dir);
    expect(m.config.language).toBe('en-gb');
    expect(m.config.identifier).toEqual({ kind: 'isbn', value: '9780306406157' });
    expect(m.config.edition?.version).toBe('2');
    // Lengths and trims are parsed once, by the schema, into points.
    expect(m.config.print).toMatchObject({ trim: { name: 'a5' }, marks: 'none', notes: 'footnotes' });
    expect(m.config.print.trim.widthPt).toBeCloseTo(419.53, 2);
    expect(m.config.print.bleed).toBeCloseTo(8.504, 3);
    // Which keys the author wrote, and where: defaults filled in by the schema are not "given".
    expect(m.positions.given('language')).toBe(true);
    expect(m.positions.given('hyphenate')).toBe(false);
    expect(m.positions.at('print.bleed')).toMatchObject({ line: 10, column: 3 });
    expect(m.positions.at('author.1.role')).toMatchObject({ line: 5, column: 5 });
    expect(m.positions.at('print.marks')).toMatchObject({ line: 8, column: 1 });
  });

  it('reports YAML syntax errors with line and column', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nauthor: [unclosed\n', 'a.md': '# A\n' });
    const d = colophonErrorOf(() => loadManuscript(dir)).diagnostics[0] as Diagnostic;
    expect(d.code).toBe('config/yaml-syntax');
    expect(d.location?.file).toMatch(/book\.yaml$/);
    expect(d.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects an unknown key at its line and suggests the right one', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nautor: Ann\n', 'a.md': '# A\n' });
    const d = only(colophonErrorOf(() => loadManuscript(dir)));
    expect(d).toMatchObject({ code: 'config/unknown-key', message: 'unknown key "autor"', location: { line: 2, column: 1 } });
    expect(d.hint).toContain('Did you mean "author"?');
  });

  it('rejects unknown keys in nested mappings', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nprint:\n  trim: 6x9in\n  bled: 3mm\n', 'a.md': '# A\n' });
    expect(only(colophonErrorOf(() => loadManuscript(dir)))).toMatchObject({
      code: 'config/unknown-key',
      message: 'unknown key "bled" in print',
      location: { line: 4, column: 3 },
    });
  });

  it('rejects wrong types at the value', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nhyphenate: sometimes\n', 'a.md': '# A\n' });
    const d = only(colophonErrorOf(() => loadManuscript(dir)));
    expect(d).toMatchObject({ code: 'config/invalid-value', location: { line: 2, column: 12 } });
    expect(d.message).toMatch(/^"hyphenate" /);
  });

  it('requires a title', () => {
    const dir = tempBook({ 'book.yaml': 'author: Ann\n', 'a.md': '# A\n' });
    expect(only(colophonErrorOf(() => loadManuscript(dir)))).toMatchObject({ code: 'config/missing-key', message: '"title" is required' });
  });

  it.each([
    ['identifier: 978-0-306-40615-8', /not a valid ISBN-13/],
    ['identifier: just text', /ISBN-13 .* or a URI/],
    ['language: english!', /BCP 47/],
    ['date: 24 October 2010', /ISO 8601/],
    ['source: not a url', /absolute URL/],
    ['print:\n  trim: 9x9 furlongs', /named trim/],
    ['print:\n  bleed: 3', /length with a unit/],
  ])('validates %s', (line, message) => {
    const dir = tempBook({ 'book.yaml': `title: T\n${line}\n`, 'a.md': '# A\n' });
    const d = only(colophonErrorOf(() => loadManuscript(dir)));
    expect(d.code).toBe('config/invalid-value');
    expect(d.message).toMatch(message);
    expect(d.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports a listed chapter that does not exist at its list entry', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nchapters:\n  - a.md\n  - b.md\n', 'a.md': '# A\n' });
    const d = only(colophonErrorOf(() => loadManuscript(dir)));
    expect(d).toMatchObject({ code: 'manuscript/missing-chapter', location: { line: 4, column: 5 } });
    expect(d.message).toBe('chapter "b.md" does not exist');
  });

  it('refuses chapters outside the manuscript folder', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\nchapters:\n  - ../../etc/passwd\n' });
    expect(only(colophonErrorOf(() => loadManuscript(dir))).code).toBe('manuscript/chapter-outside');
  });

  it('needs book.yaml in a folder, and at least one chapter', () => {
    expect(only(colophonErrorOf(() => loadManuscript(tempBook({ 'a.md': '# A\n' })))).code).toBe('manuscript/no-config');
    expect(only(colophonErrorOf(() => loadManuscript(tempBook({ 'book.yaml': 'title: T\n' })))).code).toBe('manuscript/empty');
    expect(only(colophonErrorOf(() => loadManuscript(tempBook({ 'book.yaml': 'title: T\n', 'a.md': '  \n' })))).code).toBe('manuscript/empty');
  });
});

describe('chapter files', () => {
  it('orders chapters by file name when none are listed, skipping README.md', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\n', '10-b.md': '# B\n', '02-a.md': '# A\n', 'README.md': 'notes' });
    expect(loadManuscript(dir).chapters.map((c) => c.relPath)).toEqual(['02-a.md', '10-b.md']);
  });

  it('rejects text that is not UTF-8, naming line and column', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\n', 'a.md': Buffer.concat([Buffer.from('# A\n\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]) });
    expect(only(colophonErrorOf(() => loadManuscript(dir)))).toMatchObject({ code: 'manuscript/not-utf8', location: { line: 3, column: 4 } });
  });

  it('rejects NUL bytes', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\n', 'a.md': Buffer.from('# A\n\x00\n') });
    expect(only(colophonErrorOf(() => loadManuscript(dir)))).toMatchObject({ code: 'manuscript/binary', location: { line: 2, column: 1 } });
  });

  it('drops a byte-order mark and accepts CRLF line endings', () => {
    const dir = tempBook({ 'book.yaml': '\uFEFFtitle: T\r\n', 'a.md': '\uFEFF# A\r\n\r\nText.\r\n' });
    const m = loadManuscript(dir);
    expect(m.config.title).toBe('T');
    expect(m.chapters[0]?.text.startsWith('# A')).toBe(true);
  });
});

describe('single-file manuscripts', () => {
  it('reads YAML front matter, reporting errors at the line in the .md file', () => {
    const dir = tempBook({ 'book.md': '---\ntitle: T\nlanguag: de\n---\n\n# One\n' });
    expect(only(colophonErrorOf(() => loadManuscript(`${dir}/book.md`)))).toMatchObject({ code: 'config/unknown-key', location: { line: 3, column: 1 } });
    const ok = tempBook({ 'book.md': '---\ntitle: T\nlanguage: de\n---\n\n# One\n' });
    const m = loadManuscript(`${ok}/book.md`);
    expect(m.config.language).toBe('de');
    // The front matter is blanked, not cut, so positions in the body stay true to the file.
    expect(m.chapters[0]?.text.split('\n')[5]).toBe('# One');
  });

  it('reports a bad value in a "# Title:" block at its line in the file', () => {
    const dir = tempBook({ 'b.md': '# Title: Emma\n\n## Author: Jane Austen\n\n## Year: eighteen fifteen\n\n## Chapter 1\n' });
    expect(only(colophonErrorOf(() => loadManuscript(`${dir}/b.md`)))).toMatchObject({ code: 'config/invalid-value', location: { line: 5 } });
    const ok = loadManuscript(`${tempBook({ 'b.md': '# Title: Emma\n\n## Language: fr\n\n## Chapter 1\n' })}/b.md`);
    expect(ok.positions.at('language')).toMatchObject({ line: 3 });
    expect(ok.positions.given('language')).toBe(true);
  });

  it('reads a "# Title:" block as metadata', () => {
    const dir = tempBook({ 'b.md': '# Title: Emma\n\n## Author: Jane Austen\n\n## Year: 1815\n\n-----\n\n## Chapter 1\n\nText.\n' });
    const m = loadManuscript(`${dir}/b.md`);
    expect(m.config).toMatchObject({ title: 'Emma', author: 'Jane Austen', date: '1815' });
    expect(m.chapters[0]?.text).not.toContain('Title:');
  });

  it('asks for metadata when there is none', () => {
    const dir = tempBook({ 'b.md': '# Just a heading\n' });
    expect(only(colophonErrorOf(() => loadManuscript(`${dir}/b.md`))).code).toBe('manuscript/no-metadata');
  });
});
