/**
 * The page geometry and the generated @page rules. Chromium has no string-set, no target-counter and
 * no `:first` for named pages, so each chapter gets its own named page (`ch3`) with its own page
 * counter (`cp3`); a @counter-style maps that counter's value 1 (the chapter's opening page) to
 * nothing and every other value to the chapter title. Arabic folios come from a `folio` counter only
 * body pages increment, so the first chapter starts at 1 after roman front matter. Blank pages are
 * real elements on a page named `blank`, which has no margin boxes. All of this was checked in
 * Chromium 156 (see test/pdf.test.ts).
 *
 * A right-to-left book is bound on the right. Chromium makes the first page of an rtl document a
 * left-hand page, so `:left`/`:right` stay physical: the gutter rules below hold for both directions
 * (a left-hand page always has the spine on its right), and only the running heads swap, since the
 * versos (book title) are then the right-hand pages (checked in test/languages.test.ts).
 */
import type { Book } from '../../model/book.ts';

export interface PageGeometry {
  widthPt: number;
  heightPt: number;
  topPt: number;
  bottomPt: number;
  /** Gutter: the margin at the spine, larger than the outside one. */
  insidePt: number;
  outsidePt: number;
  fontSizePt: number;
}

export function pageGeometry(book: Book): PageGeometry {
  const { widthPt, heightPt } = book.metadata.print.trim;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    widthPt,
    heightPt,
    topPt: round(heightPt * 0.085),
    bottomPt: round(heightPt * 0.095),
    insidePt: round(Math.max(54, widthPt * 0.15)),
    outsidePt: round(Math.max(36, widthPt * 0.1)),
    fontSizePt: widthPt <= 400 ? 10 : widthPt <= 468 ? 10.5 : 11,
  };
}

/** The text block: what every element must fit into. */
export function textBlock(g: PageGeometry): { widthPt: number; heightPt: number } {
  return { widthPt: g.widthPt - g.insidePt - g.outsidePt, heightPt: g.heightPt - g.topPt - g.bottomPt };
}

/** A CSS string literal; running heads are author text. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, ' ')}"`;
}

export const chapterPageName = (index: number) => `ch${index + 1}`;

export function pageCss(book: Book, g: PageGeometry): string {
  const block = textBlock(g);
  const pt = (n: number) => `${n}pt`;
  const [verso, recto] = book.metadata.direction === 'rtl' ? ['right', 'left'] : ['left', 'right'];
  const rules = [
    `:root { --block-width: ${pt(block.widthPt)}; --block-height: ${pt(block.heightPt)}; --body-size: ${pt(g.fontSizePt)}; }`,
    `@page { size: ${pt(g.widthPt)} ${pt(g.heightPt)}; margin: ${pt(g.topPt)} ${pt(g.outsidePt)} ${pt(g.bottomPt)} ${pt(g.insidePt)}; }`,
    `@page :left { margin-left: ${pt(g.outsidePt)}; margin-right: ${pt(g.insidePt)}; }`,
    `@page :right { margin-left: ${pt(g.insidePt)}; margin-right: ${pt(g.outsidePt)}; }`,
    // Display pages (half-title, title, copyright) count but show no folio; the contents show roman ones.
    '@page front { @bottom-center { content: counter(page, lower-roman); } }',
    '@page blank { counter-increment: page folio; }',
  ];
  book.chapters.forEach((chapter, i) => {
    const name = chapterPageName(i);
    rules.push(
      `@counter-style rh-${name} { system: fixed 1; symbols: ""; fallback: rh-${name}-on; }`,
      `@counter-style rh-${name}-on { system: cyclic; symbols: ${cssString(chapter.title)}; }`,
      `@page ${name} { counter-increment: page folio cp-${name}; @bottom-center { content: counter(folio); } }`,
      `@page ${name}:${verso} { @top-center { content: ${cssString(book.metadata.title)}; } }`,
      `@page ${name}:${recto} { @top-center { content: counter(cp-${name}, rh-${name}); } }`,
    );
  });
  return rules.join('\n');
}
