/**
 * The shipped typefaces, from @fontsource packages (never the machine's fonts, so every machine prints
 * the same book): Source Serif 4 for text (Latin, Cyrillic, Greek, Vietnamese), Noto Serif for what it
 * lacks (polytonic Greek, rarer Cyrillic), JetBrains Mono for code and STIX Two Math for MathML.
 * Fontsource splits each face into unicode-range subsets; outputs embed only the subsets the book
 * needs. What a face really draws is read from its character map (fontkit), because a subset's
 * unicode-range promises more than the font has (Source Serif's Latin range includes ⁂; the font
 * does not).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

export interface FontFace {
  family: string;
  /** The text face, its fallback for characters it lacks, the code face, the MathML face. */
  role: 'text' | 'fallback' | 'mono' | 'math';
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
    packageName: '@fontsource/noto-serif',
    family: 'Noto Serif',
    role: 'fallback',
    variants: [
      { weight: 400, style: 'normal' },
      { weight: 400, style: 'italic' },
      { weight: 700, style: 'normal' },
    ],
  },
  {
    packageName: '@fontsource/stix-two-math',
    family: 'STIX Two Math',
    role: 'math',
    variants: [{ weight: 400, style: 'normal' }],
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
        // STIX Two Math's one subset holds the whole font, but its CSS range stops at Latin: use all of it.
        const ranges: [number, number][] = spec.role === 'math' ? [[0, 0x10ffff]] : parseRanges(range);
        faces.push({
          family: spec.family,
          role: spec.role,
          style: variant.style,
          weight: variant.weight,
          subset,
          file: path.join(dir, file),
          ranges,
          packageName: spec.packageName,
        });
      }
    }
  }
  allFaces = faces;
  return faces;
}

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

const charMaps = new Map<string, Set<number>>();

/** Code points the font file really has glyphs for. */
export function charMap(file: string): Set<number> {
  let map = charMaps.get(file);
  if (!map) {
    const font = fontkit.openSync(file) as fontkit.Font;
    map = new Set(font.characterSet);
    charMaps.set(file, map);
  }
  return map;
}

function drawable(cp: number, faces: FontFace[]): boolean {
  return faces.some((f) => inRanges(cp, f.ranges) && charMap(f.file).has(cp));
}

/** Characters that need no glyph: controls, spaces, soft hyphens, joiners, variation selectors. */
const invisible = (cp: number) =>
  cp <= 0x20 ||
  (cp >= 0x7f && cp <= 0xa0) ||
  cp === 0xad ||
  (cp >= 0x2000 && cp <= 0x200f) ||
  (cp >= 0x2028 && cp <= 0x202f) ||
  cp === 0x2060 ||
  cp === 0xfeff ||
  (cp >= 0xfe00 && cp <= 0xfe0f);

export interface FaceNeeds {
  /** The book shows code (code, pre, kbd, samp). */
  code: boolean;
  /** The book has MathML. */
  math: boolean;
}

/**
 * The faces a book needs: the text face's subsets whose range meets its characters (Latin always),
 * fallback subsets only for characters the text face cannot draw, the code face if there is code
 * (same rule), the math face if there is math.
 */
export function facesFor(used: Set<number>, needs: FaceNeeds = { code: true, math: false }): FontFace[] {
  const all = shippedFaces();
  const text = all.filter((f) => f.role === 'text');
  const chars = [...used].filter((cp) => !invisible(cp));
  const lacking = chars.filter((cp) => !drawable(cp, text));
  const pick = (faces: FontFace[], cps: number[], always: boolean) =>
    faces.filter((f) => (always && f.subset === 'latin') || cps.some((cp) => inRanges(cp, f.ranges) && charMap(f.file).has(cp)));
  return [
    ...pick(text, chars, true),
    ...pick(
      all.filter((f) => f.role === 'fallback'),
      lacking,
      false,
    ),
    ...(needs.code
      ? pick(
          all.filter((f) => f.role === 'mono'),
          chars,
          true,
        )
      : []),
    ...(needs.math ? all.filter((f) => f.role === 'math') : []),
  ];
}

/** Characters neither the text face nor its fallback can draw (in code and math, their faces count too). */
export function uncoveredCodePoints(usedCodePoints: Set<number>, role: 'text' | 'mono' | 'math' = 'text'): number[] {
  const faces = shippedFaces().filter((f) => f.role === 'text' || f.role === 'fallback' || (role !== 'text' && f.role === role));
  return [...usedCodePoints].filter((cp) => !invisible(cp) && !drawable(cp, faces));
}

export function codePointsOf(text: string, into = new Set<number>()): Set<number> {
  for (const ch of text) into.add(ch.codePointAt(0) as number);
  return into;
}

export const TEXT_FONT_STACK = `'Source Serif 4', 'Noto Serif', serif`;
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
