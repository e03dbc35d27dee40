/**
 * Raw HTML is allowed in a manuscript but sanitised (rehype-sanitize). Sanitising is silent, so this
 * plugin runs just before it and tells the author what will be removed and where: a book that quietly
 * loses an element is a bug report waiting to happen. Active content (scripts, event handlers, frames,
 * embedded objects, external stylesheets, forms, javascript:/file: URLs) is an error, not a warning: a
 * manuscript from someone else that tries to run code or reach outside itself should stop the build,
 * not ship with the attempt quietly cut out. Presentational leftovers (inline styles, <style>,
 * <noscript>) are removed with a warning.
 */
import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { report } from './messages.ts';

const ACTIVE_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'form', 'frame', 'frameset', 'applet']);
const DROPPED_ELEMENTS = new Set(['style', 'noscript', 'template', 'source']);
const URL_PROPERTIES = ['href', 'src', 'srcSet', 'poster', 'action', 'formAction', 'cite', 'data', 'xLinkHref'];

export const rehypeReportUnsafe: Plugin<[], Root> = () => (tree, file) => {
  visit(tree, 'element', (node: Element, index, parent) => {
    // An image that names a file: or data: URL wants content from outside the manuscript's files: that
    // is an error (the book would silently lose the image), and the element goes before sanitising.
    if (node.tagName === 'img' && typeof node.properties.src === 'string' && /^\s*(file|data|javascript|vbscript):/i.test(node.properties.src)) {
      report(
        file,
        'error',
        'html/unsafe-image',
        `image source "${node.properties.src.slice(0, 60)}" is not a file of the manuscript`,
        node,
        'Copy the image into the manuscript folder and refer to it by a relative path.',
      );
      if (parent && index !== undefined) parent.children.splice(index, 1);
      return index;
    }
    if (ACTIVE_ELEMENTS.has(node.tagName)) {
      report(
        file,
        'error',
        'html/active-content',
        `<${node.tagName}> in raw HTML is not allowed in a book`,
        node,
        'Remove it from the manuscript; books carry no scripts, frames, forms or external resources.',
      );
      return;
    }
    if (DROPPED_ELEMENTS.has(node.tagName)) {
      report(
        file,
        'warning',
        'html/removed-element',
        `<${node.tagName}> in raw HTML is not allowed in a book and was removed`,
        node,
        'Remove it from the manuscript; style the book with a stylesheet listed under `styles:` in book.yaml.',
      );
      return;
    }
    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on[A-Z]/.test(key)) {
        report(
          file,
          'error',
          'html/active-content',
          `event handler "${key.toLowerCase()}" on <${node.tagName}> is not allowed in a book`,
          node,
          'Books run no scripts; remove the attribute.',
        );
      } else if (key === 'style') {
        report(
          file,
          'warning',
          'html/removed-attribute',
          `inline style on <${node.tagName}> was removed`,
          node,
          'Use a class and a rule in a stylesheet listed under `styles:` in book.yaml.',
        );
      } else if (URL_PROPERTIES.includes(key) && typeof value === 'string' && /^\s*(javascript|vbscript|file):/i.test(value)) {
        report(
          file,
          'error',
          'html/active-content',
          `${value.split(':')[0]?.trim()}: URL in ${key} of <${node.tagName}> is not allowed in a book`,
          node,
          'Link to chapters, headings or web addresses; refer to files inside the manuscript folder with relative paths.',
        );
      } else if (URL_PROPERTIES.includes(key) && typeof value === 'string' && /^\s*data:/i.test(value)) {
        report(
          file,
          'warning',
          'html/removed-url',
          `${value.split(':')[0]?.trim()}: URL in ${key} of <${node.tagName}> was removed`,
          node,
          'Refer to files inside the manuscript folder with relative paths.',
        );
      }
    }
  });
};
