import { describe, expect, it } from 'vitest';
import { readYamlConfig } from '../../src/config/load-config.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { fromPandoc, isoDate } from '../../src/manuscript/pandoc.ts';

describe('Pandoc metadata', () => {
  it('converts the dates Pandoc authors write, and warns about the rest', () => {
    const found: Diagnostic[] = [];
    const at = { file: 'm.yaml', line: 3 };
    expect(['2021', '2021-03-15', 'March 2021', 'Mar. 2021', '15 March 2021', 'March 15, 2021'].map((d) => isoDate(d, at, found))).toEqual([
      '2021',
      '2021-03-15',
      '2021-03',
      '2021-03',
      '2021-03-15',
      '2021-03-15',
    ]);
    expect(found).toEqual([]);
    expect(isoDate('Spring 2021', at, found)).toBeUndefined();
    expect(found).toMatchObject([{ severity: 'warning', code: 'pandoc/date', location: at }]);
  });

  it("maps EPUB-style lists (titles, creators with MARC roles, identifiers) onto Colophon's keys, keeping where each was written", () => {
    const yaml = [
      'title:',
      '  - {type: main, text: Main Title}',
      '  - {type: subtitle, text: The Sub}',
      'creator:',
      '  - {role: trl, text: Tom Translator, file-as: "Translator, Tom"}',
      'identifier:',
      '  - {scheme: DOI, text: "doi:10.1000/182"}',
      'subject: Fiction',
      'mainfont: Palatino',
    ].join('\n');
    const notes: Diagnostic[] = [];
    const mapped = fromPandoc(readYamlConfig({ file: 'm.yaml', text: yaml }), notes);
    expect(mapped.data).toEqual({
      title: 'Main Title',
      subtitle: 'The Sub',
      author: [{ name: 'Tom Translator', role: 'translator', 'file-as': 'Translator, Tom' }],
      identifier: 'doi:10.1000/182',
      subjects: 'Fiction',
    });
    expect(mapped.keys.get('subjects')).toMatchObject({ line: 8 });
    expect(notes).toMatchObject([{ severity: 'note', code: 'pandoc/ignored-metadata', location: { line: 9 } }]);
  });

  it("keeps every key of Colophon's own book.yaml, including the later ones (math, french-spacing, labels)", () => {
    const yaml = ['title: T', 'math: off', 'french-spacing: false', 'labels: {contents: Inhalt}', 'hyphenate: false'].join('\n');
    const notes: Diagnostic[] = [];
    const mapped = fromPandoc(readYamlConfig({ file: 'm.yaml', text: yaml }), notes);
    expect(mapped.data).toEqual({ title: 'T', math: 'off', 'french-spacing': false, labels: { contents: 'Inhalt' }, hyphenate: false });
    expect(notes).toEqual([]);
  });
});
