/**
 * The typography report: what a reader of the printed pages would notice, counted on the pages
 * as set. Widows (a paragraph's last line alone at the head of a page), orphans (its first line
 * alone at the foot), headings at the foot of a page, a word hyphenated across the turn of a recto
 * (the reader must turn the leaf mid-word), pages whose last line stops above the common baseline
 * (chapter ends and pages with notes at the foot excepted), facing pages whose last lines differ by
 * more than one line, and boxes scaled to fit.
 */
import { depthOf, type PagePlan, type PlannedPage } from './builder.ts';
import type { Box, Galley } from './galley.ts';

export interface Typography {
  pages: number;
  widows: number;
  orphans: number;
  strandedHeadings: number;
  rectoHyphens: number;
  offBaseline: number;
  unbalancedSpreads: number;
  scaled: number;
  /** Pages where a rule gave way because nothing else fitted. */
  brokenRules: number;
}

/** Less than this (px) below the common baseline still counts as on it. */
const BASELINE_TOLERANCE = 0.5;

/** The text boxes of a page in reading order: its range without the floats that moved away. */
function textBoxes(page: PlannedPage, boxes: Box[]): number[] {
  const skip = new Set<number>();
  for (const start of page.deferred) {
    const count = boxes[start]?.float?.count ?? 1;
    for (let k = start; k < start + count; k++) skip.add(k);
  }
  const out: number[] = [];
  for (let k = page.from; k < page.to; k++) if (!skip.has(k)) out.push(k);
  return out;
}

export function typographyOf(galley: Galley, plan: PagePlan): Typography {
  const t: Typography = {
    pages: plan.pages.length,
    widows: 0,
    orphans: 0,
    strandedHeadings: 0,
    rectoHyphens: 0,
    offBaseline: 0,
    unbalancedSpreads: 0,
    scaled: 0,
    brokenRules: 0,
  };
  plan.pages.forEach((page, i) => {
    if (page.blank) return;
    const boxes = galley.flows[page.flow]?.boxes ?? [];
    if (page.scale) t.scaled++;
    if (page.broken) t.brokenRules++;
    const text = textBoxes(page, boxes);
    const firstIndex = text[0];
    const lastIndex = text.at(-1);
    if (firstIndex !== undefined && lastIndex !== undefined) {
      const first = boxes[firstIndex] as Box;
      const last = boxes[lastIndex] as Box;
      const continues = lastIndex + 1 < boxes.length;
      // Lines of a paragraph on this page: from its first line here to its last line here.
      const linesHere = (box: Box) => text.filter((k) => boxes[k]?.para !== undefined && boxes[k]?.para === box.para && boxes[k]?.kind === 'line').length;
      if (last.kind === 'line' && continues && boxes[lastIndex + 1]?.para === last.para && linesHere(last) < 2) t.orphans++;
      if (first.kind === 'line' && firstIndex > 0 && boxes[firstIndex - 1]?.para === first.para && linesHere(first) < 2) t.widows++;
      if (last.kind === 'heading' && continues) t.strandedHeadings++;
      if (last.hyphen && continues && page.index % 2 === 0) t.rectoHyphens++;
    }
    if (!page.last && page.notesHeight === 0 && page.short > BASELINE_TOLERANCE) t.offBaseline++;
    const previous = plan.pages[i - 1];
    if (page.index % 2 === 0 && previous && !previous.blank && previous.flow === page.flow && !page.last) {
      const flow = galley.flows[page.flow];
      if (Math.abs(depthOf(page, galley, flow) - depthOf(previous, galley, flow)) > galley.lineHeight + BASELINE_TOLERANCE) t.unbalancedSpreads++;
    }
  });
  return t;
}

/** The report as a small table: one row per measure, the count right-aligned. */
export function typographyTable(t: Typography, indent = '  '): string {
  const rows: [string, number][] = [
    ['widows', t.widows],
    ['orphans', t.orphans],
    ['headings at a page foot', t.strandedHeadings],
    ['hyphens at a recto foot', t.rectoHyphens],
    ['pages short of the common baseline', t.offBaseline],
    ['facing pages more than a line apart', t.unbalancedSpreads],
    ...(t.scaled > 0 ? ([['blocks scaled to fit a page', t.scaled]] as [string, number][]) : []),
    ...(t.brokenRules > 0 ? ([['pages where a rule gave way', t.brokenRules]] as [string, number][]) : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `${indent}typography of the ${t.pages} printed pages`,
    ...rows.map(([label, n]) => `${indent}  ${label.padEnd(width)}  ${String(n).padStart(5)}`),
  ].join('\n');
}
