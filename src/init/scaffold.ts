/** `colophon init`: a new manuscript folder that builds cleanly at once, in every format. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ColophonError, error } from '../diagnostics.ts';
import { BOOK_CSS, bookYaml, CHAPTER_1, CHAPTER_2 } from './template.ts';

/**
 * A placeholder cover at the size stores ask for (1600×2560, 1:1.6): a dark ground with a light frame,
 * drawn here so that a new book has a real cover image without shipping a binary file.
 */
export function placeholderCover(width = 1600, height = 2560): Buffer {
  const png = new PNG({ width, height, colorType: 2 });
  const ground = [0x2b, 0x3a, 0x4a];
  const frame = [0xd9, 0xc7, 0xa0];
  const margin = Math.round(width * 0.08);
  const thickness = Math.max(2, Math.round(width * 0.008));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inFrame =
        x >= margin &&
        x < width - margin &&
        y >= margin &&
        y < height - margin &&
        (x < margin + thickness || x >= width - margin - thickness || y < margin + thickness || y >= height - margin - thickness);
      const c = inFrame ? frame : ground;
      const i = (y * width + x) * 4;
      png.data[i] = c[0] as number;
      png.data[i + 1] = c[1] as number;
      png.data[i + 2] = c[2] as number;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

export interface ScaffoldOptions {
  title?: string;
  /** ISO date for `date:`; default today (it is the author's to change). */
  date?: string;
}

/** Writes the new book; refuses a folder that exists and is not empty, so nothing is ever overwritten. */
export function scaffold(dir: string, options: ScaffoldOptions = {}): string[] {
  const target = path.resolve(dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) {
      throw new ColophonError(error('init/not-a-folder', `${dir} exists and is not a folder`, { file: target }, 'Choose a new folder name.'));
    }
    if (fs.readdirSync(target).length > 0) {
      throw new ColophonError(error('init/not-empty', `${dir} is not empty`, { file: target }, 'Choose a new or empty folder: init never overwrites files.'));
    }
  }
  const title = options.title ?? titleFromFolder(target);
  const files: Record<string, string | Buffer> = {
    'book.yaml': bookYaml({ title, identifier: `urn:uuid:${randomUUID()}`, date: options.date ?? new Date().toISOString().slice(0, 10) }),
    '01-beginning.md': CHAPTER_1,
    '02-ending.md': CHAPTER_2,
    'styles/book.css': BOOK_CSS,
    'cover.png': placeholderCover(),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(target, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { flag: 'wx' });
  }
  return Object.keys(files);
}

/** `my-first-book` → `My First Book`: a start the author will replace. */
function titleFromFolder(dir: string): string {
  const words = path
    .basename(dir)
    .split(/[-_\s]+/)
    .filter(Boolean);
  const title = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  return title || 'My Book';
}
