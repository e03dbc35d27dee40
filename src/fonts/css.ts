/** The @font-face rules every output declares for the shipped faces it embeds. */
import type { FontFace } from './catalogue.ts';

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
