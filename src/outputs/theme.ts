/** The default theme in styles/ (shipped with Colophon) plus a book's own CSS from `styles:` in book.yaml. */
import fs from 'node:fs';
import path from 'node:path';
import type { Book } from '../model/book.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const STYLES_DIR = `${path.join(PACKAGE_ROOT, 'styles')}${path.sep}`;

export function themeCss(...names: string[]): string {
  return names.map((name) => fs.readFileSync(`${STYLES_DIR}${name}`, 'utf8')).join('\n');
}

/** `hyphenate: false`: the EPUB and web themes ask readers to hyphenate; this takes it back. */
export function hyphenationCss(book: Book): string {
  return book.metadata.hyphenate ? '' : 'body { -epub-hyphens: manual; -webkit-hyphens: manual; hyphens: manual; }';
}

export function bookCss(book: Book): string {
  return book.styles.map((s) => fs.readFileSync(s.sourcePath, 'utf8')).join('\n');
}
