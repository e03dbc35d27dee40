/**
 * The book model: the contract between the Markdown pipeline and every output stage, like Pandoc's AST
 * between its readers and writers. Outputs read this and nothing else; none of them parses Markdown.
 * Content is hast (HTML syntax tree); references to images use the asset `href`, never a file path,
 * so each output decides how to package them.
 *
 * model/ holds only this contract and tiny helpers every stage may import (trees.ts, image-types.ts);
 * the book pass that builds a Book from a manuscript is in book-pass/.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Direction } from '../config/direction.ts';
import type { Labels } from '../config/labels.ts';
import type { Creator } from '../config/schema.ts';
import type { PageSize } from '../config/units.ts';
import type { Diagnostic } from '../diagnostics.ts';

export interface BookIdentifier {
  /** `isbn` from book.yaml, `uri` from book.yaml, or `uuid` derived from the metadata (never random). */
  kind: 'isbn' | 'uri' | 'uuid';
  /** Bare ISBN-13 digits, the URI, or the UUID. */
  value: string;
}

export interface PrintSettings {
  trim: PageSize;
  /** Bleed in points on each outer edge; 0 when none. */
  bleedPt: number;
  marks: 'crop' | 'none';
  notes: 'footnotes' | 'endnotes';
  /** Colour model of the print files: `gray` sets text pure black and images grayscale. */
  color: 'gray' | 'cmyk' | 'rgb';
  /** PDF/X flavour of the press file; set in book.yaml, the press file is built with every build. */
  pdfx?: 'x-1a' | 'x-4';
  paper: 'white' | 'cream' | 'color';
  /** Thickness of one page in points (`print.spine-per-page`, else the paper's). */
  pagePt: number;
  /** Pages per signature: the press page count must be a multiple of it. */
  signature: number;
  /** Chapters open on a recto (a blank verso added when needed) or on the next page. */
  chapterStart: 'recto' | 'any';
  /** What a recto's running head shows: the chapter title, or the section (h2) in force on the page. */
  runningHead: 'chapter' | 'section';
  /** Figures and tables that do not fit move to the next page top (`auto`) or stay in place (`none`). */
  float: 'auto' | 'none';
}

export interface BookMetadata {
  title: string;
  subtitle?: string;
  creators: Creator[];
  /** BCP 47, canonicalised (`en-GB`). */
  language: string;
  /** The language's writing direction: `rtl` mirrors every output (config/direction.ts). */
  direction: Direction;
  /** Publication date as written (ISO 8601). */
  date?: string;
  publisher?: string;
  rights?: string;
  identifier: BookIdentifier;
  description?: string;
  subjects: string[];
  source?: string;
  edition?: { version: string; date?: string };
  /**
   * The instant every output stamps as created/modified: SOURCE_DATE_EPOCH, else edition.date, else
   * date, else the Unix epoch. Never the clock, so rebuilds are byte-identical.
   */
  modified: Date;
  print: PrintSettings;
  /**
   * Hyphenate the text (book.yaml `hyphenate`): soft hyphens in the print document only; the EPUB and
   * web editions ask the reader to hyphenate (`hyphens: auto`). The chapter trees never hold
   * hyphenation of Colophon's own, only what the author wrote.
   */
  hyphenate: boolean;
  /**
   * book.yaml `accessibility`: whether the EPUB may claim WCAG 2.2 AA conformance once DAISY Ace has
   * passed it, and who certifies it (`certified-by`, else the publisher; none: no claim).
   */
  accessibility: { conformance: boolean; certifiedBy?: string };
}

export interface Footnote {
  /** Element id of the note (`<chapter>-fn-1`). */
  id: string;
  /** Ids of the references that point to it (several when a note is cited more than once). */
  refIds: string[];
  /** The number shown at the reference. */
  label: string;
  /** The note's content without back-links; outputs add their own. */
  content: ElementContent[];
}

export interface Chapter {
  /** Unique within the book, safe as a file name and an XML id. */
  id: string;
  /** Plain-text title (the manuscript's name for it, else its first heading), for running heads, nav and metadata. */
  title: string;
  /**
   * Set when the manuscript states the book's structure (mdBook's SUMMARY.md) and names the chapter in
   * it: the contents then list chapters only, by those names, nested by `level`.
   */
  structured?: true;
  /** Source file the chapter came from, relative to the manuscript root. */
  source: string;
  /** Nesting in the contents: 1 for a chapter of the book, 2 for a chapter under the one before it, … */
  level: number;
  /** Body content; footnotes are lifted out into `footnotes`. */
  hast: Root;
  footnotes: Footnote[];
}

export interface TocEntry {
  id: string;
  chapterId: string;
  /** 1 for a top-level chapter; a chapter's own sections are one deeper than its level, and so on. */
  depth: number;
  title: string;
  children: TocEntry[];
}

export interface Asset {
  kind: 'image' | 'font' | 'style';
  /** Absolute path of the file to read. */
  sourcePath: string;
  /** Stable, output-neutral name the content refers to (`images/figure-1a2b3c4d.png`). */
  href: string;
  mediaType: string;
  /** Fonts only: what an @font-face rule needs. */
  face?: { family: string; style: 'normal' | 'italic'; weight: number; ranges: [number, number][] };
}

export interface Book {
  /** Absolute manuscript folder. */
  root: string;
  metadata: BookMetadata;
  chapters: Chapter[];
  toc: TocEntry[];
  /**
   * Images referenced by the content and the cover, then the font subsets the book's text needs
   * (shipped @fontsource faces whose unicode-range meets a character of the book).
   */
  assets: Asset[];
  cover?: Asset;
  /** Every element id in the book → the chapter that holds it (EPUB needs it to rewrite `#id` links). */
  anchors: Record<string, string>;
  /** Extra CSS files from book.yaml `styles:`, in order. */
  styles: Asset[];
  /**
   * Every word Colophon adds to the book (title and copyright pages, "Contents", landmarks,
   * aria-labels), as templates in the book's language: its table, then English, under book.yaml's
   * `labels:` (config/labels.ts).
   */
  labels: Labels;
  /** Warnings found while building; errors stop the build instead. */
  diagnostics: Diagnostic[];
}

export type { Element, ElementContent, Root };
