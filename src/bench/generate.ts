/**
 * A large book for the benchmark, generated deterministically (seeded PRNG): the same words, notes,
 * tables and images on every machine, so timings compare across runs and commits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/** mulberry32: tiny, fast and good enough to vary prose. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to a in that was he it his her with as had for she not but at on be him is you which by they from all have were ' +
  'so said one this would there no their when been an more could if what them into my very any must only will such upon ' +
  'before every much should little than some may great first other time our made can well who shall might nothing never ' +
  'letter morning evening garden window carriage river harbour journey morning lantern meadow orchard parlour library ' +
  'conversation silence patience fortune kindness prudence reflection astonishment composure resolution neighbourhood ' +
  'remarkable agreeable tolerable considerable unexpected indifferent particular extraordinary'
).split(' ');

function image(rand: () => number, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 2 });
  const [r, g, b] = [rand() * 255, rand() * 255, rand() * 255].map(Math.round) as [number, number, number];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const band = ((x >> 5) + (y >> 5)) % 2 === 0 ? 1 : 0.8;
      png.data[i] = r * band;
      png.data[i + 1] = g * band;
      png.data[i + 2] = b * band;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

export interface GeneratedBook {
  dir: string;
  words: number;
  chapters: number;
}

/** The file of chapter `n` (1-based) of a generated book. */
const chapterFile = (n: number) => `ch-${String(n).padStart(3, '0')}.md`;

/** The middle chapter's file: the one the benchmarks edit. */
export function middleChapter(book: GeneratedBook): string {
  return path.join(book.dir, chapterFile(Math.ceil(book.chapters / 2)));
}

/** About `targetWords` words in chapters of ~5,000, with footnotes, a table per chapter and a figure every fifth. */
export function generateBook(dir: string, targetWords = 500_000, seed = 1813, title = 'A Generated Chronicle', perChapter = 5000): GeneratedBook {
  const rand = prng(seed);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)] as string;
  const sentence = () => {
    const n = 8 + Math.floor(rand() * 18);
    const words = Array.from({ length: n }, pick);
    const first = words[0] as string;
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${words.join(' ')}${rand() < 0.15 ? '?' : '.'}`;
  };
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  const imageCount = 10;
  for (let i = 0; i < imageCount; i++) fs.writeFileSync(path.join(dir, 'images', `plate-${i + 1}.png`), image(rand, 1400, 900));

  const chapters = Math.max(1, Math.round(targetWords / perChapter));
  const names: string[] = [];
  let words = 0;
  for (let c = 1; c <= chapters; c++) {
    const lines: string[] = [`# Chapter ${c}`, ''];
    let inChapter = 0;
    let notes = 0;
    let section = 0;
    while (inChapter < perChapter) {
      if (inChapter > (section + 1) * 1200) {
        section++;
        lines.push(`## Part ${section} of chapter ${c}`, '');
      }
      const sentences = Array.from({ length: 3 + Math.floor(rand() * 6) }, sentence);
      let paragraph = sentences.join(' ');
      if (rand() < 0.08) {
        notes++;
        paragraph += `[^n${notes}]`;
        lines.push(paragraph, '', `[^n${notes}]: ${sentence()} ${sentence()}`, '');
      } else {
        lines.push(paragraph, '');
      }
      inChapter += paragraph.split(/\s+/).length;
    }
    lines.push('| Name | Place | Year |', '|---|---|---:|');
    for (let r = 0; r < 6; r++) lines.push(`| ${pick()} | ${pick()} | ${1790 + Math.floor(rand() * 40)} |`);
    lines.push('');
    if (c % 5 === 0) lines.push(`![Plate ${c / 5}](images/plate-${((c / 5 - 1) % imageCount) + 1}.png "Plate ${c / 5}")`, '');
    if (c > 1 && c % 7 === 0) lines.push(`As told in [the first chapter](ch-001.md#chapter-1).`, '');
    const name = chapterFile(c);
    names.push(name);
    fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    words += inChapter;
  }
  fs.writeFileSync(
    path.join(dir, 'book.yaml'),
    `title: ${title}\nauthor: Colophon Benchmark\nlanguage: en\ndate: 2025-01-01\ndescription: Generated for the benchmark.\nchapters:\n${names.map((n) => `  - ${n}`).join('\n')}\n`,
  );
  return { dir, words, chapters };
}
