/**
 * Chapters already serialised, kept between builds. After one chapter of a 137-chapter novel was
 * edited, serialising every chapter again was most of what `build -t html,epub` spent in its two
 * stages (EPUB: copying and rewriting each chapter's tree and turning it into XHTML, 270 ms; web
 * edition: `toHtml`, 120 ms), though all but one chapter came out as before.
 *
 * A piece is keyed by a hash of everything that goes into it, as data: the chapter's final tree (page
 * markers included), its notes, where its links lead, the book's language, direction and labels, and
 * the code that serialises it (code-version.ts). So a hit is exactly the text the serialiser would
 * give, whatever changed elsewhere in the book; a miss is only slower. Hashing the inputs as JSON is
 * about 40 ms for the whole novel, far less than serialising it.
 *
 * A book's pieces for one output live in one disk-cache entry (its folder, bound and `cache clear`),
 * named by the book's folder: one read per build instead of one per chapter. Each build that made a
 * piece rewrites the entry with just the pieces it used, so it does not grow with every edit.
 * `--no-cache` reads and writes nothing.
 */
import { createHash } from 'node:crypto';
import { codeVersion } from '../code-version.ts';
import { chapterCacheDir, DiskCache } from '../disk-cache.ts';
import type { Book } from '../model/book.ts';

/** The code that turns a chapter's tree into text (each with what it imports: epub/xhtml.ts, parts.ts, …), and the serialisers' packages. */
const MODULES = ['outputs/epub', 'outputs/html', 'outputs/rendered-pieces'];
const PACKAGES = [
  'hast-util-to-html',
  'hast-util-to-xast',
  'xast-util-to-xml',
  'hastscript',
  'hast-util-to-string',
  'property-information',
  'stringify-entities',
];

export class RenderedPieces<T> {
  private readonly known: Record<string, T>;
  private readonly used: Record<string, T> = {};
  private made = 0;

  private constructor(
    private readonly disk: DiskCache | undefined,
    private readonly key: string,
  ) {
    let known: Record<string, T> = {};
    const text = disk?.read(key);
    if (text) {
      try {
        known = JSON.parse(text) as Record<string, T>;
      } catch {
        // A damaged entry is a miss: every piece is made again and the entry rewritten.
      }
    }
    this.known = known;
  }

  /**
   * The pieces of one output (`epub`, `html`) of a book, named by its folder and first chapter's file
   * (books kept as single files share a folder); with `cache: false` none are read or kept, and every
   * piece is made.
   */
  static open<T>(output: string, book: Book, cache: boolean): RenderedPieces<T> {
    if (!cache) return new RenderedPieces<T>(undefined, '');
    const name = `${book.root}\0${book.chapters[0]?.source ?? ''}\0${codeVersion(MODULES, PACKAGES)}`;
    const key = `rendered-${output}-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
    return new RenderedPieces<T>(new DiskCache(chapterCacheDir()), key);
  }

  /**
   * The piece made from `inputs()`: kept from an earlier build, or `make()`. `inputs()` must hold
   * everything `make` reads, as plain data: two different pieces with the same JSON would be one.
   * Without the cache neither the inputs nor their hash are made.
   */
  piece(inputs: () => unknown, make: () => T): T {
    if (!this.disk) return make();
    const hash = createHash('sha256').update(JSON.stringify(inputs())).digest('base64url');
    let value = this.used[hash] ?? (Object.hasOwn(this.known, hash) ? this.known[hash] : undefined);
    if (value === undefined) {
      value = make();
      this.made++;
    }
    this.used[hash] = value;
    return value;
  }

  /** Keeps this build's pieces when it made any (or stopped using some), and keeps the folder in its bound. */
  save(): void {
    if (!this.disk) return;
    if (this.made === 0 && Object.keys(this.used).length === Object.keys(this.known).length) return;
    this.disk.write(this.key, JSON.stringify(this.used));
    this.disk.evictIfWritten();
  }
}
