/**
 * A folder of cache entries on disk, in `$XDG_CACHE_HOME/colophon/chapters` (default
 * `~/.cache/colophon/chapters`): the parsed chapters (pipeline/chapter-cache.ts), the drawn covers and
 * the shipped fonts' character maps live there side by side, so one bound and `colophon cache clear`
 * cover them all.
 *
 * - One file per key, written to a temporary name and renamed: concurrent builds never see half a
 *   file. An entry that is truncated, corrupt or unreadable is treated as missing, made again and
 *   overwritten.
 * - Bounded: when a build has written entries and the folder is above `CACHE_LIMIT_BYTES`, the least
 *   recently used entries go (a hit touches its entry's mtime, since atime is often not kept).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

/**
 * The folder's size at its last listing plus what builds have written since, and when it was last
 * listed, kept in the folder (`tally`, not an entry): a build that writes need not list the folder,
 * which held thousands of entries here and cost 40 ms of a 1.5 s build to list. Builds running at the
 * same time may each add to the same old figure and lose some of the other's bytes, so the folder is
 * listed again when the figure is a day old; rewritten entries count twice, which only makes a listing
 * come sooner.
 */
const TALLY = 'tally';
const RELIST_MS = 24 * 60 * 60 * 1000;

interface Tally {
  bytes: number;
  listed: number;
}

function readTally(dir: string): Tally | undefined {
  try {
    const t = JSON.parse(fs.readFileSync(path.join(dir, TALLY), 'utf8')) as Tally;
    return Number.isFinite(t.bytes) && Number.isFinite(t.listed) ? t : undefined;
  } catch {
    return undefined;
  }
}

function writeTally(dir: string, tally: Tally): void {
  const temp = path.join(dir, `.${TALLY}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(temp, JSON.stringify(tally));
    fs.renameSync(temp, path.join(dir, TALLY));
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

/** One folder of entries. Every failure to read or write is a miss, never an error: the cache only saves time. */
export class DiskCache {
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
    const now = Date.now();
    const known = readTally(this.dir);
    let tally =
      known && now - known.listed < RELIST_MS ? { bytes: known.bytes + this.written, listed: known.listed } : { bytes: folderBytes(this.dir), listed: now };
    this.written = 0;
    if (tally.bytes > limit) {
      evict(this.dir, limit);
      tally = { bytes: folderBytes(this.dir), listed: now };
    }
    writeTally(this.dir, tally);
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

/**
 * What the entries hold, told by their names: a parsed chapter is a bare hash, the others are named
 * by their writers (fonts/catalogue.ts `font-`, epub/typographic-cover.ts `cover-`,
 * outputs/rendered-pieces.ts `rendered-`).
 */
export type EntryKind = 'chapter' | 'font' | 'cover' | 'rendered';

function kindOf(file: string): EntryKind {
  const prefix = /^(font|cover|rendered)-/.exec(path.basename(file))?.[1];
  return (prefix as EntryKind | undefined) ?? 'chapter';
}

export function cacheInfo(dir: string): { dir: string; entries: number; kinds: Record<EntryKind, number>; bytes: number; limit: number } {
  const all = entries(dir);
  const kinds: Record<EntryKind, number> = { chapter: 0, font: 0, cover: 0, rendered: 0 };
  for (const e of all) kinds[kindOf(e.file)]++;
  return { dir, entries: all.length, kinds, bytes: all.reduce((n, e) => n + e.bytes, 0), limit: CACHE_LIMIT_BYTES };
}

/** Removes the folder and everything in it (only the chapters' folder: downloaded browsers stay). */
export function clearCache(dir: string): ReturnType<typeof cacheInfo> {
  const info = cacheInfo(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return info;
}
