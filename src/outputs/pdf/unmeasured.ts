/**
 * The error for an element the measuring print did not place. Recto openings and contents numbers
 * need the page of every chapter and contents heading; printing a book with guessed numbers would be
 * a wrong book, so the build stops and names the heading, where it was written and what to check.
 */
import path from 'node:path';
import type { Element } from 'hast';
import { type Diagnostic, error } from '../../diagnostics.ts';
import type { Book } from '../../model/book.ts';
import { eachElement } from '../../model/trees.ts';
import { printedTocEntries } from './print-html.ts';

export function unmeasuredError(book: Book, id: string): Diagnostic {
  const hint =
    'A heading must be visible in print to be numbered: look for book CSS that hides it (display: none) or raw HTML around it. If it is visible, report this as a Colophon bug with the heading text.';
  const entry = printedTocEntries(book).find((e) => e.id === id);
  const chapter = book.chapters.find((c) => c.id === (entry?.chapterId ?? id));
  if (!chapter) return error('pdf/unmeasured', `the measuring print did not place the "${id}" block of the front matter`, undefined, hint);
  let line: number | undefined;
  eachElement(chapter.hast, (node: Element) => {
    if (line === undefined && node.properties.id === id) line = node.position?.start.line;
  });
  const title = entry?.title ?? chapter.title;
  return error(
    'pdf/unmeasured-heading',
    `the heading "${title}" (#${id}) is missing from the measuring print, so its page, the recto openings and the contents numbers cannot be known`,
    { file: path.join(book.root, chapter.source), ...(line !== undefined ? { line } : {}) },
    hint,
  );
}
