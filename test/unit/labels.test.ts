/** The furniture labels: complete tables, English fallback with the missing names, book.yaml overrides. */
import { describe, expect, it } from 'vitest';
import {
  fillLabel,
  formatDate,
  joinNames,
  LABEL_KEYS,
  LABEL_LANGUAGES,
  LABEL_PLACEHOLDERS,
  labelParts,
  placeholdersOf,
  resolveLabels,
} from '../../src/config/labels.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { ColophonError } from '../../src/diagnostics.ts';

describe('furniture labels', () => {
  it('has a complete table for every language the issue names, each label with its placeholders', () => {
    const wanted = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'pl', 'cs', 'ru', 'uk', 'el', 'tr', 'he', 'ar', 'zh', 'ja', 'ko', 'hi'];
    expect(LABEL_LANGUAGES).toEqual(expect.arrayContaining(wanted));
    for (const language of [...LABEL_LANGUAGES, 'zh-Hant', 'pt-BR']) {
      const { labels, missing } = resolveLabels(language);
      expect(missing, language).toEqual([]);
      for (const key of LABEL_KEYS) expect(placeholdersOf(labels[key]).sort(), `${language} ${key}`).toEqual([...LABEL_PLACEHOLDERS[key]].sort());
    }
  });

  it('uses no English word outside English tables', () => {
    const english = new Set(Object.values(resolveLabels('en').labels).flatMap((l) => l.replace(/\{[a-z]+\}/g, '').match(/[A-Za-z]{3,}/g) ?? []));
    // Words English shares with the language (French "Notes", "Source", "Introduction", "Pages", "Edition" as "Édition").
    const shared: Record<string, string[]> = { fr: ['Notes', 'Source', 'Introduction', 'Pages'] };
    for (const language of LABEL_LANGUAGES.filter((l) => l !== 'en')) {
      const words = Object.values(resolveLabels(language).labels).flatMap((l) => l.replace(/\{[a-z]+\}/g, '').match(/[A-Za-z]{3,}/g) ?? []);
      expect(
        words.filter((w) => english.has(w) && !shared[language]?.includes(w)),
        language,
      ).toEqual([]);
    }
  });

  it('picks the most specific table: region, then script, then language', () => {
    expect(resolveLabels('pt-BR').labels.contents).toBe('Sumário');
    expect(resolveLabels('pt-PT').labels.contents).toBe('Índice');
    expect(resolveLabels('zh-TW').labels.contents).toBe('目錄');
    expect(resolveLabels('zh-Hant-HK').labels.contents).toBe('目錄');
    expect(resolveLabels('zh-CN').labels.contents).toBe('目录');
    expect(resolveLabels('de-CH').labels.contents).toBe('Inhalt');
  });

  it('falls back to English and names what is missing; book.yaml labels come first', () => {
    const fi = resolveLabels('fi', { contents: 'Sisällys', by: '{names}' });
    expect(fi.labels.contents).toBe('Sisällys');
    expect(fi.labels.notes).toBe('Notes');
    expect(fi.missing).toContain('notes');
    expect(fi.missing).not.toContain('contents');
    expect(resolveLabels('fr', { notes: 'Notes de l’auteur' }).labels.notes).toBe('Notes de l’auteur');
  });

  it('fills templates, keeping each value as a part so outputs can make it an element', () => {
    expect(fillLabel('{names} 著', { names: '夏目漱石' })).toBe('夏目漱石 著');
    expect(labelParts('Source\u202f: {source}', { source: 'https://x.org' })).toEqual([
      { text: 'Source\u202f: ' },
      { text: 'https://x.org', placeholder: 'source' },
    ]);
  });

  it('joins names and writes dates as the language does (Intl)', () => {
    expect(joinNames(['A', 'B', 'C'], 'fr')).toBe('A, B et C');
    expect(joinNames(['A'], 'de')).toBe('A');
    expect(formatDate('2024-06-01', 'ja')).toBe('2024年6月1日');
    expect(formatDate('2024-06', 'ja')).toBe('2024-06');
  });

  it('refuses a book.yaml label that loses or invents a placeholder, or that does not exist', () => {
    const load = (yaml: string) => () => parseConfig({ file: 'book.yaml', text: `title: T\n${yaml}` });
    expect(load('labels:\n  by: "{names} 著"\n  contents: 目次\n')).not.toThrow();
    const errors = (yaml: string) => {
      try {
        load(yaml)();
      } catch (e) {
        return (e as ColophonError).diagnostics.map((d) => `${d.location?.line}: ${d.message} | ${d.hint}`);
      }
      return [];
    };
    expect(errors('labels:\n  by: "von"\n')).toEqual([expect.stringMatching(/^3: "labels.by" must keep \{names\}/)]);
    expect(errors('labels:\n  contents: "{title}"\n')).toEqual([expect.stringMatching(/unknown placeholder \{title\} \(it takes no placeholder\)/)]);
    expect(errors('labels:\n  content: Inhalt\n')).toEqual([expect.stringMatching(/^3: unknown key "content" in labels \| Did you mean "contents"\?/)]);
  });
});
