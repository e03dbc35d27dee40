/**
 * The page builder: a galley in, pages out. Pure and deterministic (no browser, no clock, no
 * randomness), so it is unit-tested on hand-made galleys (test/page-builder.test.ts).
 *
 * The model is TeX's: a flow is a list of boxes (line boxes of paragraphs, unbreakable blocks,
 * table rows) with a possible page break between any two, each break with a penalty (forbidden for
 * a widow, an orphan or a heading left at the foot; a little for a hyphen at the foot) and each page
 * with a badness that grows with the square of the space it leaves empty. Like TeX's page builder it
 * fills one page at a time and ends it at the least costly break that fits (the later one on a
 * tie), so its work is linear in the book's length. On each page:
 *
 * - text height + notes height ≤ page height; each footnote on the page of its call; only the last
 *   note of a page may continue on the next page, under a full-width "continued" rule, and never
 *   before its first line (a call is never separated from the first line of its note);
 * - at least `orphans` lines of a split paragraph at the foot and `widows` at the head;
 * - a heading is never the last box of a page and keeps its next `headingKeep` lines;
 * - a group marked keep-together (CSS break-inside: avoid, such as a stanza) stays on one page when it
 *   fits on one, and splits like any text when it does not;
 * - figures, and tables that fit on one page, that do not fit in the space left move to the top of
 *   the next page (in order) while the text after them fills the gap; with `floats: false` they stay
 *   in place and the page ends before them;
 * - a table taller than a page splits between rows, the header row repeated (the measured `carry`);
 * - a box taller than a page is set alone on its page, scaled to fit, with a warning;
 * - a recto facing a verso of the same flow ends within one line of it when the rules allow
 *   (a cost, not a rule: where nothing else fits, the rules above win).
 * When no break satisfies the rules (a heading followed by a box taller than the space), the page
 * takes the break that fits the most and the page records which rule gave way.
 */
import { type Box, endOf, type Flow, type Galley, notePartHeight, startOf } from './galley.ts';

/**
 * The scale that fits `height` into `room`, rounded down to five decimals: a number CSS keeps
 * exactly when the paginated document is serialised (numbers are written with six significant
 * digits) for the tabs that print a long book's parts (print-parts.ts), so every tab lays it out alike.
 */
export function fitFactor(room: number, height: number): number {
  return Math.floor((room / height) * 1e5) / 1e5;
}

export interface BuilderOptions {
  /** Lines of a split paragraph kept at the foot of a page. */
  orphans: number;
  /** Lines of a split paragraph carried to the head of a page. */
  widows: number;
  /** Lines a heading keeps with it. */
  headingKeep: number;
  /** Move figures and tables that do not fit to the next page (print.float: auto). */
  floats: boolean;
  /** Costs, in the units of badness (100 = a page one line short). */
  hyphenCost: number;
  rectoHyphenCost: number;
  noteSplitCost: number;
  unbalancedCost: number;
}

export const DEFAULT_BUILDER_OPTIONS: BuilderOptions = {
  orphans: 2,
  widows: 2,
  headingKeep: 2,
  floats: true,
  hyphenCost: 10,
  rectoHyphenCost: 50,
  noteSplitCost: 50,
  unbalancedCost: 1000,
};

/** Lines [from, to) of a note on a page; from > 0 is the continuation of a note begun on an earlier page. */
export interface NotePart {
  id: string;
  from: number;
  to: number;
}

export interface PlannedPage {
  /** 0-based page index in the book: even indexes are rectos. */
  index: number;
  /** Index of the flow in galley.flows; a blank page carries the flow it comes before. */
  flow: number;
  blank: boolean;
  /** First and last page of its flow. */
  first: boolean;
  last: boolean;
  /** Boxes [from, to) of the flow set on this page, except the float groups in `deferred`. */
  from: number;
  to: number;
  /** Float groups (index of their first box) set at the top of this page, in order. */
  topFloats: number[];
  /** Float groups inside [from, to) that moved to a later page. */
  deferred: number[];
  notes: NotePart[];
  /** Heights on the page (px): floats at the top, the text, the notes with their separator. */
  floatsHeight: number;
  textHeight: number;
  notesHeight: number;
  /** Page height left empty below the text (0 when notes sit at the foot or the gaps were stretched). */
  short: number;
  /** Vertical justification: space added above these boxes (existing gaps between blocks) so the last line sits on the common baseline. */
  stretch: { box: number; gap: number; extra: number }[];
  /** A box taller than the page, scaled by `factor` to fit (it is alone on the page). */
  scale?: { box: number; factor: number };
  /** A rule that gave way on this page because no break satisfied every rule. */
  broken?: string;
}

export interface BuilderWarning {
  flow: number;
  box: number;
  page: number;
  message: string;
  source?: string;
}

export interface PagePlan {
  pages: PlannedPage[];
  warnings: BuilderWarning[];
}

/** Geometry is measured in 1/64 px; this absorbs rounding when adding measured heights. */
const EPS = 0.05;

interface NoteCarry {
  id: string;
  line: number;
}

interface FlowState {
  box: number;
  /** Float groups waiting for a page, in order. */
  queue: number[];
  carry?: NoteCarry;
}

interface NotesLayout {
  height: number;
  parts: NotePart[];
  next?: NoteCarry;
  split: boolean;
}

interface Candidate {
  to: number;
  /** Gaps between blocks on the page so far (their count), for vertical justification. */
  gaps: number;
  cost: number;
  penalty: number;
  textHeight: number;
  notes: NotesLayout;
  deferred: number;
  scale?: { box: number; factor: number };
}

export function buildPages(galley: Galley, options: Partial<BuilderOptions> = {}): PagePlan {
  const opts = { ...DEFAULT_BUILDER_OPTIONS, ...options };
  const pages: PlannedPage[] = [];
  const warnings: BuilderWarning[] = [];
  galley.flows.forEach((flow, f) => {
    if (flow.start === 'recto' && pages.length % 2 === 1) pages.push(blankPage(pages.length, f));
    const firstPage = pages.length;
    const kept = keptBreaks(flow, flow.height ?? galley.pageHeight);
    let state: FlowState = { box: 0, queue: [] };
    for (;;) {
      const first = pages.length === firstPage;
      if (!first && state.box >= flow.boxes.length && state.queue.length === 0 && !state.carry) break;
      const index = pages.length;
      const previous = pages[index - 1];
      const facing = index % 2 === 0 && previous && !previous.blank && previous.flow === f ? depthOf(previous, galley, flow) : undefined;
      const { page, next } = fillPage(galley, flow, f, state, { index, first, facing }, opts, warnings, kept);
      const progressed = next.box > state.box || page.topFloats.length > 0 || page.notes.length > 0 || first;
      if (!progressed) throw new Error(`page builder: no progress on page ${index + 1} of flow ${flow.id}`);
      pages.push(page);
      state = next;
    }
    const lastPage = pages.at(-1);
    if (lastPage) lastPage.last = true;
  });
  return { pages, warnings };
}

function blankPage(index: number, flow: number): PlannedPage {
  return {
    index,
    flow,
    blank: true,
    first: false,
    last: false,
    from: 0,
    to: 0,
    topFloats: [],
    deferred: [],
    notes: [],
    floatsHeight: 0,
    textHeight: 0,
    notesHeight: 0,
    short: 0,
    stretch: [],
  };
}

/** Where a page's last line ends: the foot when notes are pinned there, else below the text. */
export function depthOf(page: PlannedPage, galley: Galley, flow?: Flow): number {
  return page.notesHeight > 0 ? (flow?.height ?? galley.pageHeight) : page.floatsHeight + page.textHeight;
}

/**
 * TeX's badness: 100 for a page one line short; less when the page's gaps between blocks can stretch
 * to fill it (100 × (short / stretchable)³), so a page with a heading or a scene break ends flush.
 */
function badness(short: number, lineHeight: number, stretchable: number): number {
  if (short <= EPS) return 0;
  const lines = short / lineHeight;
  const unstretched = 100 * lines * lines;
  return stretchable >= short ? Math.min(unstretched, 100 * (short / stretchable) ** 3) : unstretched;
}

/** A gap may grow to twice its natural size. */
const STRETCH = 1;

/** Penalty for ending a page after box k (box k + 1 exists). */
function breakPenalty(boxes: Box[], k: number, sinceHeading: number, recto: boolean, opts: BuilderOptions, kept: Set<number>): number {
  const a = boxes[k] as Box;
  const b = boxes[k + 1] as Box;
  if (a.kind === 'heading' || kept.has(k)) return Number.POSITIVE_INFINITY;
  if (a.kind === 'line' && sinceHeading < opts.headingKeep) return Number.POSITIVE_INFINITY;
  if (a.keepWithNext) return Number.POSITIVE_INFINITY;
  if (a.kind === 'line' && b.kind === 'line' && a.para !== undefined && a.para === b.para) {
    const atFoot = (a.line ?? 0) + 1;
    const atHead = (a.lines ?? atFoot) - atFoot;
    if (atFoot < opts.orphans || atHead < opts.widows) return Number.POSITIVE_INFINITY;
  }
  if (a.hyphen) return recto ? opts.rectoHyphenCost : opts.hyphenCost;
  return 0;
}

/** Breaks (after box k) inside a keep-together group that fits on a page: forbidden. */
function keptBreaks(flow: Flow, height: number): Set<number> {
  const out = new Set<number>();
  flow.boxes.forEach((box, k) => {
    const count = box.keep ?? 0;
    const last = flow.boxes[k + count - 1];
    if (count < 2 || !last || endOf(last) - startOf(box) > height) return;
    for (let j = k; j < k + count - 1; j++) out.add(j);
  });
  return out;
}

function layoutNotes(galley: Galley, carry: NoteCarry | undefined, called: string[], avail: number): NotesLayout | undefined {
  const notes = called.filter((id) => galley.notes[id] !== undefined);
  if (!carry && notes.length === 0) return { height: 0, parts: [], split: false };
  let height = galley.noteSeparator;
  const parts: NotePart[] = [];
  const fitFrom = (id: string, from: number): NotesLayout | undefined => {
    const note = galley.notes[id];
    if (!note) return undefined;
    let to = from;
    while (to < note.lines.length && height + notePartHeight(note, from, to + 1) <= avail + EPS) to++;
    if (to === from) return undefined;
    parts.push({ id, from, to });
    return { height: height + notePartHeight(note, from, to), parts, next: { id, line: to }, split: true };
  };
  if (carry) {
    const note = galley.notes[carry.id];
    if (note) {
      const rest = notePartHeight(note, carry.line, note.lines.length);
      if (height + rest <= avail + EPS) {
        height += rest;
        parts.push({ id: carry.id, from: carry.line, to: note.lines.length });
      } else {
        // A note still running takes the whole note area: no new note may start under it.
        return notes.length === 0 ? fitFrom(carry.id, carry.line) : undefined;
      }
    }
  }
  for (let i = 0; i < notes.length; i++) {
    const id = notes[i] as string;
    const note = galley.notes[id];
    if (!note) continue;
    const full = notePartHeight(note, 0, note.lines.length);
    if (height + full <= avail + EPS) {
      height += full;
      parts.push({ id, from: 0, to: note.lines.length });
      continue;
    }
    // Only the page's last note may continue overleaf, and only after its first line.
    return i === notes.length - 1 ? fitFrom(id, 0) : undefined;
  }
  return { height, parts, split: false };
}

function fillPage(
  galley: Galley,
  flow: Flow,
  flowIndex: number,
  state: FlowState,
  at: { index: number; first: boolean; facing: number | undefined },
  opts: BuilderOptions,
  warnings: BuilderWarning[],
  kept: Set<number>,
): { page: PlannedPage; next: FlowState } {
  const H = flow.height ?? galley.pageHeight;
  const boxes = flow.boxes;
  const n = boxes.length;
  const recto = at.index % 2 === 0;
  const warn = (box: number, message: string) =>
    warnings.push({ flow: flowIndex, box, page: at.index, message, ...(boxes[box]?.source ? { source: boxes[box]?.source as string } : {}) });

  // Floats waiting from earlier pages go first, in order, while they fit.
  const queue = [...state.queue];
  const topFloats: number[] = [];
  let floatsHeight = 0;
  let scale: { box: number; factor: number } | undefined;
  while (queue.length > 0) {
    const group = (boxes[queue[0] as number] as Box).float;
    if (!group) break;
    if (floatsHeight + group.height > H + EPS) {
      if (topFloats.length > 0) break;
      // Taller than a page on its own: it gets a page to itself, scaled down.
      scale = { box: queue[0] as number, factor: fitFactor(H, group.height) };
      warn(
        queue[0] as number,
        `a figure ${(group.height / 96).toFixed(2)} in tall does not fit on a page; it is scaled to ${(scale.factor * 100).toFixed(0)} %`,
      );
      topFloats.push(queue.shift() as number);
      floatsHeight = H;
      break;
    }
    topFloats.push(queue.shift() as number);
    floatsHeight += group.height + group.gap;
  }
  floatsHeight = Math.min(floatsHeight, H);

  const j0 = state.box;
  const startY = at.first ? flow.top : j0 < n ? startOf(boxes[j0] as Box) : 0;
  const carryHeight = at.first || j0 >= n ? 0 : (boxes[j0]?.carry ?? 0);
  const deferredHere: number[] = [];
  const called: string[] = [];
  const candidates: Candidate[] = [];
  let removed = 0;
  let sinceHeading = Number.POSITIVE_INFINITY;
  // Gaps between blocks on the page (not between the lines of a paragraph): where stretch may go.
  const gaps: { box: number; size: number }[] = [];
  let stretchable = 0;
  let previous: number | undefined;
  let removedAtPrevious = 0;

  // A page may hold no text at all: floats only, or the rest of a long note.
  if (scale || topFloats.length > 0 || state.carry) {
    const notes = layoutNotes(galley, state.carry, [], H - floatsHeight);
    if (notes) candidates.push({ to: j0, gaps: 0, cost: 1e6, penalty: 0, textHeight: 0, notes, deferred: 0, ...(scale ? { scale } : {}) });
  }

  for (let k = j0; k < n && !scale; k++) {
    const box = boxes[k] as Box;
    const group = box.float;
    if (group && opts.floats && !(group.table && group.height > H)) {
      const last = k + group.count - 1;
      const hasContent = k > j0 || topFloats.length > 0;
      const textIfKept = endOf(boxes[last] as Box) - startY + carryHeight - removed;
      const notesIfKept = layoutNotes(galley, state.carry, [...called, ...groupCalls(boxes, k, last)], H - floatsHeight - textIfKept);
      const fits = floatsHeight + textIfKept <= H + EPS && notesIfKept !== undefined;
      // Floats keep their order: one that could fit still waits while an earlier one does.
      if (hasContent && (!fits || queue.length > 0 || deferredHere.length > 0)) {
        // Leaves the text, which closes up behind it; it waits for the top of a later page.
        deferredHere.push(k);
        removed += group.extent;
        k = last;
        continue;
      }
    }
    if (previous !== undefined) {
      const before = boxes[previous] as Box;
      const size = startOf(box) - endOf(before) - (removed - removedAtPrevious);
      if (size > 0.5 && !(before.kind === 'line' && box.kind === 'line' && before.para === box.para)) {
        gaps.push({ box: k, size });
        stretchable += size * STRETCH;
      }
    }
    previous = k;
    removedAtPrevious = removed;
    if (box.calls) called.push(...box.calls);
    if (box.kind === 'heading') sinceHeading = 0;
    else if (box.kind === 'line') sinceHeading++;
    else sinceHeading = Number.POSITIVE_INFINITY;

    const textHeight = endOf(box) - startY + carryHeight - removed;
    if (floatsHeight + textHeight > H + EPS) {
      if (k === j0 && candidates.length === 0) {
        if (floatsHeight > 0) break; // the box goes to the next page, after the floats
        const factor = fitFactor(H, textHeight);
        warn(k, `a block ${(textHeight / 96).toFixed(2)} in tall does not fit on a page; it is scaled to ${(factor * 100).toFixed(0)} %`);
        const notes = layoutNotes(galley, state.carry, [], 0) ?? { height: 0, parts: [], split: false };
        candidates.push({ to: k + 1, gaps: 0, cost: 0, penalty: 0, textHeight: H, notes, deferred: deferredHere.length, scale: { box: k, factor } });
      }
      break;
    }
    const isEnd = k === n - 1;
    const notes = layoutNotes(galley, state.carry, called, H - floatsHeight - textHeight);
    if (!notes) {
      if (candidates.length === 0 && k === j0) {
        // Even the first line and its note's first line do not fit: take the line, give up the note rule.
        const fallback = layoutNotes(galley, state.carry, [], H - floatsHeight - textHeight) ?? { height: 0, parts: [], split: false };
        candidates.push({ to: k + 1, gaps: 0, cost: 1e9, penalty: Number.POSITIVE_INFINITY, textHeight, notes: fallback, deferred: deferredHere.length });
      }
      break;
    }
    const penalty = isEnd ? 0 : breakPenalty(boxes, k, sinceHeading, recto, opts, kept);
    const depth = notes.height > 0 ? H : floatsHeight + textHeight;
    let cost = (Number.isFinite(penalty) ? penalty : 1e9) + (notes.split ? opts.noteSplitCost : 0);
    if (!isEnd) {
      cost += badness(H - floatsHeight - textHeight - notes.height, galley.lineHeight, notes.height > 0 ? 0 : stretchable);
      if (at.facing !== undefined && Math.abs(depth - at.facing) > galley.lineHeight + EPS) cost += opts.unbalancedCost;
    }
    candidates.push({ to: k + 1, gaps: gaps.length, cost, penalty, textHeight, notes, deferred: deferredHere.length });
  }

  let best: Candidate | undefined;
  for (const c of candidates) if (!best || c.cost <= best.cost) best = c;
  if (!best) {
    // Nothing fits after the floats: the page holds them alone.
    best = { to: j0, gaps: 0, cost: 0, penalty: 0, textHeight: 0, notes: { height: 0, parts: [], split: false }, deferred: 0 };
  }
  const broken = Number.isFinite(best.penalty) ? undefined : ruleBroken(boxes, best.to - 1, kept);
  if (broken) warn(best.to - 1, `no page break kept every rule here: ${broken}`);
  const deferred = deferredHere.slice(0, best.deferred);
  const used = floatsHeight + best.textHeight + best.notes.height;
  // Vertical justification: a page that is not the flow's last and has no notes at its foot ends on
  // the common baseline when its gaps can take the space left, each in proportion to its size.
  const short = best.notes.height > 0 ? 0 : Math.max(0, H - used);
  const pageGaps = gaps.slice(0, best.gaps);
  const room = pageGaps.reduce((sum, g) => sum + g.size * STRETCH, 0);
  const endsFlow = best.to >= n && queue.length === 0 && best.deferred === 0 && !best.notes.next;
  const stretch = short > EPS && !endsFlow && room >= short ? pageGaps.map((g) => ({ box: g.box, gap: g.size, extra: (short * g.size * STRETCH) / room })) : [];
  const page: PlannedPage = {
    index: at.index,
    flow: flowIndex,
    blank: false,
    first: at.first,
    last: false,
    from: j0,
    to: best.to,
    topFloats,
    deferred,
    notes: best.notes.parts,
    floatsHeight,
    textHeight: best.textHeight,
    notesHeight: best.notes.height,
    short: stretch.length > 0 ? 0 : short,
    stretch,
    ...(best.scale ? { scale: best.scale } : {}),
    ...(broken ? { broken } : {}),
  };
  const next: FlowState = { box: best.to, queue: [...queue, ...deferred] };
  if (best.notes.next) next.carry = best.notes.next;
  return { page, next };
}

function groupCalls(boxes: Box[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let k = from; k <= to; k++) out.push(...(boxes[k]?.calls ?? []));
  return out;
}

function ruleBroken(boxes: Box[], k: number, kept: Set<number>): string {
  const a = boxes[k];
  if (!a) return 'a page with nothing that fits';
  if (kept.has(k)) return 'a block meant to stay on one page (break-inside: avoid) split';
  if (a.kind === 'heading') return 'a heading at the foot of a page';
  if (a.kind === 'line' && boxes[k + 1]?.para === a.para) return 'a widow or orphan line';
  if (a.kind === 'line') return 'a heading kept with too few lines';
  return a.keepWithNext ? 'a table header row at the foot of a page' : 'a page with nothing that fits';
}
