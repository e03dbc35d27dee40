/**
 * The web edition: one self-contained HTML file (fonts and images inlined as data: URLs) that works
 * offline, from a USB stick or as an e-mail attachment.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { fontFaceCss, fontStackCss } from '../fonts/css.ts';
import type { Book } from '../model/book.ts';
import { svgForOutput } from '../model/svg-prolog.ts';
import { eachElement } from '../model/trees.ts';
import type { OutputFormat } from './output.ts';
import { type PrintedPage, pageBreakMarker, placePages, withPageBreaks } from './page-breaks.ts';
import { chapterNotes, copyrightPage, creatorsLine, label, PRODUCER, titlePage, tocList } from './parts.ts';
import { RenderedPieces } from './rendered-pieces.ts';
import { bookCss, hyphenationCss, themeCss } from './theme.ts';

function dataUrl(file: string, mediaType: string): string {
  const bytes = fs.readFileSync(file);
  // An SVG's DOCTYPE only names a DTD nobody fetches: the web edition carries the picture without it, as the EPUB does.
  return `data:${mediaType};base64,${Buffer.from(mediaType === 'image/svg+xml' ? svgForOutput(bytes) : bytes).toString('base64')}`;
}

export interface WebDocumentOptions {
  inlineAssets?: boolean;
  pages?: PrintedPage[];
  /**
   * What stands in the document for each chapter's section: by default the section itself. `inputs()`
   * is everything `make` reads, as data (the key of a rendered piece, rendered-pieces.ts).
   */
  chapterSection?: (inputs: () => unknown, make: () => Element) => ElementContent;
}

/** The document as a hast tree, so tests can inspect it and other stages could reuse it. */
export function webDocument(book: Book, options: WebDocumentOptions = {}): Root {
  const inline = options.inlineAssets ?? true;
  const m = book.metadata;
  // The print edition's page numbers as invisible anchors, so `#page-123` finds page 123's words.
  const placement = options.pages ? placePages(options.pages, (id) => book.anchors[id] !== undefined) : undefined;
  const frontMarkers = (flow: string) => (placement?.front.get(flow) ?? []).map((start) => pageBreakMarker(start, false));
  const hrefToData = new Map(book.assets.filter((a) => a.kind === 'image').map((a) => [a.href, inline ? dataUrl(a.sourcePath, a.mediaType) : a.href]));

  const hasImage = book.assets.some((a) => a.kind === 'image');
  // The images' data: URLs stand in a section's key as one hash of them all, made when a key is.
  let images: string | undefined;
  const imagesKey = (): string | null => {
    if (!hasImage) return null;
    images ??= createHash('sha256')
      .update(JSON.stringify([...hrefToData]))
      .digest('base64url');
    return images;
  };
  const section = options.chapterSection ?? ((_inputs, make) => make());
  const chapters = book.chapters.map((chapter) => {
    const starts = placement?.chapters.get(chapter.id);
    const marked = starts ? withPageBreaks(chapter.hast, starts, false) : chapter.hast;
    const inputs = () => [m.language, m.direction, book.labels, imagesKey(), chapter.id, chapter.title, marked, chapter.footnotes];
    return section(inputs, () => {
      // Images get data: URLs on a copy; a book without images (many novels) needs no copies.
      const body = hasImage && !starts ? structuredClone(marked) : marked;
      if (hasImage) {
        eachElement(body, (node: Element) => {
          if (node.tagName === 'img' && typeof node.properties.src === 'string')
            node.properties.src = hrefToData.get(node.properties.src) ?? node.properties.src;
        });
      }
      return h('section.chapter', { id: chapter.id, ariaLabel: chapter.title }, [...(body.children as Element[]), chapterNotes(chapter, book)]);
    });
  });

  const fonts = book.assets.flatMap((a) => (a.face ? [{ ...a.face, asset: a }] : []));
  const css = [
    fontFaceCss(fonts, (f) => (inline ? dataUrl(f.asset.sourcePath, f.asset.mediaType) : f.asset.href)),
    themeCss('base.css', 'code.css', 'web.css'),
    fontStackCss(m.language, 'web'),
    hyphenationCss(book),
    bookCss(book),
  ].join('\n');

  const author = creatorsLine(book);
  return {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: m.language, dir: m.direction }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', m.title),
          author ? h('meta', { name: 'author', content: author }) : null,
          m.description ? h('meta', { name: 'description', content: m.description }) : null,
          h('meta', { name: 'generator', content: PRODUCER }),
          h('style', css),
        ]),
        h('body', [
          h('header.book-header', [...frontMarkers('title-page'), titlePage(book)]),
          h('nav.toc', { ariaLabelledBy: 'toc-heading' }, [
            ...frontMarkers('contents'),
            h('h2', { id: 'toc-heading' }, label(book, 'contents')),
            tocList(book.toc, (e) => `#${e.id}`),
          ]),
          h('main', chapters),
          h('footer.book-footer', [...frontMarkers('copyright'), copyrightPage(book)]),
        ]),
      ]),
    ],
  };
}

export const html: OutputFormat = {
  name: 'html',
  extension: 'html',
  // With the PDF in the same build, its page map gives the invisible `#page-N` anchors.
  after: ['pdf'],
  async render(book, context) {
    const pages = context.results?.print?.pageMap;
    // Chapters serialised in an earlier build come from the disk (rendered-pieces.ts) and stand in
    // the document as raw HTML; nothing else in it is raw (the model's trees are sanitised).
    const pieces = RenderedPieces.open<string>('html', book, context.cache !== false);
    const chapterSection = (inputs: () => unknown, make: () => Element): ElementContent => ({ type: 'raw', value: pieces.piece(inputs, () => toHtml(make())) });
    const text = toHtml(webDocument(book, { chapterSection, ...(pages ? { pages } : {}) }), { allowDangerousHtml: true });
    pieces.save();
    return Buffer.from(`${text}\n`, 'utf8');
  },
};
