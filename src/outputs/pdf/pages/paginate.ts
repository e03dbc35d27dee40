/**
 * Colophon's pagination, end to end, on a loaded print page: the hyphen pass, the galley
 * measurement, the page builder, the furniture and the emission of page boxes (see in-page.ts for
 * what runs in the browser and builder.ts for the rules). Chromium still shapes the lines and paints
 * the pages; Colophon decides where every page breaks, then the page is printed once.
 *
 * The result is data: the plan, the page map (for each page its label and where its text starts
 * and ends, as chapter id + element path + character offset) and the typography report.
 */
import path from 'node:path';
import type { ElementContent, Element as HastElement, Root } from 'hast';
import { ColophonError, type Diagnostic, warning } from '../../../diagnostics.ts';
import type { Book } from '../../../model/book.ts';
import { FRONT_BLOCKS, printedTocEntries } from '../print-html.ts';
import { unmeasuredError } from '../unmeasured.ts';
import { type BuilderOptions, buildPages, type PagePlan } from './builder.ts';
import { firstChapterPage, furnitureCss, furnitureOf, type PageFurniture } from './furniture.ts';
import type { Galley } from './galley.ts';
import { type EmitPlan, type EmitResult, type InPageRef, installPageCode, type MeasureConfig } from './in-page.ts';
import { type Typography, typographyOf } from './typography.ts';

/** Runs an expression in the print page's isolated world and returns its value. */
export type PageEvaluate = (expression: string) => Promise<unknown>;

export interface TextPosition {
  chapter: string;
  /** Element children indexes from the chapter's root down to the block. */
  path: number[];
  /** Characters of that block's text before the position, soft hyphens not counted. */
  offset: number;
}

export interface PageMapEntry {
  /** 0-based page index in the PDF. */
  index: number;
  /** The page label (viewer page number): roman in the front matter, arabic from the first chapter. */
  label: string;
  /** The folio printed on the page, if any. */
  folio?: string;
  blank: boolean;
  /** Flow on the page: a chapter id or a front-matter block (half-title, title-page, copyright, contents). */
  flow?: string;
  /** Where the page's chapter text starts and where the next page's starts (absent at a chapter's end). */
  start?: TextPosition;
  end?: TextPosition;
}

/** What the PDF stage hands the rest of the build. */
export interface PrintedPages {
  pageMap: PageMapEntry[];
  typography: Typography;
  /** 0-based index of the page labelled 1. */
  firstChapterPage: number;
}

export interface PaginationStats {
  softHyphens: number;
  /** Soft hyphens lines broke at, now real hyphens. */
  hyphensKept: number;
  /** Inserted hyphens that no longer ended a line after the rest were removed (taken out again). */
  hyphensDropped: number;
  timings: { installMs: number; hyphensMs: number; measureMs: number; buildMs: number; emitMs: number };
}

export interface Pagination {
  galley: Galley;
  plan: PagePlan;
  furniture: PageFurniture[];
  pageMap: PageMapEntry[];
  typography: Typography;
  firstChapterPage: number;
  /** Page index of every heading id and flow id. */
  pageOf: Map<string, number>;
  /** The page number printed in the contents for each entry, by heading id. */
  tocNumbers: Map<string, string>;
  warnings: Diagnostic[];
  stats: PaginationStats;
}

export function measureConfig(book: Book): MeasureConfig {
  const footnotes = book.metadata.print.notes === 'footnotes';
  const calls: Record<string, string> = {};
  if (footnotes) for (const c of book.chapters) for (const n of c.footnotes) if (n.refIds[0]) calls[n.refIds[0]] = n.id;
  return {
    flows: [
      // The copyright page is the back of the title page; the others open on rectos.
      ...FRONT_BLOCKS.flatMap((id): MeasureConfig['flows'] =>
        id === 'contents'
          ? [
              { id: 'copyright', start: 'page' },
              { id, start: 'recto' },
            ]
          : [{ id, start: 'recto' }],
      ),
      ...book.chapters.map((c, i) => ({
        id: c.id,
        chapter: c.id,
        start: i === 0 || book.metadata.print.chapterStart === 'recto' ? ('recto' as const) : ('page' as const),
      })),
    ],
    notes: footnotes ? book.chapters.flatMap((c) => c.footnotes.map((n) => n.id)) : [],
    calls,
  };
}

export function builderOptions(book: Book): Partial<BuilderOptions> {
  return { floats: book.metadata.print.float === 'auto' };
}

export interface PaginateOptions {
  /** Whether the page boxes of a book of this many pages start hidden (it is printed in parts, from copies: print-parts.ts). */
  hidden?: (pageCount: number) => boolean;
}

export async function paginate(evaluate: PageEvaluate, book: Book, options: PaginateOptions = {}): Promise<Pagination> {
  const timings = { installMs: 0, hyphensMs: 0, measureMs: 0, buildMs: 0, emitMs: 0 };
  const time = async <T>(key: keyof typeof timings, work: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const value = await work();
    timings[key] += performance.now() - t;
    return value;
  };
  // The loader may wrap functions in __name(); the page has no such helper.
  await time('installMs', () => evaluate(`var __name = (f) => f; (${installPageCode.toString()})(); true`));
  const hyphens = (await time('hyphensMs', () => evaluate('colophonPages.hyphens()'))) as { softHyphens: number; used: number };
  const config = measureConfig(book);
  // As a JSON string: DevTools serialises a deep object much more slowly than one string.
  const measured = JSON.parse((await time('measureMs', () => evaluate(`JSON.stringify(colophonPages.measure(${JSON.stringify(config)}))`))) as string) as {
    galley: Galley;
    hyphens: { removedAfterCheck: number };
  };
  const galley = measured.galley;
  nameSources(book, galley);
  const plan = await time('buildMs', () => buildPages(galley, builderOptions(book)));
  const furniture = furnitureOf(book, galley, plan);

  const pageOf = new Map<string, number>();
  for (const page of plan.pages) {
    if (page.blank) continue;
    const flow = galley.flows[page.flow];
    if (!flow) continue;
    if (page.first) pageOf.set(flow.id, page.index);
    for (let k = page.from; k < page.to; k++) {
      const id = flow.boxes[k]?.id;
      if (id && !pageOf.has(id)) pageOf.set(id, page.index);
    }
  }
  const printedIds = new Set(printedTocEntries(book).map((e) => e.id));
  const toc: Record<string, string> = {};
  for (const [id, index] of pageOf) toc[id] = furniture[index]?.label ?? '';
  // A contents entry without a page (hidden by the book's CSS) would print a wrong book: stop.
  for (const entry of printedTocEntries(book)) if (!pageOf.has(entry.id)) throw new ColophonError(unmeasuredError(book, entry.id));

  const emitPlan: EmitPlan = {
    pages: plan.pages.map((p) => ({
      name: furniture[p.index]?.name ?? 'blank',
      blank: p.blank,
      flow: p.flow,
      first: p.first,
      from: p.from,
      to: p.to,
      topFloats: p.topFloats,
      deferred: p.deferred,
      notes: p.notes,
      notesHeight: p.notesHeight,
      stretch: p.stretch,
      ...(p.scale ? { scale: p.scale } : {}),
    })),
    toc,
    css: furnitureCss(furniture),
    ...(options.hidden?.(plan.pages.length) ? { hidden: true } : {}),
  };
  const emitted = JSON.parse((await time('emitMs', () => evaluate(`JSON.stringify(colophonPages.emit(${JSON.stringify(emitPlan)}))`))) as string) as EmitResult;

  const warnings = plan.warnings.map((w) => {
    const flow = galley.flows[w.flow];
    const chapter = book.chapters.find((c) => c.id === flow?.chapter);
    const line = Number(w.source?.split(':').at(-1));
    const location = chapter ? { file: path.join(book.root, chapter.source), ...(line > 0 ? { line } : {}) } : undefined;
    return warning('pdf/pagination', `page ${w.page + 1}: ${w.message}`, location, 'Make it smaller, or split it, so it fits the text block.');
  });

  for (const i of emitted.misplaced) {
    warnings.push(
      warning(
        'pdf/pagination',
        `page ${i + 1}: the page break could not be placed where the page builder put it; text may be missing at the foot of page ${i}`,
      ),
    );
  }
  return {
    galley,
    plan,
    furniture,
    pageMap: pageMapOf(plan, galley, furniture, emitted),
    typography: typographyOf(galley, plan),
    firstChapterPage: firstChapterPage(plan, galley),
    pageOf,
    tocNumbers: new Map(Object.entries(toc).filter(([id]) => printedIds.has(id))),
    warnings,
    stats: {
      softHyphens: hyphens.softHyphens,
      hyphensKept: hyphens.used - measured.hyphens.removedAfterCheck,
      hyphensDropped: measured.hyphens.removedAfterCheck,
      timings,
    },
  };
}

function pageMapOf(plan: PagePlan, galley: Galley, furniture: PageFurniture[], emitted: EmitResult): PageMapEntry[] {
  const at = (i: number): TextPosition | undefined => {
    const start = emitted.starts[i];
    const flow = galley.flows[plan.pages[i]?.flow ?? -1];
    if (!start || !flow?.chapter) return undefined;
    return { chapter: flow.chapter, path: (start.ref as InPageRef).path, offset: start.ref.offset };
  };
  return plan.pages.map((page, i) => {
    const f = furniture[i];
    const flow = galley.flows[page.flow];
    const next = plan.pages[i + 1];
    const start = at(i);
    const end = next && !next.blank && next.flow === page.flow ? at(i + 1) : undefined;
    return {
      index: page.index,
      label: f?.label ?? String(i + 1),
      ...(f?.folio !== undefined ? { folio: f.folio } : {}),
      blank: page.blank,
      ...(page.blank || !flow ? {} : { flow: flow.id }),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
    };
  });
}

/** Unbreakable blocks get `file:line` from the chapter tree, so warnings about them point at the source. */
function nameSources(book: Book, galley: Galley): void {
  const chapters = new Map(book.chapters.map((c) => [c.id, c]));
  for (const flow of galley.flows) {
    const chapter = flow.chapter ? chapters.get(flow.chapter) : undefined;
    if (!chapter) continue;
    for (const box of flow.boxes) {
      if (!box.path) continue;
      let node: HastElement | undefined = nodeAtPath(chapter.hast, box.path);
      // Generated wrappers have no position; the nearest ancestor with one names the line.
      for (let depth = box.path.length - 1; !node?.position && depth > 0; depth--) node = nodeAtPath(chapter.hast, box.path.slice(0, depth));
      if (node?.position) box.source = `${chapter.source}:${node.position.start.line}`;
    }
  }
}

/** The hast node a page-map path points at, for naming a source line. */
export function nodeAtPath(root: Root, pathIndexes: number[]): HastElement | undefined {
  let children: (Root['children'][number] | ElementContent)[] = root.children;
  let node: HastElement | undefined;
  for (const index of pathIndexes) {
    const elements = children.filter((c): c is HastElement => c.type === 'element');
    node = elements[index];
    if (!node) return undefined;
    children = node.children;
  }
  return node;
}
