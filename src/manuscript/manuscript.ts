/**
 * What loading a manuscript yields, whatever its layout (Colophon's own, an mdBook project, a Pandoc
 * project): the types alone, so that each layout's loader and the stages after it can share them
 * without importing the loaders.
 */
import type { ConfigPositions } from '../config/load-config.ts';
import type { BookConfig } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics.ts';

export interface ChapterSource {
  /** Absolute path. */
  path: string;
  /** Path relative to the manuscript root, with forward slashes: the chapter's name in links. */
  relPath: string;
  text: string;
  /**
   * Where the chapter sits in the contents: 1 (default) a chapter of the book, 2 a chapter under the
   * level-1 chapter before it (as mdBook's SUMMARY.md nests them), and so on. Every chapter opens with
   * its own h1 whatever its level; the level only nests it in the contents.
   */
  level?: number;
  /** The chapter's name in the manuscript's stated structure (its SUMMARY.md entry): contents, navigation and running heads use it. */
  title?: string;
  /** What the chapter's id is made from when not its path (an mdBook's `src/` is no part of a chapter's name). */
  name?: string;
  /**
   * When `text` is not the file as written (mdBook's {{#include}} expanded): for each line of `text`,
   * the line of the file it stands for, so that messages point into the file the author edits.
   */
  lineMap?: number[];
}

/** The layouts a manuscript may come in: Colophon's own, an mdBook project, a Pandoc project. */
export type ManuscriptDialect = 'colophon' | 'mdbook' | 'pandoc';

export interface Manuscript {
  /** Absolute manuscript folder; every asset must resolve inside it. */
  root: string;
  /** File the metadata came from (book.yaml or the single Markdown file). */
  configFile: string;
  config: BookConfig;
  /** Where each key of the metadata was written (and which were written at all). */
  positions: ConfigPositions;
  chapters: ChapterSource[];
  /** One file holding the whole book, to be split into chapters at `chapter-level`. */
  singleFile: boolean;
  /** Colophon's own layout when not given. */
  dialect?: ManuscriptDialect;
  /** Warnings and notes found while loading (a draft chapter skipped, a preprocessor not run). */
  diagnostics?: Diagnostic[];
  /** Other files the build read (book.toml, SUMMARY.md, included files, Pandoc metadata), absolute. */
  extraFiles?: string[];
  /**
   * The folder chapters' relative links are written against, when not `root` (mdBook's `src/`): a
   * link that leaves it points at the web site around the book, not at a file of the book.
   */
  contentRoot?: string;
  /** mdBook projects: language → prefix of the code lines mdBook hides (book.toml `[output.html.code.hidelines]`). */
  hideLines?: Record<string, string>;
  /** Folders an image's path is also looked up in after its chapter's own (Pandoc resolves from the project folder). */
  resourceRoots?: string[];
}
