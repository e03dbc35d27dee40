/** The @font-face rules every output declares for the shipped faces it embeds. */
import type { FontFace } from './catalogue.ts';
import { codeStack, familyList, textStack } from './stacks.ts';

type FaceRule = Pick<FontFace, 'family' | 'style' | 'weight' | 'ranges'>;

/** @font-face rules; `url` decides how each output refers to the file (data: URL, EPUB path, …). */
export function fontFaceCss<F extends FaceRule>(faces: F[], url: (face: F) => string): string {
  return faces
    .map(
      (f) =>
        `@font-face {\n  font-family: '${f.family}';\n  font-style: ${f.style};\n  font-weight: ${f.weight};\n  font-display: swap;\n  src: url(${url(f)}) format('woff2');\n  unicode-range: ${f.ranges.map(([lo, hi]) => (lo === hi ? `U+${hex(lo)}` : `U+${hex(lo)}-${hex(hi)}`)).join(', ')};\n}`,
    )
    .join('\n');
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/**
 * The font stacks for the book's language (stacks.ts) as CSS: the `--text-font` and `--code-font`
 * variables the web and print themes use, or, for the EPUB (whose theme avoids var() for older
 * readers), plain rules. Print ends without a generic family: a character no shipped face has is
 * then reported, not quietly drawn by the machine's default serif.
 */
export function fontStackCss(language: string, output: 'web' | 'print' | 'epub'): string {
  const generic = output !== 'print';
  const text = familyList(textStack(language), generic ? 'serif' : undefined);
  const code = familyList(codeStack(language), generic ? 'monospace' : undefined);
  if (output === 'epub') return `body { font-family: ${text}; }\ncode, kbd, samp, pre { font-family: ${code}; }`;
  return `:root { --text-font: ${text}; --code-font: ${code}; }`;
}
