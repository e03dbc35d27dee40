/**
 * Accessibility metadata (EPUB Accessibility 1.1, schema.org terms) derived from what the book
 * actually contains, so every claim is true for this book: alternativeText only when every image has
 * a text alternative, MathML only when there is math, `visual` access mode only when there are images.
 */
import type { Element } from 'hast';
import isAnimated from 'is-animated';
import type { Book } from '../../model/book.ts';
import { chapterTrees, eachElement } from '../../model/trees.ts';

export interface AccessibilityFacts {
  images: number;
  imagesWithAlt: number;
  math: boolean;
  tables: boolean;
  hasCover: boolean;
  /** Image files that move (animated GIF, APNG, WebP, AVIF), by href: they may flash. */
  animated: string[];
  /** The print edition's page numbers are marked (pagebreaks and a page list). */
  printPages: boolean;
}

/** The EPUB Accessibility 1.1 conformance statement Colophon can make, and only after Ace passed. */
export const CONFORMANCE = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';

export interface Conformance {
  certifiedBy: string;
  /** The checker that passed the very file, e.g. `DAISY Ace 1.4.6`. */
  checkedWith: string;
}

/**
 * `hasCover`: whether the EPUB has a cover image, the book's own or one Colophon drew; `images`: the
 * bytes of the images it carries, to tell the animated ones.
 */
export function accessibilityFacts(
  book: Book,
  options: { hasCover?: boolean; images?: { href: string; data: Uint8Array }[]; printPages?: boolean } = {},
): AccessibilityFacts {
  const animated = (options.images ?? []).filter((i) => movingImage(i.data)).map((i) => i.href);
  const facts: AccessibilityFacts = {
    images: 0,
    imagesWithAlt: 0,
    math: false,
    tables: false,
    hasCover: options.hasCover ?? book.cover !== undefined,
    animated,
    printPages: options.printPages ?? false,
  };
  for (const chapter of book.chapters) {
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
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

/** is-animated reads GIF, PNG, WebP and AVIF headers; an SVG or a file it cannot read is taken as still. */
function movingImage(data: Uint8Array): boolean {
  try {
    return isAnimated(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch {
    return false;
  }
}

export interface AccessibilityMetadata {
  accessMode: string[];
  accessModeSufficient: string[];
  accessibilityFeature: string[];
  accessibilityHazard: string[];
  accessibilitySummary: string;
  conformsTo?: string;
  certifiedBy?: string;
}

/**
 * Hazards as far as the content shows them: no sound or video can be in a Colophon book (the
 * sanitiser removes media), a still image cannot flash, a moving one may: its flashing is unknown
 * (nobody measured its flash rate). Motion simulation is then left unstated rather than claimed
 * either way (DAISY Ace 1.4.6 also only accepts a misspelled `unknownMotionSimultationHazard`).
 */
export function accessibilityHazards(facts: AccessibilityFacts): string[] {
  return facts.animated.length > 0 ? ['unknownFlashingHazard', 'noSoundHazard'] : ['none'];
}

export function accessibilityMetadata(facts: AccessibilityFacts, conformance?: Conformance): AccessibilityMetadata {
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
    ...(facts.printPages ? ['printPageNumbers', 'pageNavigation'] : []),
  ];
  const parts = [
    'The text is structured with headings and has a nested table of contents and landmarks; the reading order follows the printed book.',
    facts.images > 0
      ? allAlt
        ? `All ${facts.images} image${facts.images === 1 ? ' has' : 's have'} a text alternative.`
        : `${facts.images - facts.imagesWithAlt} of ${facts.images} images have no text alternative.`
      : null,
    facts.math ? 'Mathematics is marked up in MathML.' : null,
    facts.printPages ? 'The page numbers of the print edition are marked where each page begins, with a page list.' : null,
    'Text size, font and colours can be changed in the reading system.',
    facts.animated.length > 0
      ? `${facts.animated.length} animated image${facts.animated.length === 1 ? '' : 's'} may flash (not measured); there is no sound.`
      : 'There are no known hazards.',
    conformance ? `The publication meets ${CONFORMANCE}, checked with ${conformance.checkedWith} (0 violations).` : null,
  ];
  return {
    accessMode: visual ? ['textual', 'visual'] : ['textual'],
    accessModeSufficient: sufficient,
    accessibilityFeature: features,
    accessibilityHazard: accessibilityHazards(facts),
    accessibilitySummary: parts.filter(Boolean).join(' '),
    ...(conformance ? { conformsTo: CONFORMANCE, certifiedBy: conformance.certifiedBy } : {}),
  };
}
