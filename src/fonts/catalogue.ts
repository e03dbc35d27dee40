/**
 * The font catalogue: the shipped typefaces, from @fontsource packages (never the machine's fonts,
 * so every machine prints the same book): Source Serif 4 for text (Latin, Cyrillic, Greek, Vietnamese),
 * Noto Serif for what it lacks (polytonic Greek, rarer Cyrillic), a Noto serif per script beyond those
 * (Chinese, Japanese, Korean, Hebrew, Arabic in Naskh, Devanagari, Bengali, Thai), Noto Sans Symbols 2
 * and Noto Emoji (monochrome: print is black) for symbols, JetBrains Mono for code with Fira Code's box
 * drawing (same 0.6 em advance, so tree diagrams line up), STIX Two Math for MathML.
 * Fontsource splits each face into unicode-range subsets; outputs embed only the subsets the book
 * needs. What a face really draws is read from its character map (fontkit), because a subset's
 * unicode-range promises more than the font has (Source Serif's Latin range includes ⁂; the font
 * does not).
 *
 * The CJK faces are the serif (Mincho/Song/Myeongjo) ones: they are the book faces of those scripts
 * and match Source Serif (Source Han Serif's Latin is Source Serif's). Sans would install ~60 MB less.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chapterCacheDir, DiskCache } from '../disk-cache.ts';
import { openWoff2Tables } from './woff2-tables.ts';

const require = createRequire(import.meta.url);

export interface FontFace {
  family: string;
  /** The text face, a face for what it lacks, the code face, the MathML face. */
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
  /** Bold subsets only for characters the book sets in bold (see FamilySpec). */
  boldOnlyWhereBold: boolean;
}

interface FamilySpec {
  packageName: string;
  family: string;
  role: FontFace['role'];
  variants: { weight: number; style: FontFace['style'] }[];
  /** Only these Fontsource subsets: Fira Code lends its box drawing to code, never its Latin or ligatures. */
  subsets?: string[];
  /**
   * A script's bold subsets are embedded only for the characters set in bold (headings, strong): the
   * CJK faces come in a hundred subsets each, and a novel's text touches most of them.
   */
  boldOnlyWhereBold?: boolean;
}

const regularAndBold = [
  { weight: 400, style: 'normal' },
  { weight: 700, style: 'normal' },
] as const satisfies FamilySpec['variants'];

const script = (packageName: string, family: string): FamilySpec => ({
  packageName,
  family,
  role: 'fallback',
  variants: [...regularAndBold],
  boldOnlyWhereBold: true,
});

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
  script('@fontsource/noto-serif-sc', 'Noto Serif SC'),
  script('@fontsource/noto-serif-jp', 'Noto Serif JP'),
  script('@fontsource/noto-serif-kr', 'Noto Serif KR'),
  script('@fontsource/noto-serif-hebrew', 'Noto Serif Hebrew'),
  script('@fontsource/noto-naskh-arabic', 'Noto Naskh Arabic'),
  script('@fontsource/noto-serif-devanagari', 'Noto Serif Devanagari'),
  script('@fontsource/noto-serif-bengali', 'Noto Serif Bengali'),
  script('@fontsource/noto-serif-thai', 'Noto Serif Thai'),
  { packageName: '@fontsource/noto-sans-symbols-2', family: 'Noto Sans Symbols 2', role: 'fallback', variants: [{ weight: 400, style: 'normal' }] },
  { packageName: '@fontsource/noto-emoji', family: 'Noto Emoji', role: 'fallback', variants: [{ weight: 400, style: 'normal' }] },
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
  { packageName: '@fontsource/fira-code', family: 'Fira Code', role: 'mono', variants: [{ weight: 400, style: 'normal' }], subsets: ['symbols2'] },
];

const FACE_RULE = /@font-face\s*{([^}]*)}/g;

function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
    const start = Number.parseInt(lo as string, 16);
    return [start, hi ? Number.parseInt(hi, 16) : start];
  });
}

/**
 * The face with its ranges parsed when first asked for: the 817 shipped faces hold 50,702 ranges
 * (60 ms to parse), and a Latin book only ever asks for a few faces' ranges. The getter is
 * enumerable, so copies (structured clone, JSON) carry the parsed ranges.
 */
function withLazyRanges(face: Omit<FontFace, 'ranges'>, parse: () => [number, number][]): FontFace {
  let ranges: [number, number][] | undefined;
  return Object.defineProperty(face, 'ranges', { enumerable: true, get: () => (ranges ??= parse()) }) as FontFace;
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
        if (!file) continue;
        const subset = subsetOf(file, spec.packageName);
        if (spec.subsets && !spec.subsets.includes(subset)) continue;
        const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
        // A face without a range covers all it has; STIX Two Math's one subset holds the whole font,
        // but its CSS range stops at Latin. The character map decides in both cases.
        const ranges = (): [number, number][] => (spec.role === 'math' || !range ? [[0, 0x10ffff]] : parseRanges(range));
        faces.push(
          withLazyRanges(
            {
              family: spec.family,
              role: spec.role,
              style: variant.style,
              weight: variant.weight,
              subset,
              file: path.join(dir, file),
              packageName: spec.packageName,
              boldOnlyWhereBold: spec.boldOnlyWhereBold ?? false,
            },
            ranges,
          ),
        );
      }
    }
  }
  allFaces = faces;
  return faces;
}

/**
 * The Fontsource subset a file holds: `latin`, `latin-ext`, `symbols2`, `4` (CJK subsets are numbered).
 * Files are named `<package>-<subset>-<weight>-<style>.woff2`; the package name is cut off first,
 * since it has hyphens of its own (`source-serif-4-latin-400-normal`).
 */
export function subsetOf(file: string, packageName: string): string {
  const base = packageName.split('/')[1] as string;
  const name = path.basename(file);
  return name.startsWith(`${base}-`) ? name.slice(base.length + 1).replace(/-\d{3}-(normal|italic)\.woff2$/, '') : 'unknown';
}

/** What is read from a font file: its PostScript name and the code points it has glyphs for, as ranges. */
interface FontFacts {
  postscriptName: string;
  ranges: [number, number][];
}

/** Bump when FontFacts or the way they are read changes: older entries are then never read. */
const FACTS_FORMAT = 1;
const facts = new Map<string, FontFacts>();

/**
 * A file's facts: from memory, else from the disk cache (keyed by the file's path, size and mtime:
 * an upgraded @fontsource package brings other files), else read with fontkit and stored. Every
 * build checks which faces its characters need, and loading fontkit was 0.2 s of a warm build.
 * `cache: false` (`--no-cache`) neither reads nor writes the disk.
 */
function fontFacts(file: string, cache: boolean): FontFacts {
  const known = facts.get(file);
  if (known) return known;
  const stat = fs.statSync(file);
  const key = `font-${createHash('sha256').update(`${FACTS_FORMAT}\0${file}\0${stat.size}\0${stat.mtimeMs}`).digest('hex').slice(0, 40)}`;
  // The cache's place is the user's: from the process environment, read now (tests move it).
  const disk = cache ? new DiskCache(chapterCacheDir()) : undefined;
  let found = storedFacts(disk?.read(key));
  if (!found) {
    const font = openWoff2Tables(file);
    found = { postscriptName: font.postscriptName, ranges: toRanges(font.characterSet) };
    disk?.write(key, JSON.stringify(found));
    disk?.evictIfWritten();
  }
  facts.set(file, found);
  return found;
}

/** A stored entry, or undefined when it is not whole (then the file is read again and the entry overwritten). */
function storedFacts(json: string | undefined): FontFacts | undefined {
  if (!json) return undefined;
  try {
    const f = JSON.parse(json) as Partial<FontFacts>;
    const pairs = Array.isArray(f.ranges) && f.ranges.every((r) => Array.isArray(r) && r.length === 2 && r.every(Number.isInteger));
    return typeof f.postscriptName === 'string' && pairs ? (f as FontFacts) : undefined;
  } catch {
    return undefined;
  }
}

function toRanges(codePoints: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const cp of [...new Set(codePoints)].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

const charMaps = new Map<string, Set<number>>();

/** Code points the font file really has glyphs for. */
export function charMap(file: string, cache = true): Set<number> {
  let map = charMaps.get(file);
  if (!map) {
    map = new Set<number>();
    for (const [lo, hi] of fontFacts(file, cache).ranges) for (let cp = lo; cp <= hi; cp++) map.add(cp);
    charMaps.set(file, map);
  }
  return map;
}

let postscriptNames: Set<string> | undefined;

/**
 * The PostScript names of every shipped face, as a PDF's fonts are named: one file per family,
 * weight and style tells (all its subsets share the name). Read from the files, since the CJK faces
 * keep their variable font's default instance in the name (`NotoSerifJPExtraLight-Regular`).
 */
export function shippedPostscriptNames(cache = true): Set<string> {
  if (postscriptNames) return postscriptNames;
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const face of shippedFaces()) {
    const key = `${face.family}/${face.weight}/${face.style}`;
    if (seen.has(key)) continue;
    seen.add(key);
    names.add(fontFacts(face.file, cache).postscriptName);
  }
  postscriptNames = names;
  return names;
}
