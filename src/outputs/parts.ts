/**
 * Pieces of a book every output shows, built as hast from the model: title page, copyright page,
 * table of contents, a chapter's notes. Each output arranges them its own way (web page, print
 * pages, EPUB files) but the words are the same everywhere.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { fillLabel, formatDate, joinNames, type LabelKey, labelParts } from '../config/labels.ts';
import type { Book, Chapter, Footnote, TocEntry } from '../model/book.ts';

export const PRODUCER = 'Colophon';

/** The names of the book's creators in one role, joined as the book's language joins a list. */
export function creatorsLine(book: Book, role = 'author'): string {
  const names = book.metadata.creators.filter((c) => c.role === role).map((c) => c.name);
  return names.length === 0 ? '' : joinNames(names, book.metadata.language);
}

/** A label of the book (book.labels) with its placeholders filled. */
export function label(book: Book, key: LabelKey, values: Record<string, string> = {}): string {
  return fillLabel(book.labels[key], values);
}

const ROLE_LABEL: Record<string, LabelKey> = {
  editor: 'edited-by',
  translator: 'translated-by',
  illustrator: 'illustrated-by',
  contributor: 'contributions-by',
  foreword: 'foreword-by',
  introduction: 'introduction-by',
};

export function titlePage(book: Book): Element {
  const m = book.metadata;
  const others = Object.entries(ROLE_LABEL)
    .map(([role, key]) => [key, creatorsLine(book, role)] as const)
    .filter(([, names]) => names !== '')
    .map(([key, names]) => h('p.contributors', label(book, key, { names })));
  return h('section.title-page', { role: 'doc-titlepage' }, [
    h('h1.book-title', m.title),
    m.subtitle ? h('p.book-subtitle', m.subtitle) : null,
    creatorsLine(book) ? h('p.book-author', creatorsLine(book)) : null,
    ...others,
    m.publisher ? h('p.book-publisher', m.publisher) : null,
  ]);
}

export function copyrightPage(book: Book): Element {
  const m = book.metadata;
  const id = m.identifier;
  const date = (iso: string) => formatDate(iso, m.language);
  const edition = m.edition
    ? m.edition.date
      ? label(book, 'edition-dated', { version: m.edition.version, date: date(m.edition.date) })
      : label(book, 'edition', { version: m.edition.version })
    : undefined;
  // The source URL is a link inside its label, wherever the language puts it.
  const source = m.source
    ? labelParts(book.labels.source, { source: m.source }).map(
        (part): ElementContent => (part.placeholder === 'source' ? h('a', { href: m.source }, part.text) : { type: 'text', value: part.text }),
      )
    : undefined;
  const lines: (Element | null)[] = [
    h('p', m.title + (m.subtitle ? `: ${m.subtitle}` : '')),
    creatorsLine(book) ? h('p', label(book, 'by', { names: creatorsLine(book) })) : null,
    m.date ? h('p', label(book, 'first-published', { date: date(m.date) })) : null,
    m.rights ? h('p.rights', m.rights) : null,
    m.publisher ? h('p', label(book, 'published-by', { publisher: m.publisher })) : null,
    id.kind === 'isbn' ? h('p', `ISBN ${formatIsbn(id.value)}`) : id.kind === 'uri' ? h('p', label(book, 'identifier', { identifier: id.value })) : null,
    source ? h('p', source) : null,
    edition ? h('p.edition', edition) : null,
    h('p.made-with', label(book, 'made-with', { producer: PRODUCER })),
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

export function chapterNotes(chapter: Chapter, book: Book): Element | null {
  if (chapter.footnotes.length === 0) return null;
  return h('section.footnotes', { role: 'doc-endnotes', ariaLabelledBy: `${chapter.id}-notes` }, [
    h('h2.notes-heading', { id: `${chapter.id}-notes` }, label(book, 'notes')),
    notesList(chapter.footnotes, (_note, refId, i) =>
      h(
        'a.backlink',
        {
          href: `#${refId}`,
          role: 'doc-backlink',
          ariaLabel: i > 0 ? label(book, 'back-to-reference-n', { n: String(i + 1) }) : label(book, 'back-to-reference'),
        },
        '↑',
      ),
    ),
  ]);
}
