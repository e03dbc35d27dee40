/**
 * Font coverage: which shipped subsets a book's characters need, and which characters no shipped
 * face can draw. Judged by each face's real character map (catalogue.ts), not its CSS unicode-range.
 */
import { charMap, type FontFace, shippedFaces } from './catalogue.ts';

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

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
