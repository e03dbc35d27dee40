/**
 * Pieces of a book every output shows, built as hast from the model: title page, copyright page,
 * table of contents, a chapter's notes. Each output arranges them its own way (web page, print
 * pages, EPUB files) but the words are the same everywhere.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { Book, Chapter, Footnote, TocEntry } from '../model/book.ts';

export const PRODUCER = 'Colophon';

export function creatorsLine(book: Book, role = 'author'): string {
  const names = book.metadata.creators.filter((c) => c.role === role).map((c) => c.name);
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const ROLE_LABEL: Record<string, string> = {
  editor: 'Edited by',
  translator: 'Translated by',
  illustrator: 'Illustrated by',
  contributor: 'With contributions by',
  foreword: 'Foreword by',
  introduction: 'Introduction by',
};

export function titlePage(book: Book): Element {
  const m = book.metadata;
  const others = Object.entries(ROLE_LABEL)
    .map(([role, label]) => [label, creatorsLine(book, role)] as const)
    .filter(([, names]) => names !== '')
    .map(([label, names]) => h('p.contributors', `${label} ${names}`));
  return h('section.title-page', { role: 'doc-titlepage' }, [
    h('h1.book-title', m.title),
    m.subtitle ? h('p.book-subtitle', m.subtitle) : null,
    creatorsLine(book) ? h('p.book-author', creatorsLine(book)) : null,
    ...others,
    m.publisher ? h('p.book-publisher', m.publisher) : null,
  ]);
}

/** Long-form date in the book's language; falls back to the ISO text for partial dates. */
export function formatDate(iso: string, language: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return iso;
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}

export function copyrightPage(book: Book): Element {
  const m = book.metadata;
  const id = m.identifier;
  const lines: (Element | null)[] = [
    h('p', m.title + (m.subtitle ? `: ${m.subtitle}` : '')),
    creatorsLine(book) ? h('p', `by ${creatorsLine(book)}`) : null,
    m.date ? h('p', `First published ${formatDate(m.date, m.language)}.`) : null,
    m.rights ? h('p.rights', m.rights) : null,
    m.publisher ? h('p', `Published by ${m.publisher}.`) : null,
    id.kind === 'isbn' ? h('p', `ISBN ${formatIsbn(id.value)}`) : id.kind === 'uri' ? h('p', `Identifier: ${id.value}`) : null,
    m.source ? h('p', ['Source: ', h('a', { href: m.source }, m.source)]) : null,
    m.edition ? h('p.edition', `Edition ${m.edition.version}${m.edition.date ? `, ${formatDate(m.edition.date, m.language)}` : ''}.`) : null,
    h('p.made-with', `Made with ${PRODUCER}.`),
  ];
  return h('section.copyright-page', { role: 'doc-colophon' }, lines);
}

export function formatIsbn(digits: string): string {
  // Hyphenation of the registrant part depends on range tables; the prefix split is always right.
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}

export function tocList(entries: TocEntry[], href: (entry: TocEntry) => string, maxDepth = 3): Element {
  return h(
    'ol',
    entries.map((e) => h('li', [h('a', { href: href(e) }, e.title), e.children.length > 0 && e.depth < maxDepth ? tocList(e.children, href, maxDepth) : null])),
  );
}

/** A chapter's notes as an ordered list with back-links to every reference. */
export function notesList(notes: Footnote[], backlink: (note: Footnote, refId: string, index: number) => Element): Element {
  return h(
    'ol',
    notes.map((note) => {
      const links: ElementContent[] = note.refIds.flatMap((refId, i) => [{ type: 'text' as const, value: ' ' }, backlink(note, refId, i)]);
      const content = structuredClone(note.content);
      const last = content.at(-1);
      // Back-links go inside the last paragraph, where a reader's eye ends.
      if (last?.type === 'element' && last.tagName === 'p') last.children.push(...links);
      else content.push(...links);
      return h('li', { id: note.id }, content);
    }),
  );
}

export function chapterNotes(chapter: Chapter, heading: string): Element | null {
  if (chapter.footnotes.length === 0) return null;
  return h('section.footnotes', { role: 'doc-endnotes', ariaLabelledBy: `${chapter.id}-notes` }, [
    h('h2.notes-heading', { id: `${chapter.id}-notes` }, heading),
    notesList(chapter.footnotes, (_note, refId, i) =>
      h('a.backlink', { href: `#${refId}`, role: 'doc-backlink', ariaLabel: `Back to reference${i > 0 ? ` ${i + 1}` : ''}` }, '↑'),
    ),
  ]);
}

/** Words for notes headings by language; English when unknown. */
export function notesHeading(language: string): string {
  const words: Record<string, string> = { en: 'Notes', de: 'Anmerkungen', fr: 'Notes', es: 'Notas', it: 'Note', ru: 'Примечания', nl: 'Noten', pt: 'Notas' };
  return words[language.split('-')[0]?.toLowerCase() ?? 'en'] ?? 'Notes';
}

export function contentsHeading(language: string): string {
  const words: Record<string, string> = {
    en: 'Contents',
    de: 'Inhalt',
    fr: 'Table des matières',
    es: 'Índice',
    it: 'Indice',
    ru: 'Содержание',
    nl: 'Inhoud',
    pt: 'Sumário',
  };
  return words[language.split('-')[0]?.toLowerCase() ?? 'en'] ?? 'Contents';
}
