/**
 * The page builder on hand-made galleys: no browser. A page is 200 px high and a body line 20 px,
 * so a page holds 10 lines; a note line is 15 px and the note separator 10 px.
 */
import { describe, expect, it } from 'vitest';
import { type BuilderOptions, buildPages, type PagePlan, type PlannedPage } from '../../src/outputs/pdf/pages/builder.ts';
import type { Box, Flow, Galley, NoteGalley } from '../../src/outputs/pdf/pages/galley.ts';
import { typographyOf } from '../../src/outputs/pdf/pages/typography.ts';

const LINE = 20;
const PAGE = 200;
const NOTE_LINE = 15;

type Item =
  | { para: number; calls?: Record<number, string[]>; hyphenAt?: number[] }
  | { heading: number; id?: string }
  | { block: number; source?: string }
  | { figure: number; source?: string }
  | { table: number; rowHeight: number; header?: boolean }
  | { gap: number }
  | { keep: number };

/** Lays items out one under the other, as the browser would in the galley. */
function flowOf(items: Item[], id = 'ch'): Flow {
  const boxes: Box[] = [];
  let y = 0;
  let para = 0;
  for (const item of items) {
    if ('gap' in item) {
      y += item.gap;
    } else if ('keep' in item) {
      // A group kept together, such as a stanza (CSS break-inside: avoid): its lines.
      para++;
      boxes.push(
        ...Array.from(
          { length: item.keep },
          (_, line): Box => ({ kind: 'line', top: y + line * LINE, bottom: y + (line + 1) * LINE, para, line, lines: item.keep }),
        ),
      );
      (boxes[boxes.length - item.keep] as Box).keep = item.keep;
      y += item.keep * LINE;
    } else if ('para' in item) {
      para++;
      for (let line = 0; line < item.para; line++) {
        const calls = item.calls?.[line];
        boxes.push({
          kind: 'line',
          top: y,
          bottom: y + LINE,
          para,
          line,
          lines: item.para,
          ...(calls ? { calls } : {}),
          ...(item.hyphenAt?.includes(line) ? { hyphen: true } : {}),
        });
        y += LINE;
      }
    } else if ('heading' in item) {
      boxes.push({ kind: 'heading', top: y, bottom: y + item.heading, level: 2, ...(item.id ? { id: item.id } : {}) });
      y += item.heading;
    } else if ('block' in item) {
      boxes.push({ kind: 'block', top: y, bottom: y + item.block, ...(item.source ? { source: item.source } : {}) });
      y += item.block;
    } else if ('figure' in item) {
      boxes.push({
        kind: 'block',
        top: y,
        bottom: y + item.figure,
        float: { count: 1, height: item.figure, extent: item.figure, gap: 0 },
        ...(item.source ? { source: item.source } : {}),
      });
      y += item.figure;
    } else {
      const header = item.header ? 1 : 0;
      const count = item.table + header;
      const start = boxes.length;
      for (let r = 0; r < count; r++) {
        const isHeader = r < header;
        boxes.push({
          kind: 'row',
          top: y,
          bottom: y + item.rowHeight,
          ...(isHeader ? { keepWithNext: true } : header ? { carry: item.rowHeight } : {}),
        });
        y += item.rowHeight;
      }
      (boxes[start] as Box).float = { count, height: count * item.rowHeight, extent: count * item.rowHeight, gap: 0, table: true };
    }
  }
  return { id, start: 'recto', top: 0, boxes };
}

function note(id: string, lines: number): NoteGalley {
  return { id, top: 0, bottom: lines * NOTE_LINE, lines: Array.from({ length: lines }, (_, i) => ({ top: i * NOTE_LINE, bottom: (i + 1) * NOTE_LINE })) };
}

function galleyOf(flows: Flow[], notes: NoteGalley[] = []): Galley {
  return { pageHeight: PAGE, lineHeight: LINE, noteSeparator: 10, flows, notes: Object.fromEntries(notes.map((n) => [n.id, n])) };
}

function build(items: Item[], notes: NoteGalley[] = [], options: Partial<BuilderOptions> = {}): { plan: PagePlan; galley: Galley } {
  const galley = galleyOf([flowOf(items)], notes);
  return { plan: buildPages(galley, options), galley };
}

/** Lines per page as `para.line` labels, for readable expectations. */
function linesOf(plan: PagePlan, galley: Galley): string[][] {
  return plan.pages.map((page) => {
    const boxes = galley.flows[page.flow]?.boxes ?? [];
    const out: string[] = [];
    for (const f of page.topFloats) out.push(`float@${f}`);
    for (let k = page.from; k < page.to; k++) {
      if (page.deferred.includes(k)) {
        k += (boxes[k]?.float?.count ?? 1) - 1;
        continue;
      }
      const b = boxes[k] as Box;
      out.push(b.kind === 'line' ? `${b.para}.${b.line}` : `${b.kind}@${k}`);
    }
    return out;
  });
}

/** Height a page uses: floats at the top, text, notes. */
function usedHeight(page: PlannedPage): number {
  return page.floatsHeight + page.textHeight + page.notesHeight;
}

describe('page builder: text', () => {
  it('fills pages line by line and ends the flow on a short last page', () => {
    const { plan, galley } = build([{ para: 12 }, { para: 13 }]);
    expect(linesOf(plan, galley).map((p) => p.length)).toEqual([10, 10, 5]);
    expect(plan.pages.map((p) => p.short)).toEqual([0, 0, 100]);
    expect(typographyOf(galley, plan)).toMatchObject({ widows: 0, orphans: 0, offBaseline: 0 });
  });

  it('keeps two lines at the head: no widow', () => {
    // 11 lines: 10 on page 1 would leave the last line alone on page 2.
    const { plan, galley } = build([{ para: 11 }, { para: 1 }]);
    expect(linesOf(plan, galley)).toEqual([
      ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8'],
      ['1.9', '1.10', '2.0'],
    ]);
  });

  it('keeps two lines at the foot: no orphan', () => {
    const { plan, galley } = build([{ para: 9 }, { para: 5 }]);
    expect(linesOf(plan, galley)[0]).toHaveLength(9);
    expect(linesOf(plan, galley)[1]?.[0]).toBe('2.0');
    expect(typographyOf(galley, plan)).toMatchObject({ widows: 0, orphans: 0, offBaseline: 1 });
  });

  it('never leaves a heading at the foot and keeps its next two lines with it', () => {
    const { plan, galley } = build([{ para: 8 }, { heading: LINE, id: 'h' }, { para: 1 }, { para: 4 }]);
    const pages = linesOf(plan, galley);
    expect(pages[0]).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7']);
    expect(pages[1]?.slice(0, 3)).toEqual(['heading@8', '2.0', '3.0']);
    expect(typographyOf(galley, plan).strandedHeadings).toBe(0);
  });

  it('sets a heading at the foot when two lines after it still fit', () => {
    const { plan, galley } = build([{ para: 7 }, { heading: LINE }, { para: 4 }]);
    expect(linesOf(plan, galley)[0]).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', 'heading@7', '2.0', '2.1']);
  });

  it('makes a recto end within a line of its verso', () => {
    // Page 2 (a verso) ends 3 lines short: a 2-line heading and the 2 lines it keeps do not fit
    // under 7 lines. The recto facing it would take 10 lines; it stops at 8 instead.
    const { plan, galley } = build([{ para: 10 }, { para: 7 }, { heading: 2 * LINE }, { para: 30 }]);
    const depths = plan.pages.map((p) => p.textHeight);
    expect(depths.slice(0, 3)).toEqual([10 * LINE, 7 * LINE, 8 * LINE]);
    expect(typographyOf(galley, plan).unbalancedSpreads).toBe(0);
    const free = buildPages(galley, { unbalancedCost: 0 });
    expect(free.pages[2]?.textHeight).toBe(10 * LINE);
    expect(typographyOf(galley, free).unbalancedSpreads).toBe(1);
  });

  it('keeps a group meant to stay together on one page, and splits one taller than a page', () => {
    const fits = build([{ para: 6 }, { keep: 6 }, { para: 10 }]);
    expect(linesOf(fits.plan, fits.galley)[0]).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);
    const tall = build([{ para: 6 }, { keep: 24 }, { para: 10 }]);
    expect(linesOf(tall.plan, tall.galley)[0]).toHaveLength(10);
    expect(tall.plan.warnings).toEqual([]);
  });

  it('counts a hyphen at the foot of a recto', () => {
    const { plan, galley } = build([{ para: 20, hyphenAt: [9] }]);
    expect(linesOf(plan, galley)[0]).toHaveLength(10);
    expect(typographyOf(galley, plan).rectoHyphens).toBe(1);
  });
});

describe('page builder: footnotes', () => {
  it('sets a note that fits at the foot of the page that calls it', () => {
    const { plan } = build([{ para: 20, calls: { 2: ['n1'] } }], [note('n1', 2)]);
    const [first, second] = plan.pages as [PlannedPage, PlannedPage];
    expect(first.notes).toEqual([{ id: 'n1', from: 0, to: 2 }]);
    // 10 (separator) + 30 (two note lines) leave room for 8 text lines.
    expect(first.to - first.from).toBe(8);
    expect(usedHeight(first)).toBeLessThanOrEqual(PAGE);
    expect(second?.notes).toEqual([]);
  });

  it('moves a line that calls a note to the next page when the note does not fit under it', () => {
    // The call is on the 10th line: with its 3-line note page 1 would need 200 + 10 + 45 px.
    const { plan } = build([{ para: 9 }, { para: 6, calls: { 0: ['n1'] } }], [note('n1', 3)]);
    const pageOfCall = plan.pages.findIndex((p) => p.from <= 9 && p.to > 9);
    expect(pageOfCall).toBe(1);
    expect(plan.pages[0]?.to).toBe(9);
    expect(plan.pages[pageOfCall]?.notes.map((n) => n.id)).toEqual(['n1']);
    for (const page of plan.pages) expect(usedHeight(page)).toBeLessThanOrEqual(PAGE + 0.05);
  });

  it('keeps a note with its call on the last line of a page', () => {
    const { plan, galley } = build([{ para: 30, calls: { 7: ['n1'] } }], [note('n1', 1)]);
    const first = plan.pages[0] as PlannedPage;
    // 10 + 15 for the note leave 175 px: 8 lines, the last of which calls the note.
    expect(first.to).toBe(8);
    expect(first.notes).toEqual([{ id: 'n1', from: 0, to: 1 }]);
    expect(galley.flows[0]?.boxes[first.to - 1]?.calls).toEqual(['n1']);
  });

  it('continues a long note at the foot of the next page, never before its first line', () => {
    const { plan } = build([{ para: 30, calls: { 1: ['long'] } }], [note('long', 20)]);
    const [first, second] = plan.pages as [PlannedPage, PlannedPage];
    const part1 = first.notes[0];
    expect(part1?.id).toBe('long');
    expect(part1?.from).toBe(0);
    expect(part1?.to).toBeGreaterThanOrEqual(1);
    expect(part1?.to).toBeLessThan(20);
    expect(second.notes[0]).toEqual({ id: 'long', from: part1?.to, to: expect.any(Number) });
    const placed = plan.pages.flatMap((p) => p.notes.filter((n) => n.id === 'long')).reduce((sum, n) => sum + n.to - n.from, 0);
    expect(placed).toBe(20);
  });

  it('splits only the last note of a page; earlier ones are whole', () => {
    const { plan } = build([{ para: 30, calls: { 2: ['a', 'b'] } }], [note('a', 4), note('b', 12)]);
    const first = plan.pages[0] as PlannedPage;
    expect(first.notes[0]).toEqual({ id: 'a', from: 0, to: 4 });
    expect(first.notes[1]?.id).toBe('b');
    expect(plan.pages[1]?.notes[0]?.id).toBe('b');
  });
});

describe('page builder: tables, figures and oversize boxes', () => {
  it('splits a table taller than a page between rows, repeating the header and never leaving it alone', () => {
    const { plan, galley } = build([{ para: 3 }, { table: 25, rowHeight: LINE, header: true }, { para: 2 }]);
    const pages = linesOf(plan, galley);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // Page 2 starts with a body row, so it carries the repeated header: 9 rows + header = 10 lines.
    expect(pages[1]?.[0]).toMatch(/^row@/);
    expect(pages[1]).toHaveLength(9);
    for (const page of plan.pages) {
      const boxes = galley.flows[0]?.boxes ?? [];
      expect(boxes[page.to - 1]?.keepWithNext, 'header row at the foot').toBeFalsy();
      expect(usedHeight(page), 'the repeated header is part of the text height').toBeLessThanOrEqual(PAGE + 0.05);
    }
  });

  it('scales an image taller than a page, alone on its page, with a warning naming its source', () => {
    const { plan } = build([{ para: 4 }, { block: 300, source: 'chapter.md:12' }, { para: 4 }]);
    const scaled = plan.pages.find((p) => p.scale);
    expect(scaled?.scale?.factor).toBeCloseTo(PAGE / 300);
    // Never larger than what fits, and a number that CSS serialisation keeps (six significant digits).
    expect(scaled?.scale?.factor).toBeLessThanOrEqual(PAGE / 300);
    expect(Number((scaled?.scale?.factor ?? 0).toPrecision(6))).toBe(scaled?.scale?.factor);
    expect(scaled?.to).toBe((scaled?.from ?? 0) + 1);
    expect(plan.warnings).toEqual([expect.objectContaining({ source: 'chapter.md:12', message: expect.stringMatching(/scaled to 67 %/) })]);
  });

  it('moves a figure that does not fit to the top of the next page while the text fills the gap', () => {
    const { plan, galley } = build([{ para: 6 }, { figure: 100 }, { para: 12 }]);
    const pages = linesOf(plan, galley);
    expect(pages[0]).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '2.0', '2.1', '2.2', '2.3']);
    expect(pages[1]?.[0]).toBe('float@6');
    expect(plan.pages[0]?.deferred).toEqual([6]);
  });

  it('keeps the figure in place with floats off, ending the page before it', () => {
    const { plan, galley } = build([{ para: 6 }, { figure: 100 }, { para: 12 }], [], { floats: false });
    const pages = linesOf(plan, galley);
    expect(pages[0]).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);
    expect(pages[1]?.[0]).toBe('block@6');
  });

  it('moves a table that fits on a page as a whole, like a figure', () => {
    const { plan } = build([{ para: 7 }, { table: 5, rowHeight: LINE, header: true }, { para: 8 }]);
    expect(plan.pages[0]?.deferred).toEqual([7]);
    expect(plan.pages[1]?.topFloats).toEqual([7]);
  });

  it('keeps floats in their order', () => {
    const { plan } = build([{ para: 6 }, { figure: 100 }, { para: 2 }, { figure: 20 }, { para: 12 }]);
    const order = plan.pages.flatMap((p) => p.topFloats);
    expect(order).toEqual([6, 9]);
  });
});

describe('page builder: flows', () => {
  it('opens a recto flow on a recto with a blank verso, and a page flow on the next page', () => {
    const flows = [
      flowOf([{ para: 3 }], 'a'),
      { ...flowOf([{ para: 3 }], 'b'), start: 'recto' as const },
      { ...flowOf([{ para: 3 }], 'c'), start: 'page' as const },
    ];
    const plan = buildPages(galleyOf(flows));
    expect(plan.pages.map((p) => (p.blank ? 'blank' : flows[p.flow]?.id))).toEqual(['a', 'blank', 'b', 'c']);
  });

  it('is deterministic', () => {
    const items: Item[] = [{ para: 9 }, { figure: 120 }, { para: 30, calls: { 3: ['n'] } }, { table: 14, rowHeight: 25, header: true }, { para: 5 }];
    const a = build(items, [note('n', 9)]).plan;
    const b = build(items, [note('n', 9)]).plan;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.pages.length).toBeGreaterThan(3);
  });
});
