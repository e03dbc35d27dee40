/** The font catalogue and selection, without a browser: subsets by name, tables read fast, faces by stack. */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it, vi } from 'vitest';
import { chapterCacheDir } from '../../src/disk-cache.ts';
import { charMap, shippedFaces, shippedPostscriptNames, subsetOf } from '../../src/fonts/catalogue.ts';
import { codePointsOf, facesFor, uncoveredCodePoints } from '../../src/fonts/coverage.ts';
import { fontStackCss } from '../../src/fonts/css.ts';
import { codeStack, textStack } from '../../src/fonts/stacks.ts';
import { openWoff2Tables } from '../../src/fonts/woff2-tables.ts';

const faceOf = (family: string, subset: string, weight = 400) =>
  shippedFaces().find((f) => f.family === family && f.subset === subset && f.weight === weight && f.style === 'normal');
const picked = (text: string, language = 'en', extra: { code?: string; bold?: string } = {}) =>
  facesFor(codePointsOf(text), {
    code: extra.code !== undefined,
    mono: codePointsOf(extra.code ?? ''),
    math: false,
    language,
    bold: codePointsOf(extra.bold ?? ''),
  }).map((f) => `${f.family}/${f.subset}/${f.weight}${f.style === 'italic' ? 'i' : ''}`);

describe('font catalogue', () => {
  it('names subsets after the package name, which has hyphens of its own', () => {
    expect(subsetOf('/x/files/source-serif-4-latin-400-normal.woff2', '@fontsource/source-serif-4')).toBe('latin');
    expect(subsetOf('/x/files/jetbrains-mono-latin-ext-700-normal.woff2', '@fontsource/jetbrains-mono')).toBe('latin-ext');
    expect(subsetOf('/x/files/noto-serif-sc-4-400-normal.woff2', '@fontsource/noto-serif-sc')).toBe('4');
    expect(subsetOf('/x/files/source-serif-4-latin-400-italic.woff2', '@fontsource/source-serif-4')).toBe('latin');
    expect(shippedFaces().some((f) => f.family === 'Source Serif 4' && f.subset === 'latin')).toBe(true);
  });

  it('reads character maps and names from WOFF2 tables as fontkit does from the whole file', () => {
    for (const face of [faceOf('Source Serif 4', 'latin'), faceOf('Noto Serif JP', '0'), faceOf('Noto Emoji', '7'), faceOf('Fira Code', 'symbols2')]) {
      const file = face?.file as string;
      const full = fontkit.openSync(file) as fontkit.Font;
      const fast = openWoff2Tables(file);
      expect(fast.postscriptName, file).toBe(full.postscriptName);
      expect(new Set(fast.characterSet), file).toEqual(new Set(full.characterSet));
    }
  });

  it('registers only Fira Code’s box drawing, and knows every shipped face’s PDF name', () => {
    expect(
      new Set(
        shippedFaces()
          .filter((f) => f.family === 'Fira Code')
          .map((f) => f.subset),
      ),
    ).toEqual(new Set(['symbols2']));
    expect(charMap(faceOf('Fira Code', 'symbols2')?.file as string).has(0x251c)).toBe(true);
    const names = shippedPostscriptNames();
    for (const name of [
      'SourceSerif4-Regular',
      'NotoSerifJPExtraLight-Regular',
      'NotoSerifJPExtraLight-Bold',
      'NotoNaskhArabic-Regular',
      'FiraCodeLight-Regular',
      'NotoEmoji-Regular',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('DejaVuSans')).toBe(false);
  });

  it('keeps what it reads from a font file in the disk cache, and reads the file again when the entry is damaged', async () => {
    const file = faceOf('Noto Serif JP', '0')?.file as string;
    const expected = new Set(openWoff2Tables(file).characterSet);
    const dir = chapterCacheDir();
    fs.rmSync(dir, { recursive: true, force: true });
    const fresh = async () => {
      // A new process's view: nothing in memory.
      vi.resetModules();
      return (await import('../../src/fonts/catalogue.ts')).charMap;
    };
    expect(await (await fresh())(file)).toEqual(expected);
    const entries = fs.readdirSync(dir).filter((n) => n.startsWith('font-'));
    expect(entries).toHaveLength(1);
    const entry = path.join(dir, entries[0] as string);
    const whole = fs.readFileSync(entry, 'utf8');
    const FAKE = '{"postscriptName":"X","ranges":[[65,66]]}';
    // A whole entry is what the next process believes: a changed one shows it was read, not the file.
    fs.writeFileSync(entry, `${whole.replace(/\t\d+\n[\s\S]*$/, '')}\t${FAKE.length}\n${FAKE}`);
    expect(await (await fresh())(file)).toEqual(new Set([65, 66]));
    // Torn (the length does not match): read from the file again, and the entry made whole.
    fs.writeFileSync(entry, whole.slice(0, whole.length - 10));
    expect(await (await fresh())(file)).toEqual(expected);
    expect(fs.readFileSync(entry, 'utf8')).toBe(whole);
  });
});

describe('font stacks and selection', () => {
  it('puts the book’s own CJK face first, symbols before the CJK faces elsewhere', () => {
    expect(textStack('ja')[0]).toBe('Noto Serif JP');
    expect(textStack('zh-Hant')[0]).toBe('Noto Serif SC');
    expect(textStack('en').slice(0, 2)).toEqual(['Source Serif 4', 'Noto Serif']);
    expect(textStack('en').indexOf('Noto Sans Symbols 2')).toBeLessThan(textStack('en').indexOf('Noto Serif SC'));
    expect(codeStack('ja').slice(0, 3)).toEqual(['JetBrains Mono', 'Fira Code', 'Noto Serif JP']);
    expect(fontStackCss('he', 'print')).toMatch(
      /^:root \{ --text-font: 'Source Serif 4', 'Noto Serif', .*'Noto Serif Hebrew'.*'Noto Serif KR'; --code-font: 'JetBrains Mono', 'Fira Code'/,
    );
    expect(fontStackCss('he', 'web')).toContain("'Noto Serif KR', serif;");
    expect(fontStackCss('en', 'epub')).toMatch(/^body \{ font-family: 'Source Serif 4'.*serif; \}\ncode, kbd, samp, pre \{ font-family: 'JetBrains Mono'/);
  });

  it('takes each character from the first family that draws it, as Chromium does', () => {
    // 漢 is drawn by SC and JP alike: the book's language decides.
    expect(picked('Aa漢', 'ja').every((f) => f.startsWith('Noto Serif JP/'))).toBe(true);
    expect(picked('漢', 'en').some((f) => f.startsWith('Noto Serif SC/'))).toBe(true);
    expect(picked('漢', 'en').some((f) => f.startsWith('Noto Serif JP/'))).toBe(false);
    expect(picked('שלום עולם', 'he')).toEqual([
      'Source Serif 4/latin/400',
      'Source Serif 4/latin/400i',
      'Source Serif 4/latin/600',
      'Source Serif 4/latin/700',
      'Source Serif 4/latin/700i',
      'Noto Serif Hebrew/hebrew/400',
    ]);
    expect(picked('★ 😀 →')).toEqual(
      expect.arrayContaining(['Noto Sans Symbols 2/symbols/400', expect.stringMatching(/^Noto Emoji\/\d+\/400$/), 'STIX Two Math/latin/400']),
    );
  });

  it('takes a script’s bold subsets only for its bold characters', () => {
    expect(picked('שלום', 'he', { bold: 'ש' })).toContain('Noto Serif Hebrew/hebrew/700');
    expect(picked('שלום', 'he', { bold: 'Title' })).not.toContain('Noto Serif Hebrew/hebrew/700');
  });

  it('draws box drawing in code with Fira Code, never with a full-width CJK face', () => {
    const faces = picked('本', 'ja', { code: '├── a' });
    expect(faces).toContain('Fira Code/symbols2/400');
    expect(faces).toContain('JetBrains Mono/latin/400');
    // Only the subset with 本, none for the box drawing the JP face also has.
    expect(faces.filter((f) => f.startsWith('Noto Serif JP/') && !f.includes('latin'))).toHaveLength(1);
  });

  it('finds no uncovered character in the issue’s scripts', () => {
    const text = '中文书籍「」 ひらがな 한국어 हिन्दी ภาษาไทย বাংলা עברית العربية 😀 ★ ☞ ✓ → ├──';
    expect(uncoveredCodePoints(codePointsOf(text))).toEqual([]);
    expect(uncoveredCodePoints(codePointsOf('├──'), 'mono')).toEqual([]);
  });
});
