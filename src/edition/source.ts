/**
 * The manuscript source of an edition: exactly the files a build reads (book.yaml or the single .md
 * file, chapters, images and cover, stylesheets from `styles:`), found from the book model rather
 * than by listing folders, so notes, drafts and earlier editions lying next to the book stay out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument, Scalar } from 'yaml';
import { readYamlConfig } from '../config/load-config.ts';
import { ColophonError, error } from '../diagnostics.ts';
import type { Manuscript } from '../manuscript/manuscript.ts';
import type { Book } from '../model/book.ts';
import { EDITIONS_DIR, type SourceEntry, toPosix } from './manifest.ts';

export interface SourceFile {
  /** Relative to the manuscript root, with forward slashes. */
  rel: string;
  role: SourceEntry['role'];
}

export function sourceFiles(manuscript: Manuscript, book: Book): SourceFile[] {
  const rel = (abs: string) => toPosix(path.relative(manuscript.root, abs));
  const files = new Map<string, SourceFile>();
  const add = (file: SourceFile) => {
    if (!files.has(file.rel)) files.set(file.rel, file);
  };
  add({ rel: rel(manuscript.configFile), role: manuscript.singleFile ? 'chapter' : 'config' });
  for (const chapter of manuscript.chapters) add({ rel: chapter.relPath, role: 'chapter' });
  // Files an importer read besides: book.toml, SUMMARY.md, {{#include}}d listings, Pandoc metadata.
  for (const file of manuscript.extraFiles ?? [])
    add({ rel: rel(file), role: /\.(toml|ya?ml)$/i.test(file) || path.basename(file) === 'SUMMARY.md' ? 'config' : 'chapter' });
  for (const asset of [...(book.cover ? [book.cover] : []), ...book.assets.filter((a) => a.kind === 'image')])
    add({ rel: rel(asset.sourcePath), role: 'image' });
  for (const style of book.styles) add({ rel: rel(style.sourcePath), role: 'style' });
  const list = [...files.values()];
  // An edition built from files inside editions/ would change when an archive is added or removed.
  const inArchive = list.filter((f) => f.rel === EDITIONS_DIR || f.rel.startsWith(`${EDITIONS_DIR}/`));
  if (inArchive.length > 0) {
    throw new ColophonError(
      inArchive.map((f) =>
        error(
          'edition/source-in-editions',
          `the manuscript uses ${f.rel}, which is inside the ${EDITIONS_DIR}/ archive`,
          { file: path.join(manuscript.root, f.rel) },
          `Move the file out of ${EDITIONS_DIR}/ and point the manuscript at the new place; archived editions are not part of the book.`,
        ),
      ),
    );
  }
  return list;
}

/**
 * The book metadata text with `edition.version` (and `edition.date`) set, comments and layout kept.
 * Unchanged text when they already hold those values, so an edition frozen from a book.yaml that
 * names it archives that file byte for byte.
 */
export function withEdition(yamlText: string, version: string, date: string | undefined): string {
  const doc = parseDocument(yamlText);
  const current = doc.toJS() as { edition?: { version?: unknown; date?: unknown } } | null;
  const sameVersion = current?.edition?.version !== undefined && String(current.edition.version) === version;
  const sameDate = date === undefined || (current?.edition?.date !== undefined && String(current.edition.date) === date);
  if (sameVersion && sameDate) return yamlText;
  if (!isMap(doc.contents)) return yamlText;
  // Quoted, so that `1.0` stays the text "1.0" instead of becoming the number 1.
  const quoted = (text: string) => Object.assign(new Scalar(text), { type: Scalar.QUOTE_DOUBLE });
  doc.setIn(['edition', 'version'], quoted(version));
  if (!sameDate && date !== undefined) doc.setIn(['edition', 'date'], quoted(date));
  return doc.toString({ lineWidth: 0 });
}

const FRONT_MATTER = /^(---[ \t]*\r?\n)([\s\S]*?\r?\n)((?:---|\.\.\.)[ \t]*(?:\r?\n|$))/;

/** Sets the edition in book.yaml, or in a single-file manuscript's front matter. */
export function setEditionInConfigFile(file: string, singleFile: boolean, version: string, date: string | undefined): void {
  const text = fs.readFileSync(file, 'utf8');
  let updated: string;
  if (!singleFile) {
    updated = withEdition(text, version, date);
  } else {
    const fm = FRONT_MATTER.exec(text);
    if (!fm) {
      throw new ColophonError(
        error(
          'edition/no-front-matter',
          'a single-file manuscript needs YAML front matter to record its edition',
          { file, line: 1, column: 1 },
          `Start the file with front matter holding \`edition: {version: "${version}"}\`, or freeze a folder with book.yaml.`,
        ),
      );
    }
    const yaml = withEdition(fm[2] as string, version, date);
    updated = yaml === fm[2] ? text : `${fm[1]}${yaml.endsWith('\n') ? yaml : `${yaml}\n`}${fm[3]}${text.slice(fm[0].length)}`;
  }
  if (updated === text) return;
  fs.writeFileSync(file, updated);
  // The archived file must say what was built. Read back as YAML only: beside an mdBook's book.toml,
  // book.yaml need not hold a title, so it is not a whole book's metadata on its own.
  const { data } = readYamlConfig({ file, text: singleFile ? (FRONT_MATTER.exec(updated)?.[2] ?? '') : updated });
  const edition = (data as { edition?: { version?: unknown; date?: unknown } }).edition;
  if (String(edition?.version) !== version || (date !== undefined && String(edition?.date) !== date)) {
    throw new Error(`unreachable: ${file} does not read back as edition ${version}`);
  }
}

/** Copies the source files into `dest`, keeping their paths; the copies are what gets built. */
export function copySources(root: string, files: SourceFile[], dest: string): void {
  for (const file of files) {
    const to = path.join(dest, ...file.rel.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    // Copy the bytes, not a symlink: the archive must hold the content itself.
    fs.writeFileSync(to, fs.readFileSync(path.join(root, ...file.rel.split('/'))));
  }
}
