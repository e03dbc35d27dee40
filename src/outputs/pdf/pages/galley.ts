/**
 * The galley: what measuring the unpaginated print document hands the page builder. Geometry and
 * a little meaning (which box is a heading, which lines form a paragraph, which line calls which
 * note), no DOM: the builder is pure and is tested on hand-made galleys. All lengths are CSS px in
 * one coordinate system per flow (y grows downwards); only differences matter.
 */

export interface Galley {
  /** Height of the text frame, the page's whole text block. */
  pageHeight: number;
  /** Body line height: the unit of shortness in costs and reports. */
  lineHeight: number;
  /** Height added above the first note on a page: the gap after the text, the rule and the space below it. */
  noteSeparator: number;
  flows: Flow[];
  /** Footnotes by id, each laid out at the note frame's width in the note style. */
  notes: Record<string, NoteGalley>;
}

export interface Flow {
  /** Chapter id, or the front-matter block's id (half-title, title-page, copyright, contents). */
  id: string;
  /** Set for chapters. */
  chapter?: string;
  /** Where the flow's first page falls: a recto (a blank verso is added when needed) or the next page. */
  start: 'recto' | 'page';
  /**
   * Page height for this flow when it is not the galley's (the whole text frame for display pages
   * designed against it, such as the copyright page set at the foot of its page).
   */
  height?: number;
  /** Top of the flow's first page: includes the opening space (a chapter title's sinkage). */
  top: number;
  boxes: Box[];
}

export type BoxKind = 'line' | 'block' | 'heading' | 'row';

export interface Box {
  kind: BoxKind;
  /** The box itself: a line box, or a block's border box. */
  top: number;
  bottom: number;
  /** Top edge a page starting with this box shows (an enclosing element's padding and border). Default: top. */
  before?: number;
  /** Bottom edge a page ending with this box shows (enclosing elements that end here). Default: bottom. */
  after?: number;
  /** Lines: the paragraph they belong to (any number unique in the flow), their index and the paragraph's line count. */
  para?: number;
  line?: number;
  lines?: number;
  /** The line ends in a hyphen: a word broken at the line end. */
  hyphen?: boolean;
  /** Footnote ids called on this line, in order. */
  calls?: string[];
  /** Never end a page after this box (a table's header row). */
  keepWithNext?: boolean;
  /** The first of `keep` boxes to set on one page when they fit on one (break-inside: avoid). */
  keep?: number;
  /** Height a page starting at this box adds above it: the repeated header row of a split table. */
  carry?: number;
  /** This box starts a float group: a figure (one box) or a whole table (its rows), which may move to a later page. */
  float?: FloatGroup;
  /** Heading id (running heads, contents). */
  id?: string;
  /** Heading level 1–6. */
  level?: number;
  /** What a warning about this box names: `file:line`. */
  source?: string;
  /** Unbreakable blocks: element path from the flow's root (child element indexes), for `source`. */
  path?: number[];
}

export interface FloatGroup {
  /** Number of boxes in the group, this one included. */
  count: number;
  /** Border-box height of the element. */
  height: number;
  /** Space the element and its margins take in the text; what the text closes up by when it leaves. */
  extent: number;
  /** Space kept below it when it is placed at the top of a page (its bottom margin). */
  gap: number;
  /** A table: split between rows when taller than a page instead of scaled. */
  table?: boolean;
}

export interface NoteGalley {
  id: string;
  /** Border box of the note (its top includes the space between notes). */
  top: number;
  bottom: number;
  lines: { top: number; bottom: number }[];
}

/** Height of note lines [from, to): the first part keeps the note's top space, a continuation gets the same. */
export function notePartHeight(note: NoteGalley, from: number, to: number): number {
  const first = note.lines[0];
  if (!first || to <= from) return 0;
  const lead = first.top - note.top;
  const start = (note.lines[from] as { top: number }).top;
  const end = to >= note.lines.length ? note.bottom : (note.lines[to - 1] as { bottom: number }).bottom;
  return lead + end - start;
}

export const startOf = (box: Box) => box.before ?? box.top;
export const endOf = (box: Box) => box.after ?? box.bottom;
