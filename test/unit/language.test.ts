import { describe, expect, it } from 'vitest';
import { quotesFor } from '../../src/pipeline/language.ts';
import { smartenText } from '../../src/pipeline/smart-text.ts';

describe('language', () => {
  it('chooses quotation marks by language and region, English when unknown', () => {
    expect(quotesFor('de').openingQuotes.double).toBe('„');
    expect(quotesFor('de-CH').openingQuotes.double).toBe('«');
    expect(quotesFor('pt-BR').openingQuotes.double).toBe('“');
    expect(quotesFor('pt-PT').openingQuotes.double).toBe('«');
    expect(quotesFor('xx').openingQuotes.double).toBe('“');
  });
});

describe('smart-text', () => {
  it('smartens metadata like the Markdown pipeline does', () => {
    expect(smartenText(`The "Compositor's" Guide -- 1850...`, 'en')).toBe('The “Compositor’s” Guide – 1850…');
    expect(smartenText('Ein "Buch"', 'de')).toBe('Ein „Buch“');
  });
});
