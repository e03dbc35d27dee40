/**
 * Font coverage: which shipped subsets a book's characters need, and which characters no shipped
 * face can draw. Judged by each face's real character map (catalogue.ts), not its CSS unicode-range,
 * and in the order the font stacks try the families (stacks.ts), as Chromium does per character.
 */
import { charMap, type FontFace, shippedFaces } from './catalogue.ts';
import { codeStack, textStack } from './stacks.ts';

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
/** `cache`: whether the fonts' character maps may come from (and go to) the disk cache (catalogue.ts). */
const draws = (f: FontFace, cp: number, cache: boolean) => inRanges(cp, f.ranges) && charMap(f.file, cache).has(cp);

function drawable(cp: number, faces: FontFace[], cache: boolean): boolean {
  return faces.some((f) => draws(f, cp, cache));
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
  /** Characters set in bold (headings, strong); all of them when not known. */
  bold?: Set<number>;
  /** Characters shown in code, which the code stack draws; when not known, all of `used`. */
  mono?: Set<number>;
  /** The book's language, which orders the CJK faces (stacks.ts). Default `en`. */
  language?: string;
}

const ROLE_ORDER: FontFace['role'][] = ['text', 'fallback', 'mono', 'math'];

/**
 * The faces a book needs. Each character of the text goes to the first family of the text stack that
 * draws it, each character of code to the first of the code stack; of that family, every variant's subset holding the character is
 * taken (bold ones of a script family only for bold characters). The first family's Latin subset
 * always, the code face's with code, the math face with math.
 */
export function facesFor(used: Set<number>, needs: FaceNeeds = { code: true, math: false }, cache = true): FontFace[] {
  const all = shippedFaces();
  const language = needs.language ?? 'en';
  const visible = (set: Set<number>) => [...set].filter((cp) => !invisible(cp)).sort((a, b) => a - b);
  const chars = visible(used);
  const bold = needs.bold;
  const byFamily = new Map<string, FontFace[]>();
  for (const f of all) {
    const list = byFamily.get(f.family);
    if (list) list.push(f);
    else byFamily.set(f.family, [f]);
  }

  const chosen = new Set<FontFace>();
  const take = (family: string, cps: number[], always: boolean) => {
    for (const f of byFamily.get(family) ?? []) {
      const wanted = f.boldOnlyWhereBold && f.weight >= 600 && bold ? cps.filter((cp) => bold.has(cp)) : cps;
      if ((always && f.subset === 'latin') || wanted.some((cp) => draws(f, cp, cache))) chosen.add(f);
    }
  };
  const assign = (stack: string[], cps: number[]) => {
    const perFamily = new Map<string, number[]>();
    for (const cp of cps) {
      const family = stack.find((name) => (byFamily.get(name) ?? []).some((f) => draws(f, cp, cache)));
      if (!family) continue;
      const list = perFamily.get(family);
      if (list) list.push(cp);
      else perFamily.set(family, [cp]);
    }
    stack.forEach((family, i) => {
      take(family, perFamily.get(family) ?? [], i === 0);
    });
  };
  assign(textStack(language), chars);
  if (needs.code) assign(codeStack(language), needs.mono ? visible(needs.mono) : chars);
  if (needs.math) for (const f of all) if (f.role === 'math') chosen.add(f);
  return ROLE_ORDER.flatMap((role) => all.filter((f) => f.role === role && chosen.has(f)));
}

const facesByRole = new Map<string, FontFace[]>();

/** Characters no family of the stacks can draw (in code and math, their faces count too). */
export function uncoveredCodePoints(usedCodePoints: Set<number>, role: 'text' | 'mono' | 'math' = 'text', cache = true): number[] {
  let faces = facesByRole.get(role);
  if (!faces) {
    const families = new Set(role === 'mono' ? codeStack('en') : textStack('en'));
    faces = shippedFaces().filter((f) => families.has(f.family) || (role === 'math' && f.role === 'math'));
    facesByRole.set(role, faces);
  }
  const stack = faces;
  return [...usedCodePoints].filter((cp) => !invisible(cp) && !drawable(cp, stack, cache));
}

export function codePointsOf(text: string, into = new Set<number>()): Set<number> {
  for (const ch of text) into.add(ch.codePointAt(0) as number);
  return into;
}
