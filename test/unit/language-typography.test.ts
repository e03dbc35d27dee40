/** Language typography on text: French no-break spaces, numbers and units, CJK quotes, region quotes. */
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { quotePairer } from '../../src/pipeline/cjk-quotes.ts';
import { quotesFor } from '../../src/pipeline/language.ts';
import { createTransformer } from '../../src/pipeline/processor.ts';
import { smartenText } from '../../src/pipeline/smart-text.ts';
import { bindUnits, frenchSpaces } from '../../src/pipeline/spacing.ts';

const N = '\u202f';
const NB = '\u00a0';

/** Markdown → HTML through the real pipeline, for one language. */
function html(markdown: string, language: string, frenchSpacing = true): string {
  const t = createTransformer({ language, frenchSpacing, math: 'dollars' });
  return toHtml(t.runSync(t.parse(markdown)) as never);
}

describe('French spacing', () => {
  it('puts a narrow no-break space inside guillemets and before ; : ! ?, replacing a typed space', () => {
    expect(frenchSpaces('Il dit : « oui » ; puis ? Non !')).toBe(`Il dit${N}: «${N}oui${N}» ; puis${N}? Non${N}!`.replace(' ;', `${N};`));
    expect(frenchSpaces('«oui»')).toBe(`«${N}oui${N}»`);
  });

  it('adds none where no space was typed before ; : ! ? (a URL, a time, ?!)', () => {
    expect(frenchSpaces('http://x.fr 12:30 Quoi?!')).toBe('http://x.fr 12:30 Quoi?!');
  });

  it('sees across emphasis and leaves code alone, through the pipeline', () => {
    expect(html('Il dit "*bonjour*" ! `a ; b` fin ?', 'fr')).toBe(`<p>Il dit «${N}<em>bonjour</em>${N}»${N}! <code>a ; b</code> fin${N}?</p>`);
  });

  it('is off with french-spacing: false, and only for French', () => {
    expect(html('Quoi ?', 'fr', false)).toBe('<p>Quoi ?</p>');
    expect(html('What ?', 'en')).toBe('<p>What ?</p>');
    expect(smartenText('Un "été" ?', 'fr-CA')).toBe(`Un «${N}été${N}»${N}?`);
  });
});

describe('numbers and units', () => {
  it('never breaks a line between a number and its unit, in any language', () => {
    expect(bindUnits('12 km, 5 %, 20 °C, 3 kg and 4 apples', false)).toBe(`12${NB}km, 5${NB}%, 20${NB}°C, 3${NB}kg and 4 apples`);
    expect(bindUnits('à 5 %', true)).toBe(`à 5${N}%`);
    expect(bindUnits('10 main roads, 2 ms', false)).toBe(`10 main roads, 2${NB}ms`);
  });
});

describe('quotes by language', () => {
  it('pairs straight quotes in order in Chinese, Japanese and Korean, where no space tells open from close', () => {
    expect(html('他说"你好"。她说"再见"。', 'zh')).toBe('<p>他说“你好”。她说“再见”。</p>');
    expect(html("彼は\"はい\"と言った。it's 'x'", 'ja')).toBe('<p>彼は「はい」と言った。it’s 『x』</p>');
    expect(html('그는"안녕"이라고', 'ko')).toBe('<p>그는“안녕”이라고</p>');
  });

  it('leaves full-width punctuation as typed', () => {
    expect(html('「すでに」全角＂引用＂', 'ja')).toBe('<p>「すでに」全角＂引用＂</p>');
    expect(quotePairer(quotesFor('zh'))('“已经”', '', '')).toBe('“已经”');
  });

  it('keeps dashes and ellipses in CJK books', () => {
    expect(html('他说--好...', 'zh')).toBe('<p>他说–好…</p>');
  });

  it('quotes Swiss German with guillemets, German with low-high quotes', () => {
    expect(smartenText('"Grüezi"', 'de-CH')).toBe('«Grüezi»');
    expect(smartenText('"Hallo"', 'de-AT')).toBe('„Hallo“');
  });
});
