/**
 * Loading a manuscript: find the metadata, validate it, and read every chapter file in order.
 * Two layouts: a folder with book.yaml and chapter files, or one Markdown file whose YAML front matter
 * (or a leading `# Title: …` block, as in many plain-text books) holds the metadata.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ConfigOverrides, type ConfigPositions, type LoadedConfig, parseConfig } from '../config/load-config.ts';
import type { BookConfig } from '../config/schema.ts';
import { ColophonError, type Diagnostic, error, warning } from '../diagnostics.ts';
import { readChapterFile } from './chapter-file.ts';
import { checkChapterLimits } from './limits.ts';
import type { ChapterSource, Manuscript } from './manuscript.ts';
import { loadMdBook, MDBOOK_CONFIG } from './mdbook/load.ts';
import { isPandocFolder, loadPandocFiles, loadPandocFolder, type PandocFiles } from './pandoc.ts';
import { describeRefusal, resolveInside } from './paths.ts';
import { readManuscriptText } from './read-text.ts';
import { readTitleBlock } from './title-block.ts';

export type { ChapterSource, Manuscript, ManuscriptDialect } from './manuscript.ts';

const CONFIG_NAMES = ['book.yaml', 'book.yml'];

/**
 * A manuscript folder (book.yaml, an mdBook project or a Pandoc project), one Markdown file, or the
 * files of a Pandoc command line (a metadata file and chapters).
 */
export interface LoadOptions {
  /** book.yaml keys set from outside the book (a catalogue's per-title overrides). */
  overrides?: ConfigOverrides;
}

export function loadManuscript(target: string | PandocFiles, options: LoadOptions = {}): Manuscript {
  if (typeof target !== 'string') return loadPandocFiles(target);
  const abs = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ColophonError(
      error(
        'manuscript/not-found',
        `no manuscript at ${target}`,
        { file: abs },
        'Pass a folder with book.yaml, or a single .md file; `colophon init <dir>` creates one.',
      ),
    );
  }
  return stat.isDirectory() ? loadFolder(abs, options.overrides) : loadSingleFile(abs, options.overrides);
}

function loadFolder(root: string, overrides: ConfigOverrides | undefined): Manuscript {
  // An mdBook project is read as it is; a book.yaml beside its book.toml only adds to it.
  if (fs.existsSync(path.join(root, MDBOOK_CONFIG))) return loadMdBook(root, overrides);
  if (!CONFIG_NAMES.some((n) => fs.existsSync(path.join(root, n))) && isPandocFolder(root)) return loadPandocFolder(root, overrides);
  const configFile = CONFIG_NAMES.map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  if (!configFile) {
    throw new ColophonError(
      error(
        'manuscript/no-config',
        'the manuscript folder has no book.yaml',
        { file: root },
        'Create book.yaml with at least `title:` (see "Manuscript format" in README.md); an mdBook project needs its book.toml, a Pandoc project its metadata.yaml.',
      ),
    );
  }
  const { config, positions } = parseConfig({ file: configFile, text: readManuscriptText(configFile), ...(overrides ? { overrides } : {}) });
  let names: string[];
  if (config.chapters) {
    names = config.chapters;
  } else {
    names = fs
      .readdirSync(root)
      .filter((n) => n.toLowerCase().endsWith('.md') && n.toLowerCase() !== 'readme.md')
      // Code-unit order, not locale order: the same on every machine.
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  if (names.length === 0) {
    throw new ColophonError(
      error(
        'manuscript/empty',
        'the manuscript has no chapters',
        { file: configFile },
        'Add a Markdown file (e.g. 01-introduction.md) next to book.yaml, or list files under `chapters:`.',
      ),
    );
  }
  const chapters = names.map((name, index) => {
    const resolved = resolveInside(root, root, name);
    if (!resolved.ok) {
      throw new ColophonError(
        error(
          resolved.reason === 'missing' ? 'manuscript/missing-chapter' : 'manuscript/chapter-outside',
          `chapter "${name}" ${describeRefusal(resolved.reason)}`,
          positions.at(`chapters.${index}`),
          resolved.reason === 'missing'
            ? 'Create the file, or fix or remove its entry under `chapters:` in book.yaml.'
            : 'Chapters must be files inside the manuscript folder.',
        ),
      );
    }
    return readChapterFile(root, resolved.path);
  });
  const all = chapters.map((c) => c.text).join('');
  if (all.trim() === '') {
    throw new ColophonError(error('manuscript/empty', 'every chapter file is empty', { file: configFile }, 'Write some Markdown in the chapter files.'));
  }
  const diagnostics = titleBlockOfFolder(chapters[0] as ChapterSource, config, positions);
  return { root, configFile, config, positions, chapters, singleFile: false, ...(diagnostics.length > 0 ? { diagnostics } : {}) };
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

function loadSingleFile(file: string, overrides: ConfigOverrides | undefined): Manuscript {
  const root = path.dirname(file);
  const text = readManuscriptText(file);
  checkChapterLimits(file, text);
  if (text.trim() === '') {
    throw new ColophonError(
      error('manuscript/empty', 'the manuscript file is empty', { file }, 'Write the book in Markdown, starting with YAML front matter holding `title:`.'),
    );
  }
  const fm = FRONT_MATTER.exec(text);
  let loaded: LoadedConfig;
  let body: string;
  if (fm) {
    loaded = parseConfig({ file, text: fm[1] as string, lineOffset: 1, ...(overrides ? { overrides } : {}) });
    // Blank out the front matter instead of cutting it, so that Markdown positions stay true to the file.
    body = fm[0].replace(/[^\n]/g, '') + text.slice(fm[0].length);
  } else {
    const block = readTitleBlock(text);
    if (!block) {
      throw new ColophonError(
        error(
          'manuscript/no-metadata',
          'the manuscript file has no YAML front matter',
          { file, line: 1, column: 1 },
          'Start the file with front matter: a line `---`, then `title: My Book`, then `---`.',
        ),
      );
    }
    loaded = parseConfig({ file, text: block.yaml, lineOffset: 0, ...(overrides ? { overrides } : {}) });
    body = block.body;
  }
  return { root, configFile: file, ...loaded, chapters: [{ path: file, relPath: path.basename(file), text: body }], singleFile: true };
}

/** Keys a title block may give, in the order they are compared with book.yaml. */
const TITLE_BLOCK_KEYS = ['title', 'subtitle', 'author', 'date', 'language', 'publisher', 'rights'] as const;

/**
 * A folder manuscript whose first chapter opens with a title block: the block is metadata there too
 * (its lines leave the chapter), filling in what book.yaml does not say. Where both say something
 * different, book.yaml wins and a warning points at the line of the title block.
 */
function titleBlockOfFolder(first: ChapterSource, config: BookConfig, positions: ConfigPositions): Diagnostic[] {
  const block = readTitleBlock(first.text);
  if (!block) return [];
  const fromBlock = parseConfig({ file: first.path, text: block.yaml }).config;
  first.text = block.body;
  const warnings: Diagnostic[] = [];
  const target = config as Record<string, unknown>;
  for (const key of TITLE_BLOCK_KEYS) {
    const line = block.lines.get(key);
    if (line === undefined) continue;
    const value = (fromBlock as Record<string, unknown>)[key];
    if (!positions.given(key)) {
      target[key] = value;
    } else if (JSON.stringify(target[key]) !== JSON.stringify(value)) {
      warnings.push(
        warning(
          'manuscript/title-block-conflict',
          `the title block says ${key} ${JSON.stringify(value)}, book.yaml says ${JSON.stringify(target[key])}; book.yaml's is used`,
          { file: first.path, line },
          `Make them agree, or remove the line from ${first.relPath} (book.yaml is where the metadata lives).`,
        ),
      );
    }
  }
  return warnings;
}
