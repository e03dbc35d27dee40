import { describe, expect, it } from 'vitest';
import { hyphenatorFor, quotesFor } from '../../src/pipeline/language.ts';
import { smartenText } from '../../src/pipeline/smart-text.ts';

describe('language', () => {
  it('chooses quotation marks by language and region, English when unknown', () => {
    expect(quotesFor('de').openingQuotes.double).toBe('„');
    expect(quotesFor('de-CH').openingQuotes.double).toBe('«');
    expect(quotesFor('pt-BR').openingQuotes.double).toBe('“');
    expect(quotesFor('pt-PT').openingQuotes.double).toBe('«');
    expect(quotesFor('xx').openingQuotes.double).toBe('“');
  });

  it('finds hyphenation patterns for the language or its primary tag, none when there are none', () => {
    // British patterns for en-GB, US ones for plain en (as TeX does).
    expect(hyphenatorFor('en-GB')?.('hyphenation')).toBe('hy\u00adphen\u00ada\u00adtion');
    expect(hyphenatorFor('en')?.('hyphenation')).toBe('hy\u00adphen\u00adation');
    expect(hyphenatorFor('de-AT')?.('Silbentrennung')).toBe(hyphenatorFor('de')?.('Silbentrennung'));
    expect(hyphenatorFor('de')?.('Silbentrennung')).toContain('\u00ad');
    expect(hyphenatorFor('zz')).toBeUndefined();
  });
});

describe('smart-text', () => {
  it('smartens metadata like the Markdown pipeline does', () => {
    expect(smartenText(`The "Compositor's" Guide -- 1850...`, 'en')).toBe('The “Compositor’s” Guide – 1850…');
    expect(smartenText('Ein "Buch"', 'de')).toBe('Ein „Buch“');
  });
});
