/**
 * Chapter trees → XHTML content documents. EPUB readers parse content as XML, so documents are
 * serialised through xast (hast-util-to-xast + xast-util-to-xml), never with the HTML serialiser:
 * void elements close, attributes are quoted, namespaces are declared.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { toXast } from 'hast-util-to-xast';
import { h } from 'hastscript';
import type { Root as XastRoot } from 'xast';
import { toXml } from 'xast-util-to-xml';
import type { Book, Chapter, Footnote } from '../../model/book.ts';
import { eachElement, SKIP } from '../../model/trees.ts';
import { label } from '../parts.ts';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
export const OPS_NS = 'http://www.idpf.org/2007/ops';
export const CSS_HREF = 'style.css';

export interface XhtmlPage {
  title: string;
  language: string;
  direction: 'ltr' | 'rtl';
  body: ElementContent[];
  /** `epub:type` of the body (`frontmatter`, `bodymatter`, …). */
  bodyType?: string;
  bodyClass?: string;
}

/** A complete XHTML5 document: XML declaration, doctype, `lang` and `xml:lang`, the EPUB namespace. */
export function xhtmlDocument(page: XhtmlPage): string {
  // Line breaks between the structural elements keep the files readable in a diff; they are not content.
  const nl = (): ElementContent => ({ type: 'text', value: '\n' });
  const html = h('html', { lang: page.language, xmlLang: page.language, dir: page.direction }, [
    nl(),
    h('head', [
      nl(),
      h('meta', { charset: 'utf-8' }),
      nl(),
      h('title', page.title),
      nl(),
      h('link', { rel: 'stylesheet', type: 'text/css', href: CSS_HREF }),
      nl(),
    ]),
    nl(),
    h('body', { 'epub:type': page.bodyType, className: page.bodyClass ? [page.bodyClass] : undefined }, [nl(), ...page.body, nl()]),
    nl(),
  ]);
  const xast = toXast({ type: 'root', children: [{ type: 'doctype' }, html] }) as XastRoot;
  const root = xast.children.find((n) => n.type === 'element');
  // hast has no notion of namespace prefixes: declare `epub:` on the root by hand.
  if (root?.type === 'element') root.attributes = { xmlns: XHTML_NS, 'xmlns:epub': OPS_NS, ...root.attributes };
  xast.children.unshift({ type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' }, { type: 'text', value: '\n' });
  xast.children.splice(3, 0, { type: 'text', value: '\n' });
  return `${toXml(xast, { closeEmptyElements: true }).replace(NOT_XML, '\uFFFD')}\n`;
}

/**
 * Characters XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE/U+FFFF, unpaired surrogates):
 * HTML tolerates them, but one makes an XHTML file unreadable to every EPUB reader. Markup never holds
 * them, so they can only come from the text; they become U+FFFD like an HTML parser would make them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface LinkContext {
  /** Element id → the key of the file that holds it: the chapter id (book.anchors), or a part's key. */
  anchors: Record<string, string>;
  /** Chapter id or part key → file name of its content document. */
  fileOf: (key: string) => string;
}

const isExternal = (href: string) => /^[a-z][a-z0-9+.-]*:/i.test(href);

/**
 * The body of one chapter file: its content with links pointing at the right file, then its notes as
 * EPUB footnotes. Works on a copy; the model stays untouched for other outputs.
 */
export function chapterBody(chapter: Chapter, book: Book, links: LinkContext, part?: ChapterPart): ElementContent[] {
  const tree: Root = { type: 'root', children: structuredClone(part ? part.nodes : chapter.hast.children) as Root['children'] };
  // Links are resolved against the file they are in: the chapter's, or one part of a split chapter.
  const here = part?.key ?? chapter.id;
  rewrite(tree, here, links);
  labelTaskCheckboxes(tree);
  emptyHeadersAsCells(tree);
  if (book.metadata.direction === 'rtl') codeLeftToRight(tree);
  const notes = footnoteSection(part ? part.notes : chapter.footnotes, book);
  if (notes) rewrite(notes, here, links);
  // The chapter's id (a link target) is on its first file; later parts are the same chapter, unnamed.
  const first = part === undefined || part.first;
  return [
    h('section', { id: first ? chapter.id : undefined, 'epub:type': 'chapter', role: 'doc-chapter', ariaLabel: chapter.title }, [
      ...(tree.children as ElementContent[]),
    ]),
    ...(notes ? [{ type: 'text' as const, value: '\n' }, notes] : []),
  ];
}

/** One file of a chapter split at its sections (split.ts). */
export interface ChapterPart {
  /** The key of this file in `LinkContext.anchors` values and `fileOf`. */
  key: string;
  first: boolean;
  nodes: ElementContent[];
  notes: Footnote[];
}

function rewrite(tree: Root | Element, chapterId: string, links: LinkContext): void {
  eachElement(tree, (node: Element, index, parent) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const href = node.properties.href;
      if (node.properties.dataFootnoteRef !== undefined) {
        // Apple Books opens a pop-up only for a bare <a epub:type="noteref"> whose sole child is text
        // (pandoc #1995); the model already puts <sup> outside the link.
        delete node.properties.dataFootnoteRef;
        node.properties['epub:type'] = 'noteref';
        node.properties.role = 'doc-noteref';
      }
      if (href.startsWith('#')) {
        // The book pass wrote in-book links as `#` + the id itself (links.ts), in whatever script.
        const id = href.slice(1);
        const target = links.anchors[id];
        if (target !== undefined && target !== chapterId)
          node.properties.href = target === id ? links.fileOf(target) : `${links.fileOf(target)}#${href.slice(1)}`;
      } else if (!isExternal(href) && parent && index !== undefined) {
        // A link to a local file (the model warned about it) cannot work inside the EPUB and would
        // make EPUBCheck report a missing resource: keep its text, drop the link.
        parent.children.splice(index, 1, ...node.children);
        return index;
      }
    }
    // MathML's own text alternative, from KaTeX's TeX annotation, for readers that cannot render math.
    if (node.tagName === 'math' && node.properties.alttext === undefined) {
      let tex: string | undefined;
      eachElement(node, (child: Element) => {
        if (child.tagName === 'annotation' && child.properties.encoding === 'application/x-tex') tex = hastToString(child);
      });
      if (tex) node.properties.alttext = tex.trim();
    }
    // KaTeX wraps its MathML in a <span class="katex">; in EPUB the MathML stands alone (no KaTeX CSS).
    if (node.tagName === 'span' && parent && index !== undefined && isKatexWrapper(node)) {
      parent.children.splice(index, 1, ...node.children);
      return index;
    }
    return undefined;
  });
}

/**
 * Code reads left to right in a right-to-left book. EPUB style sheets may not set `direction` or
 * `unicode-bidi` (EPUBCheck CSS-001), so the web and print themes' rule becomes a `dir` attribute,
 * which on inline code also isolates it from the surrounding text.
 */
function codeLeftToRight(tree: Root): void {
  eachElement(tree, (node: Element) => {
    if (node.tagName === 'pre' || ((node.tagName === 'code' || node.tagName === 'kbd' || node.tagName === 'samp') && node.properties.dir === undefined)) {
      node.properties.dir = 'ltr';
      return node.tagName === 'pre' ? SKIP : undefined;
    }
    return undefined;
  });
}

/**
 * A task list's checkbox gets its item's words as its accessible name: a form control without one is
 * a critical WCAG failure (axe's `label` rule in DAISY Ace), and a screen reader otherwise says only
 * "checkbox, checked". The words are the item's own text, without any list nested in it.
 */
export function labelTaskCheckboxes(tree: Root | Element): void {
  eachElement(tree, (item: Element) => {
    if (item.tagName !== 'li') return;
    const box = item.children.find((c): c is Element => c.type === 'element' && c.tagName === 'input' && c.properties.type === 'checkbox');
    // GFM puts the checkbox first in the item, or first in its first paragraph (a loose list).
    const para = item.children.find((c): c is Element => c.type === 'element' && c.tagName === 'p');
    const input = box ?? para?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'input' && c.properties.type === 'checkbox');
    if (!input || input.properties.ariaLabel !== undefined) return;
    const own: Element = { ...item, children: item.children.filter((c) => !(c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol'))) };
    const words = hastToString(own).replace(/\s+/g, ' ').trim();
    if (words) input.properties.ariaLabel = words;
  });
}

/**
 * An empty header cell (the corner of a Markdown table whose first column heads the rows) is no
 * header: it becomes a data cell, since a header without text is an accessibility failure (axe's
 * `empty-table-header`, reported by DAISY Ace on the Rustonomicon) and announces nothing.
 */
export function emptyHeadersAsCells(tree: Root | Element): void {
  eachElement(tree, (cell: Element) => {
    if (cell.tagName === 'th' && hastToString(cell).trim() === '' && !cell.children.some((c) => c.type === 'element')) cell.tagName = 'td';
  });
}

function isKatexWrapper(node: Element): boolean {
  const cls = node.properties.className;
  return Array.isArray(cls) && cls.includes('katex') && node.children.every((c) => (c.type === 'element' && c.tagName === 'math') || c.type === 'text');
}

/**
 * Notes at the end of the chapter file, one <aside epub:type="footnote"> per note with the id on the
 * aside itself (Kobo follows the link to the element that carries the id, pandoc #9851). Each note
 * starts with its number linked back to the first reference: Kindle and Kobo otherwise run
 * consecutive notes together in the pop-up (pandoc #4491, #8676). Apple Books hides the asides from
 * the reading flow and shows them as pop-ups.
 */
export function footnoteSection(footnotes: Footnote[], book: Book): Element | null {
  if (footnotes.length === 0) return null;
  return h(
    'section',
    { className: ['footnotes'], 'epub:type': 'footnotes', role: 'doc-endnotes', ariaLabel: label(book, 'notes') },
    footnotes.flatMap((note): ElementContent[] => [{ type: 'text', value: '\n' }, footnoteAside(note, book)]).concat({ type: 'text', value: '\n' }),
  );
}

function footnoteAside(note: Footnote, book: Book): Element {
  const [first, ...more] = note.refIds;
  const head: ElementContent[] = [
    first ? h('a', { href: `#${first}`, role: 'doc-backlink', className: ['note-label'] }, note.label) : h('span.note-label', note.label),
    ...more.flatMap((refId, i): ElementContent[] => [
      { type: 'text', value: ' ' },
      h(
        'a',
        { href: `#${refId}`, role: 'doc-backlink', className: ['backlink'], ariaLabel: label(book, 'back-to-reference-n', { n: String(i + 2) }) },
        `↩\uFE0E${i + 2}`,
      ),
    ]),
    { type: 'text', value: ' ' },
  ];
  const content = structuredClone(note.content).filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const start = content[0];
  if (start?.type === 'element' && start.tagName === 'p') start.children.unshift(...head);
  else content.unshift(h('p', head));
  return h('aside', { id: note.id, 'epub:type': 'footnote', role: 'doc-footnote', className: ['footnote'] }, content);
}

/** Which manifest `properties` a content document needs: EPUBCheck checks both directions. */
export function contentProperties(body: ElementContent[]): string[] {
  let svg = false;
  let mathml = false;
  const root: Root = { type: 'root', children: body as Root['children'] };
  eachElement(root, (node: Element) => {
    if (node.tagName === 'svg') svg = true;
    if (node.tagName === 'math') mathml = true;
  });
  return [...(mathml ? ['mathml'] : []), ...(svg ? ['svg'] : [])];
}
