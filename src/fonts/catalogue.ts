/**
 * The font catalogue: the shipped typefaces, from @fontsource packages (never the machine's fonts,
 * so every machine prints the same book): Source Serif 4 for text (Latin, Cyrillic, Greek, Vietnamese), Noto Serif for what it
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
