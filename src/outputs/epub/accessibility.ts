/**
 * Accessibility metadata (EPUB Accessibility 1.1, schema.org terms) derived from what the book
 * actually contains, so every claim is true for this book: alternativeText only when every image has
 * a text alternative, MathML only when there is math, `visual` access mode only when there are images.
 */
import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import type { Book } from '../../model/book.ts';
import { chapterTrees } from '../../model/trees.ts';

export interface AccessibilityFacts {
  images: number;
  imagesWithAlt: number;
  math: boolean;
  tables: boolean;
  hasCover: boolean;
}

/** `hasCover`: whether the EPUB has a cover image, the book's own or one Colophon drew. */
export function accessibilityFacts(book: Book, options: { hasCover?: boolean } = {}): AccessibilityFacts {
  const facts: AccessibilityFacts = { images: 0, imagesWithAlt: 0, math: false, tables: false, hasCover: options.hasCover ?? book.cover !== undefined };
  for (const chapter of book.chapters) {
    for (const tree of chapterTrees(chapter)) {
      visit(tree, 'element', (node: Element) => {
        if (node.tagName === 'img') {
          facts.images++;
          if (String(node.properties.alt ?? '').trim() !== '') facts.imagesWithAlt++;
        }
        if (node.tagName === 'math') facts.math = true;
        if (node.tagName === 'table') facts.tables = true;
      });
    }
  }
  return facts;
}

export interface AccessibilityMetadata {
  accessMode: string[];
  accessModeSufficient: string[];
  accessibilityFeature: string[];
  accessibilityHazard: string[];
  accessibilitySummary: string;
}

export function accessibilityMetadata(facts: AccessibilityFacts): AccessibilityMetadata {
  // The cover page carries an image too, with a text alternative written by Colophon.
  const visual = facts.images > 0 || facts.hasCover;
  const allAlt = facts.imagesWithAlt === facts.images;
  const sufficient = visual ? [...(allAlt ? ['textual'] : []), 'textual,visual'] : ['textual'];
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    // Relative sizes only and no fixed layout: readers' font, size, spacing and colour settings apply.
    'displayTransformability',
    ...(facts.images > 0 && allAlt ? ['alternativeText'] : []),
    ...(facts.math ? ['MathML'] : []),
  ];
  const parts = [
    'The text is structured with headings and has a nested table of contents and landmarks; the reading order follows the printed book.',
    facts.images > 0
      ? allAlt
        ? `All ${facts.images} image${facts.images === 1 ? ' has' : 's have'} a text alternative.`
        : `${facts.images - facts.imagesWithAlt} of ${facts.images} images have no text alternative.`
      : null,
    facts.math ? 'Mathematics is marked up in MathML.' : null,
    'Text size, font and colours can be changed in the reading system. There are no known hazards.',
  ];
  return {
    accessMode: visual ? ['textual', 'visual'] : ['textual'],
    accessModeSufficient: sufficient,
    accessibilityFeature: features,
    accessibilityHazard: ['none'],
    accessibilitySummary: parts.filter(Boolean).join(' '),
  };
}
