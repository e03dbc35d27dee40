/**
 * The shipped typefaces, from @fontsource packages (never the machine's fonts, so every machine prints
 * the same book): Source Serif 4 for text (Latin, Cyrillic, Greek, Vietnamese) and JetBrains Mono for
 * code. Fontsource splits each face into unicode-range subsets; outputs embed only the subsets whose
 * range meets a character the book uses.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface FontFace {
  family: string;
  /** CSS generic role: the text face or the code face. */
  role: 'text' | 'mono';
  style: 'normal' | 'italic';
  weight: number;
  subset: string;
  /** Absolute path of the woff2 file. */
  file: string;
  /** Inclusive code point ranges. */
  ranges: [number, number][];
  /** npm package the file comes from, with version (for edition manifests). */
  packageName: string;
}

interface FamilySpec {
  packageName: string;
  family: string;
  role: FontFace['role'];
  variants: { weight: number; style: FontFace['style'] }[];
}

export const FAMILIES: FamilySpec[] = [
  {
    packageName: '@fontsource/source-serif-4',
    family: 'Source Serif 4',
    role: 'text',
    variants: [
      { weight: 400, style: 'normal' },
      { weight: 400, style: 'italic' },
      { weight: 600, style: 'normal' },
      { weight: 700, style: 'normal' },
      { weight: 700, style: 'italic' },
    ],
  },
  {
    packageName: '@fontsource/jetbrains-mono',
    family: 'JetBrains Mono',
    role: 'mono',
    variants: [
      { weight: 400, style: 'normal' },
      { weight: 700, style: 'normal' },
    ],
  },
];

const FACE_RULE = /@font-face\s*{([^}]*)}/g;

function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const start = Number.parseInt(lo as string, 16);
    return [start, hi ? Number.parseInt(hi, 16) : start];
  });
}

let allFaces: FontFace[] | undefined;

export function shippedFaces(): FontFace[] {
  if (allFaces) return allFaces;
  const faces: FontFace[] = [];
  for (const spec of FAMILIES) {
    const dir = path.dirname(require.resolve(`${spec.packageName}/package.json`));
    for (const variant of spec.variants) {
      const css = fs.readFileSync(path.join(dir, `${variant.weight}${variant.style === 'italic' ? '-italic' : ''}.css`), 'utf8');
      for (const match of css.matchAll(FACE_RULE)) {
        const body = match[1] as string;
        const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(body)?.[1];
        const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
        if (!file || !range) continue;
        const subset = /-(\w[\w-]*?)-\d{3}-(normal|italic)\.woff2$/.exec(file)?.[1] ?? 'unknown';
        faces.push({
          family: spec.family,
          role: spec.role,
          style: variant.style,
          weight: variant.weight,
          subset,
          file: path.join(dir, file),
          ranges: parseRanges(range),
          packageName: spec.packageName,
        });
      }
    }
  }
  allFaces = faces;
  return faces;
}

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** The faces a text needs: every subset whose range meets one of its characters. */
export function facesFor(usedCodePoints: Set<number>): FontFace[] {
  return shippedFaces().filter((face) => face.subset === 'latin' || [...usedCodePoints].some((cp) => inRanges(cp, face.ranges)));
}

/** Characters of `text` that no text face covers (spaces and controls aside). */
export function uncoveredCodePoints(usedCodePoints: Set<number>, role: FontFace['role'] = 'text'): number[] {
  const faces = shippedFaces().filter((f) => f.role === role);
  return [...usedCodePoints].filter((cp) => cp > 0x20 && !(cp >= 0x7f && cp <= 0xa0) && cp !== 0xad && !faces.some((f) => inRanges(cp, f.ranges)));
}

export function codePointsOf(text: string, into = new Set<number>()): Set<number> {
  for (const ch of text) into.add(ch.codePointAt(0) as number);
  return into;
}

export const TEXT_FONT_STACK = `'Source Serif 4', serif`;
export const MONO_FONT_STACK = `'JetBrains Mono', monospace`;

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
