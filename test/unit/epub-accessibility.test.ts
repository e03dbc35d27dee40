/**
 * Accessibility claims without a browser: hazards derived from the images, task-list checkboxes named
 * by their item, Ace's EARL report read into violations, and what blocks a conformance claim.
 */
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import type { Book } from '../../src/model/book.ts';
import { accessibilityFacts, accessibilityHazards, accessibilityMetadata, CONFORMANCE } from '../../src/outputs/epub/accessibility.ts';
import { aceViolations } from '../../src/outputs/epub/ace.ts';
import { emptyHeadersAsCells, labelTaskCheckboxes } from '../../src/outputs/epub/xhtml.ts';
import { conformanceBlockers } from '../../src/outputs/epub.ts';
import { PNG_1x1 } from '../helpers/temp-book.ts';

/** A GIF of `frames` 1×1 images: header, screen, a 2-colour table, then one image block per frame. */
function gif(frames: number): Buffer {
  const frame = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00];
  return Buffer.from([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, ...Array.from({ length: frames }, () => frame).flat(), 0x3b]);
}

function bookWith(images: { alt: string }[], accessibility: Book['metadata']['accessibility'] = { conformance: true, certifiedBy: 'A Press' }): Book {
  const hast = { type: 'root' as const, children: images.map((i) => h('p', [h('img', { src: 'images/a.png', alt: i.alt })])) };
  return {
    chapters: [{ id: 'c', title: 'C', source: 'c.md', level: 1, hast, footnotes: [] }],
    metadata: { accessibility },
  } as unknown as Book;
}

describe('hazards', () => {
  it('are none for still images, and flashing unknown (no sound) when an image moves', () => {
    const still = accessibilityFacts(bookWith([{ alt: 'a' }]), {
      images: [
        { href: 'images/a.png', data: PNG_1x1 },
        { href: 'images/b.gif', data: gif(1) },
      ],
    });
    expect(still.animated).toEqual([]);
    expect(accessibilityHazards(still)).toEqual(['none']);
    const moving = accessibilityFacts(bookWith([{ alt: 'a' }]), { images: [{ href: 'images/b.gif', data: gif(2) }] });
    expect(moving.animated).toEqual(['images/b.gif']);
    expect(accessibilityHazards(moving)).toEqual(['unknownFlashingHazard', 'noSoundHazard']);
    expect(accessibilityMetadata(moving).accessibilitySummary).toContain('1 animated image may flash (not measured)');
  });
});

describe('conformance claim', () => {
  it('is stated with its certifier only when given one, and named in the summary', () => {
    const facts = accessibilityFacts(bookWith([{ alt: 'a' }]));
    expect(accessibilityMetadata(facts).conformsTo).toBeUndefined();
    const claimed = accessibilityMetadata(facts, { certifiedBy: 'A Press', checkedWith: 'DAISY Ace 1.4.6' });
    expect(claimed).toMatchObject({ conformsTo: CONFORMANCE, certifiedBy: 'A Press' });
    expect(claimed.accessibilitySummary).toContain('checked with DAISY Ace 1.4.6 (0 violations)');
  });

  it('is blocked by an image without alt text and by nobody to certify it', () => {
    const ok = bookWith([{ alt: 'a' }]);
    expect(conformanceBlockers(ok, accessibilityFacts(ok))).toEqual([]);
    const bare = bookWith([{ alt: 'a' }, { alt: ' ' }]);
    expect(conformanceBlockers(bare, accessibilityFacts(bare))).toEqual(['1 of 2 image(s) have no text alternative']);
    const nobody = bookWith([], { conformance: true });
    expect(conformanceBlockers(nobody, accessibilityFacts(nobody))).toEqual([expect.stringMatching(/^nobody certifies it/)]);
  });
});

describe('task-list checkboxes', () => {
  it('are named by their item’s own words, tight or loose, without a nested list', () => {
    const tight = h('li.task-list-item', [h('input', { type: 'checkbox', checked: true, disabled: true }), ' Write the ', h('em', 'manuscript')]);
    const loose = h('li.task-list-item', [h('p', [h('input', { type: 'checkbox', disabled: true }), ' Proofread']), h('ul', [h('li', 'not this')])]);
    const plain = h('li', ['no box']);
    const tree = h('ul', [tight, loose, plain]);
    labelTaskCheckboxes(tree);
    expect((tight.children[0] as ReturnType<typeof h>).properties.ariaLabel).toBe('Write the manuscript');
    const box = ((loose.children[0] as ReturnType<typeof h>).children[0] as ReturnType<typeof h>).properties;
    expect(box.ariaLabel).toBe('Proofread');
    expect(plain.properties.ariaLabel).toBeUndefined();
  });
});

describe('DAISY Ace report', () => {
  it('gives one violation per failed assertion, with rule, impact and document', () => {
    const report = {
      assertions: [
        { 'earl:testSubject': { url: '/OEBPS/toc.xhtml' }, assertions: [] },
        {
          'earl:testSubject': { url: 'OEBPS/ch-1.xhtml' },
          assertions: [
            {
              'earl:test': { 'dct:title': 'heading-order', 'earl:impact': 'moderate' },
              'earl:result': { 'earl:outcome': 'fail', 'dct:description': 'Heading levels should only increase by one\nmore' },
            },
            { 'earl:test': { 'dct:title': 'label', 'earl:impact': 'critical' }, 'earl:result': { 'earl:outcome': 'pass' } },
          ],
        },
      ],
    };
    expect(aceViolations(report)).toEqual([
      { rule: 'heading-order', impact: 'moderate', file: 'OEBPS/ch-1.xhtml', description: 'Heading levels should only increase by one\nmore' },
    ]);
    expect(aceViolations({})).toEqual([]);
  });
});

describe('empty table headers', () => {
  it('become data cells; a header with text or an image stays a header', () => {
    const table = h('table', [h('thead', [h('tr', [h('th', ' '), h('th', 'T'), h('th', [h('img', { src: 'a.png', alt: 'A' })])])])]);
    emptyHeadersAsCells(table);
    const cells = ((table.children[0] as ReturnType<typeof h>).children[0] as ReturnType<typeof h>).children as ReturnType<typeof h>[];
    expect(cells.map((c) => c.tagName)).toEqual(['td', 'th', 'th']);
  });
});
