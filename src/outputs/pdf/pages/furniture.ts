/**
 * Page furniture: running heads and folios, decided per page now that Colophon knows every page.
 * Each page box gets its own named page (`p12`) whose margin boxes carry literal strings, so no
 * counter or string-set trick is needed (Chromium has no string-set): display pages (half-title,
 * title, copyright) and blank pages show nothing, the contents a lower-roman folio, a chapter's
 * opening page only its folio, versos the book title, rectos the chapter title or, with
 * `print.running-head: section`, the section in force (the first h2 that starts on the page, else
 * the last one before it, else the chapter title).
 */
import type { Book } from '../../../model/book.ts';
import { cssString } from '../page-css.ts';
import { folioOf } from '../pagination.ts';
import type { PagePlan } from './builder.ts';
import type { Galley } from './galley.ts';

export interface PageFurniture {
  /** Named page for the page box. */
  name: string;
  head?: string;
  folio?: string;
  /** The page label a viewer shows (roman before the first chapter, arabic from it). */
  label: string;
}

const DISPLAY_PAGES = new Set(['half-title', 'title-page', 'copyright']);

export function firstChapterPage(plan: PagePlan, galley: Galley): number {
  const page = plan.pages.find((p) => !p.blank && galley.flows[p.flow]?.chapter !== undefined);
  return page ? page.index : plan.pages.length;
}

export function furnitureOf(book: Book, galley: Galley, plan: PagePlan): PageFurniture[] {
  const firstChapter = firstChapterPage(plan, galley);
  const titles = new Map(book.chapters.map((c) => [c.id, c.title]));
  const sectionTitles = new Map<string, string>();
  const walk = (entries: Book['toc']) => {
    for (const e of entries) {
      if (e.depth === 2) sectionTitles.set(e.id, e.title);
      walk(e.children);
    }
  };
  walk(book.toc);
  let section: string | undefined;
  let sectionFlow = -1;
  return plan.pages.map((page) => {
    const label = folioOf(page.index, firstChapter);
    if (page.blank) return { name: 'blank', label };
    const flow = galley.flows[page.flow];
    const name = `p${page.index + 1}`;
    if (!flow || DISPLAY_PAGES.has(flow.id)) return { name, label };
    if (!flow.chapter) return { name, folio: label, label };
    if (sectionFlow !== page.flow) {
      section = undefined;
      sectionFlow = page.flow;
    }
    // The first section heading starting on this page, else the one in force.
    let firstHere: string | undefined;
    for (let k = page.from; k < page.to; k++) {
      const box = flow.boxes[k];
      if (box?.kind === 'heading' && box.level === 2 && box.id && sectionTitles.has(box.id)) {
        firstHere ??= sectionTitles.get(box.id);
        section = sectionTitles.get(box.id);
      }
    }
    if (page.first) return { name, folio: label, label };
    const chapterTitle = titles.get(flow.chapter) ?? '';
    const recto = page.index % 2 === 0;
    const head = !recto ? book.metadata.title : book.metadata.print.runningHead === 'section' ? (firstHere ?? section ?? chapterTitle) : chapterTitle;
    return { name, head, folio: label, label };
  });
}

/** @page rules for the named pages: literal running heads and folios in the margin boxes. */
export function furnitureCss(pages: PageFurniture[]): string {
  const rules: string[] = ['@page blank { }'];
  for (const p of pages) {
    if (p.name === 'blank') continue;
    const boxes = [
      p.head !== undefined ? `@top-center { content: ${cssString(p.head)}; }` : '',
      p.folio !== undefined ? `@bottom-center { content: ${cssString(p.folio)}; }` : '',
    ].join(' ');
    rules.push(`@page ${p.name} { ${boxes} }`);
  }
  return rules.join('\n');
}
