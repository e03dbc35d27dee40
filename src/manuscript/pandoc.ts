/**
 * A Pandoc project as its authors keep it: a metadata file (`metadata.yaml`, or the YAML front
 * matter of the first chapter, which wins key by key as it does in Pandoc) and chapter files, or the
 * files of a Pandoc command line (`colophon build --metadata meta.yaml ch1.md ch2.md`). Pandoc's
 * metadata keys become Colophon's; keys Pandoc gives only to its templates (toc, geometry,
 * header-includes…) mean nothing here and are named in a note. Colophon's own keys may be used too.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  type ConfigData,
  type ConfigOverrides,
  mergeConfigData,
  readYamlConfig,
  TOP_LEVEL_KEYS,
  validateConfig,
  withOverrides,
} from '../config/load-config.ts';
import { ColophonError, type Diagnostic, error, note, type SourceLocation, warning } from '../diagnostics.ts';
import { readChapterFile } from './chapter-file.ts';
import type { ChapterSource, Manuscript } from './manuscript.ts';
import { describeRefusal, isInside, resolveInside } from './paths.ts';
import { readManuscriptText } from './read-text.ts';

export const PANDOC_METADATA_NAMES = ['metadata.yaml', 'metadata.yml'];
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

export interface PandocFiles {
  /** Metadata YAML file (Pandoc's --metadata-file), if any. */
  metadata?: string;
  /** Chapter files in reading order. */
  chapters: string[];
}

/** Whether a folder without book.yaml is a Pandoc project: a metadata file, or a first chapter with front matter holding a title. */
export function isPandocFolder(root: string): boolean {
  if (PANDOC_METADATA_NAMES.some((n) => fs.existsSync(path.join(root, n)))) return true;
  const first = folderChapters(root)[0];
  if (!first) return false;
  const fm = FRONT_MATTER.exec(readManuscriptText(first));
  return fm !== null && /^title\s*:/m.test(fm[1] as string);
}

/** `overrides`: book.yaml keys a catalogue sets for this title, over the project's own. */
export function loadPandocFolder(root: string, overrides?: ConfigOverrides): Manuscript {
  const metadata = PANDOC_METADATA_NAMES.map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  return loadPandoc(root, { ...(metadata ? { metadata } : {}), chapters: folderChapters(root) }, true, overrides);
}

/** A Pandoc command line's files; the manuscript folder is the innermost folder holding them all. */
export function loadPandocFiles(files: PandocFiles, cwd = process.cwd()): Manuscript {
  const all = [...(files.metadata ? [files.metadata] : []), ...files.chapters].map((f) => path.resolve(cwd, f));
  for (const file of all) {
    if (!fs.existsSync(file)) {
      throw new ColophonError(error('manuscript/not-found', `no file at ${file}`, { file }, 'Check the file names on the command line.'), 2);
    }
  }
  let root = path.dirname(all[0] as string);
  while (!all.every((f) => isInside(root, f))) root = path.dirname(root);
  const abs = (f: string) => path.resolve(cwd, f);
  return loadPandoc(root, { ...(files.metadata ? { metadata: abs(files.metadata) } : {}), chapters: files.chapters.map(abs) }, false);
}

/** Chapter files of a Pandoc folder: its Markdown files by name (README.md is about the project, not in it), else those of `chapters/`. */
function folderChapters(root: string): string[] {
  const list = (dir: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((n) => /\.(md|markdown)$/i.test(n) && n.toLowerCase() !== 'readme.md')
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
          .map((n) => path.join(dir, n))
      : [];
  const top = list(root);
  return top.length > 0 ? top : list(path.join(root, 'chapters'));
}

function loadPandoc(root: string, files: PandocFiles, folder: boolean, overrides?: ConfigOverrides): Manuscript {
  const diagnostics: Diagnostic[] = [];
  const sources: ConfigData[] = [];
  if (files.metadata) sources.push(readYamlConfig({ file: files.metadata, text: readManuscriptText(files.metadata) }));
  const firstChapter = files.chapters[0];
  if (firstChapter) {
    const fm = FRONT_MATTER.exec(readManuscriptText(firstChapter));
    if (fm) sources.push(readYamlConfig({ file: firstChapter, text: fm[1] as string, lineOffset: 1 }));
  }
  const configFile = files.metadata ?? firstChapter ?? root;
  if (sources.length === 0) {
    throw new ColophonError(
      error(
        'manuscript/no-metadata',
        'no metadata for the book: no metadata file and no YAML front matter in the first chapter',
        { file: firstChapter ?? root },
        'Pass --metadata meta.yaml (with `title:`), or start the first chapter with front matter holding `title:`.',
      ),
      folder ? 1 : 2,
    );
  }
  const mapped = sources.map((s) => fromPandoc(s, diagnostics));
  const merged = mapped.reduce((a, b) => mergeConfigData(a, b));
  const { config, positions } = validateConfig(withOverrides(merged, overrides));

  let chapterFiles = files.chapters;
  if (config.chapters) {
    chapterFiles = config.chapters.map((name, index) => {
      const resolved = resolveInside(root, root, name);
      if (resolved.ok) return resolved.path;
      throw new ColophonError(
        error(
          resolved.reason === 'missing' ? 'manuscript/missing-chapter' : 'manuscript/chapter-outside',
          `chapter "${name}" ${describeRefusal(resolved.reason)}`,
          positions.at(`chapters.${index}`),
          'Chapters must be files inside the manuscript folder.',
        ),
      );
    });
  }
  if (chapterFiles.length === 0) {
    throw new ColophonError(
      error('manuscript/empty', 'the manuscript has no chapters', { file: configFile }, 'Add Markdown chapter files next to the metadata file.'),
    );
  }
  const chapters: ChapterSource[] = chapterFiles.map((file) => readChapterFile(root, file));
  if (chapters.every((c) => c.text.replace(FRONT_MATTER, '').trim() === '')) {
    throw new ColophonError(error('manuscript/empty', 'every chapter file is empty', { file: configFile }, 'Write some Markdown in the chapter files.'));
  }
  return {
    root,
    configFile,
    config,
    positions,
    chapters,
    singleFile: false,
    dialect: 'pandoc',
    diagnostics,
    extraFiles: files.metadata && firstChapter ? [firstChapter].filter((f) => f !== configFile) : [],
    resourceRoots: [root],
  };
}

/** Colophon's own keys (every top-level book.yaml key), which a Pandoc metadata file may also hold. */
const OWN_KEYS: ReadonlySet<string> = new Set(TOP_LEVEL_KEYS);

/** Pandoc's MARC relator codes (EPUB `creator` roles) → Colophon's roles. */
const ROLES: Record<string, string> = { aut: 'author', edt: 'editor', trl: 'translator', ill: 'illustrator', ctb: 'contributor', aui: 'foreword' };

/** Pandoc metadata → book.yaml-shaped data, each key keeping where it was written. */
export function fromPandoc(source: ConfigData, diagnostics: Diagnostic[]): ConfigData {
  const input = (source.data ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || Array.isArray(input)) return source;
  const data: Record<string, unknown> = {};
  const keys = new Map<string, SourceLocation>();
  const values = new Map<string, SourceLocation>([['', source.values.get('') ?? { file: source.file }]]);
  const put = (to: string, from: string, value: unknown) => {
    data[to] = value;
    for (const [map, own] of [
      [keys, source.keys],
      [values, source.values],
    ] as const) {
      const here = own.get(from);
      if (here) map.set(to, here);
      for (const [p, loc] of own) if (p.startsWith(`${from}.`)) map.set(to + p.slice(from.length), loc);
    }
  };
  const ignored: string[] = [];
  const authors: unknown[] = [];
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'title':
        if (Array.isArray(value)) {
          // EPUB-style titles: [{type: main, text: …}, {type: subtitle, text: …}].
          const titles = value.filter((t): t is { type?: string; text?: string } => typeof t === 'object' && t !== null);
          const main = titles.find((t) => t.type === 'main') ?? titles[0];
          const sub = titles.find((t) => t.type === 'subtitle');
          if (main?.text) put('title', key, main.text);
          if (sub?.text && input.subtitle === undefined) put('subtitle', key, sub.text);
        } else put('title', key, value);
        break;
      case 'author':
      case 'creator':
      case 'contributor':
        for (const a of Array.isArray(value) ? value : [value]) authors.push(creatorOf(a, key === 'contributor' ? 'contributor' : 'author'));
        if (!keys.has('author') && source.keys.get(key)) keys.set('author', source.keys.get(key) as SourceLocation);
        if (!values.has('author') && source.values.get(key)) values.set('author', source.values.get(key) as SourceLocation);
        break;
      case 'lang':
        put('language', key, value);
        break;
      case 'date':
        put('date', key, isoDate(value, source.values.get(key) ?? { file: source.file }, diagnostics));
        if (data.date === undefined) delete data.date;
        break;
      case 'identifier':
        put('identifier', key, identifierOf(value));
        break;
      case 'cover-image':
        put('cover', key, value);
        break;
      case 'subject':
        put('subjects', key, value);
        break;
      default:
        if (OWN_KEYS.has(key)) put(key, key, value);
        else ignored.push(key);
    }
  }
  if (authors.length > 0) data.author = authors.filter((a) => a !== undefined);
  if (ignored.length > 0) {
    diagnostics.push(
      note(
        'pandoc/ignored-metadata',
        `Pandoc metadata not used by Colophon: ${ignored.join(', ')}`,
        source.keys.get(ignored[0] as string) ?? { file: source.file },
        'These keys configure Pandoc\'s templates; see "Coming from mdBook / Pandoc" in README.md for what Colophon reads.',
      ),
    );
  }
  return { file: source.file, data, keys, values };
}

function creatorOf(value: unknown, role: string): unknown {
  if (typeof value === 'string') return role === 'author' ? value : { name: value, role };
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  const name = v.name ?? v.text;
  if (typeof name !== 'string') return value;
  const mapped =
    typeof v.role === 'string' ? (ROLES[v.role] ?? (v.role in { author: 1, editor: 1, translator: 1, illustrator: 1 } ? v.role : 'contributor')) : role;
  return { name, role: mapped, ...(typeof v['file-as'] === 'string' ? { 'file-as': v['file-as'] } : {}) };
}

function identifierOf(value: unknown): unknown {
  if (!Array.isArray(value)) return typeof value === 'object' && value !== null ? ((value as { text?: unknown }).text ?? value) : value;
  const items: { scheme?: string; text?: unknown }[] = value.map((v) =>
    typeof v === 'object' && v !== null ? (v as { scheme?: string; text?: unknown }) : { text: v },
  );
  const isbn = items.find((i) => i.scheme?.toUpperCase() === 'ISBN-13' || i.scheme?.toUpperCase() === 'ISBN');
  return (isbn ?? items[0])?.text;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * Pandoc takes any text as a date and prints it as written; Colophon needs ISO 8601 for the EPUB and
 * PDF metadata. ISO dates pass; `March 2020`, `15 March 2020` and `March 15, 2020` are converted; any
 * other text is left out with a warning.
 */
export function isoDate(value: unknown, at: SourceLocation, diagnostics: Diagnostic[]): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value as undefined;
  const text = value.trim();
  if (/^\d{4}(-\d{2}(-\d{2})?)?([T ].*)?$/.test(text)) return text.replace(' ', 'T');
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().replace(/\.$/, '')) && word.length >= 3) + 1;
  let m = /^([A-Za-z]+\.?)\s+(\d{4})$/.exec(text);
  if (m && month(m[1] as string) > 0) return `${m[2]}-${pad(month(m[1] as string))}`;
  m = /^(\d{1,2})\s+([A-Za-z]+\.?)\s+(\d{4})$/.exec(text);
  if (m && month(m[2] as string) > 0) return `${m[3]}-${pad(month(m[2] as string))}-${pad(Number(m[1]))}`;
  m = /^([A-Za-z]+\.?)\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (m && month(m[1] as string) > 0) return `${m[3]}-${pad(month(m[1] as string))}-${pad(Number(m[2]))}`;
  diagnostics.push(
    warning(
      'pandoc/date',
      `date "${text}" is not a date Colophon can read; the book's metadata has no date`,
      at,
      'Write the date as 2020-03-15, 2020-03 or 2020 (ISO 8601), or as "15 March 2020".',
    ),
  );
  return undefined;
}
