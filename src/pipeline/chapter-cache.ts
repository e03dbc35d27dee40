/**
 * The chapter cache on disk: what parsing a chapter yields (hast, footnotes, diagnostics, text facts),
 * kept between builds in `$XDG_CACHE_HOME/colophon/chapters` (default `~/.cache/colophon/chapters`),
 * so that the second build of an unchanged book parses nothing.
 *
 * - Keyed (by chapters.ts) by the chapter's text and everything that shapes its parse, plus `codeVersion()`:
 *   Colophon's version, the code of the pipeline itself and the versions of the packages it parses with.
 * - One file per chapter, written to a temporary name and renamed: concurrent builds never see half a
 *   file. An entry that is truncated, corrupt or unreadable is treated as missing, parsed again and
 *   overwritten.
 * - Bounded: when a build has written entries and the folder is above `CACHE_LIMIT_BYTES`, the least
 *   recently used entries go (a hit touches its entry's mtime, since atime is often not kept).
 *
 * Entries are JSON rather than `v8.serialize`: measured on Pride and Prejudice's 61 parsed chapters,
 * JSON is 1.4 MB against 2.0 MB (V8 writes any string with a curly quote as UTF-16) and reads as fast
 * (decode + JSON.parse 52 ms, v8.deserialize 58 ms); hast trees are plain data, so nothing is lost
 * (the warm build's outputs are tested byte for byte against the cold build's).
 * No compression: gzip level 1 made them 3.3× smaller for 38 ms more per write and 17 ms per read,
 * and a warm build is all reads.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from '../package-root.ts';

/** The folder's bound; README's "Chapter cache" gives the same figure. */
export const CACHE_LIMIT_BYTES = 512 * 1024 * 1024;
/** Eviction goes down to this share of the bound, so that the next few builds need not evict again. */
const EVICT_TO = 0.8;
const MAGIC = 'colophon-chapter 1';
/** A temporary file this old was left by a killed build. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** `$XDG_CACHE_HOME/colophon/chapters`, or `~/.cache/colophon/chapters`. Beside it: downloaded browsers. */
export function chapterCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'colophon', 'chapters');
}

/** What shapes a parse besides its input: these packages' installed versions go into every key. */
const PARSE_PACKAGES = [
  'unified',
  'remark-parse',
  'remark-gfm',
  'remark-frontmatter',
  'remark-directive',
  'remark-smartypants',
  'remark-rehype',
  'rehype-raw',
  'rehype-sanitize',
  'rehype-katex',
  'rehype-highlight',
  'github-slugger',
  'hast-util-to-string',
  'unist-util-visit',
  'mdast-util-math',
  'micromark',
  'mdast-util-from-markdown',
  'mdast-util-to-hast',
  'hast-util-raw',
  'hast-util-sanitize',
  'parse5',
  'retext-smartypants',
  'katex',
  'highlight.js',
  'lowlight',
];

let version: string | undefined;

/**
 * Colophon's version, a hash of the pipeline's own code, and the versions of the packages above: read
 * once per process. The code hash is there because a checkout keeps its version number while its
 * pipeline changes; an entry made by other code must never be read.
 */
export function codeVersion(): string {
  if (version) return version;
  const self = fileURLToPath(import.meta.url);
  const here = path.dirname(self);
  const hash = createHash('sha256');
  hash.update(`${PACKAGE_VERSION}\0`);
  // chapters.ts plans and caches; run-chapter.ts (loaded by it on demand) is the parse itself. In the
  // bundled command (lib/bundle/) modules have no files of their own: every chunk counts.
  const modules = /chapter-cache\.(ts|js)$/.test(self)
    ? ['chapters', 'run-chapter'].flatMap((name) => importedModules(self.replace(/chapter-cache\.(ts|js)$/, `${name}.$1`)))
    : fs
        .readdirSync(here)
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(here, f))
        .sort();
  for (const file of [...new Set(modules)]) {
    hash
      .update(`${path.relative(here, file)}\0`)
      .update(fs.readFileSync(file))
      .update('\0');
  }
  for (const name of PARSE_PACKAGES) hash.update(`${name}@${installedVersion(name, here) ?? 'missing'}\0`);
  version = hash.digest('hex').slice(0, 16);
  return version;
}

/** The module and every module it imports by a relative path, transitively (what the parse runs). */
function importedModules(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    // Type-only imports change no behaviour (and compiled JavaScript has none).
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      todo.push(path.resolve(path.dirname(file), m[1] as string));
    }
  }
  return [...seen].sort();
}

function readPackageJson(dir: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The version in the package.json of the copy Node would load from `from`: the nearest node_modules up. */
function installedVersion(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = readPackageJson(path.join(dir, 'node_modules', name));
    if (pkg?.version) return pkg.version;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The folder's size as this process last saw it plus what it has written since: the folder is listed
 * once per process and again only when this says it may be over the bound, not after every build
 * (a process that builds thousands of small books would otherwise list thousands of entries each time).
 */
const knownBytes = new Map<string, number>();

/** One folder of entries. Every failure to read or write is a miss, never an error: the cache only saves time. */
export class ChapterDiskCache {
  private written = 0;

  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** The entry's JSON, or undefined when it is missing, truncated or not this key's. */
  read(key: string): string | undefined {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file(key));
    } catch {
      return undefined;
    }
    const newline = data.indexOf(10);
    const header = data.subarray(0, newline === -1 ? 0 : newline).toString('latin1');
    const [magic, entryKey, length] = header.split('\t');
    const body = data.subarray(newline + 1);
    // Another format, another key's file, or a torn or truncated write: treat it as missing.
    if (newline === -1 || magic !== MAGIC || entryKey !== key || Number(length) !== body.length) return undefined;
    try {
      const now = new Date();
      fs.utimesSync(this.file(key), now, now);
    } catch {
      // Evicted meanwhile by another build: the data is already read.
    }
    return body.toString('utf8');
  }

  write(key: string, json: string): void {
    const body = Buffer.from(json, 'utf8');
    const temp = path.join(this.dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const data = Buffer.concat([Buffer.from(`${MAGIC}\t${key}\t${body.length}\n`, 'latin1'), body]);
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, this.file(key));
      this.written += data.length;
    } catch {
      // A read-only or full disk: the build goes on without the cache.
      fs.rmSync(temp, { force: true });
    }
  }

  /** After a build that wrote entries: when the folder may be above the bound, evict the least recently used down to 80 % of it. */
  evictIfWritten(limit = CACHE_LIMIT_BYTES): void {
    if (this.written === 0) return;
    const known = knownBytes.get(this.dir);
    const estimate = known === undefined ? folderBytes(this.dir) : known + this.written;
    this.written = 0;
    knownBytes.set(this.dir, estimate);
    if (estimate > limit) {
      evict(this.dir, limit);
      knownBytes.set(this.dir, folderBytes(this.dir));
    }
  }
}

function folderBytes(dir: string): number {
  return entries(dir).reduce((n, e) => n + e.bytes, 0);
}

interface Entry {
  file: string;
  bytes: number;
  used: number;
}

function entries(dir: string): Entry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: Entry[] = [];
  const now = Date.now();
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (name.endsWith('.tmp')) {
        if (now - stat.mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
        continue;
      }
      if (name.endsWith('.json')) out.push({ file, bytes: stat.size, used: stat.mtimeMs });
    } catch {
      // Gone meanwhile (another build evicted it).
    }
  }
  return out;
}

/** Removes the least recently used entries until the folder holds at most 80 % of `limit` bytes. */
export function evict(dir: string, limit = CACHE_LIMIT_BYTES): number {
  const all = entries(dir);
  let total = all.reduce((n, e) => n + e.bytes, 0);
  if (total <= limit) return 0;
  let removed = 0;
  // Oldest first; ties by name so that eviction does not depend on the order readdir returns.
  all.sort((a, b) => a.used - b.used || (a.file < b.file ? -1 : 1));
  for (const e of all) {
    if (total <= limit * EVICT_TO) break;
    fs.rmSync(e.file, { force: true });
    total -= e.bytes;
    removed++;
  }
  return removed;
}

export function cacheInfo(dir: string): { dir: string; entries: number; bytes: number; limit: number } {
  const all = entries(dir);
  return { dir, entries: all.length, bytes: all.reduce((n, e) => n + e.bytes, 0), limit: CACHE_LIMIT_BYTES };
}

/** Removes the folder and everything in it (only the chapters' folder: downloaded browsers stay). */
export function clearCache(dir: string): { entries: number; bytes: number } {
  const { entries: count, bytes } = cacheInfo(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  knownBytes.delete(dir);
  return { entries: count, bytes };
}
