/**
 * Turning chapter sources into chapter trees: split a single-file book at its chapter headings, run
 * the pipeline on each chapter, lift footnotes out, and cache the result by content hash (in memory
 * and on disk, chapter-cache.ts) so that a rebuild after editing one chapter reparses only that
 * chapter, and a second build of an unchanged book none.
 */
import { createHash } from 'node:crypto';
import GithubSlugger from 'github-slugger';
import { DiskCache } from '../disk-cache.ts';
import type { ChapterSource } from '../manuscript/manuscript.ts';
import { codeVersion } from './chapter-cache.ts';
import type { PipelineOptions } from './processor.ts';
import type { ChapterChunk, ParsedChapter } from './run-chapter.ts';
import { splitByHeadings } from './split-chapters.ts';

export type { ChapterChunk, ParsedChapter } from './run-chapter.ts';

type RunChapter = typeof import('./run-chapter.ts')['runChapter'];
let runChapter: RunChapter | undefined;

/**
 * The parser, loaded on first need: a build whose chapters are all cached never loads the unified
 * pipeline, which was most of a warm build's module loading (about 0.5 s of Pride and Prejudice's
 * `build -t html,epub`).
 */
export async function loadParser(): Promise<RunChapter> {
  runChapter ??= (await import('./run-chapter.ts')).runChapter;
  return runChapter;
}

const MEMORY_LIMIT = 4096;
/**
 * Parsed chapters of this process, as JSON: reading one back is a fresh copy (the book pass rewrites
 * ids and links in place) and JSON.parse is about twice as fast as structuredClone of the same tree.
 */
const memory = new Map<string, string>();
/**
 * Chapters missingChapters read from disk and revived (to know they are whole), handed to parseOne,
 * which would otherwise parse the same JSON again (~0.1 s for a 137-chapter book). Each is taken
 * once, so no two builds share a tree.
 */
const handed = new Map<string, ParsedChapter>();
let stats = { hits: 0, misses: 0 };

/** How many chapters were parsed vs. taken from a cache since the last reset (watch mode, tests). */
export function cacheStats() {
  return { ...stats };
}
export function resetCacheStats() {
  stats = { hits: 0, misses: 0 };
}
/** Forgets this process's parsed chapters (not the disk cache: see chapter-cache.ts). */
export function clearChapterCache() {
  memory.clear();
  handed.clear();
  fresh.clear();
}

export interface ChapterOptions {
  language: string;
  /** French no-break spaces in a French book (book.yaml `french-spacing`, default on). */
  frenchSpacing?: boolean;
  math: PipelineOptions['math'];
  dialect?: PipelineOptions['dialect'];
  hideLines?: PipelineOptions['hideLines'];
  singleFile: boolean;
  chapterLevel?: number;
  /** The disk cache's folder (chapter-cache.ts); without it, only this process's cache is used. */
  cacheDir?: string;
}

export async function parseChapters(sources: ChapterSource[], options: ChapterOptions): Promise<ParsedChapter[]> {
  const { plan, pipelineOptions, disk } = planChapters(sources, options);
  const parsed: ParsedChapter[] = [];
  for (const { chunk, key } of plan) parsed.push(await parseOne(chunk, key, pipelineOptions, disk));
  disk?.evictIfWritten();
  return parsed;
}

async function parseOne(chunk: ChapterChunk, key: string, pipelineOptions: PipelineOptions, disk: DiskCache | undefined): Promise<ParsedChapter> {
  const taken = handed.get(key);
  handed.delete(key);
  const cached = memory.get(key) ?? disk?.read(key);
  const chapter = taken ?? (cached === undefined ? undefined : revive(cached));
  if (cached !== undefined && chapter) {
    // Parsed just before by parseMissingInParallel (and counted there): not a cache hit.
    if (!fresh.delete(key)) stats.hits++;
    remember(key, cached);
    return chapter;
  }
  stats.misses++;
  const parsed = (await loadParser())(chunk, pipelineOptions);
  store(key, JSON.stringify(parsed), disk);
  return parsed;
}

/** A chunk to parse and its cache key. */
export interface PlannedChunk {
  chunk: ChapterChunk;
  key: string;
}

/**
 * The last plan made for a list of sources: build.ts asks missingChapters, then buildBook asks
 * parseChapters, for the same manuscript; splitting a single-file book and hashing every chapter
 * twice was ~40 ms of a warm build of Pride and Prejudice.
 */
const plans = new WeakMap<ChapterSource[], { options: string; plan: ReturnType<typeof makePlan> }>();

function planChapters(sources: ChapterSource[], options: ChapterOptions) {
  const key = JSON.stringify(options);
  const known = plans.get(sources);
  if (known?.options === key) return known.plan;
  const plan = makePlan(sources, options);
  plans.set(sources, { options: key, plan });
  return plan;
}

function makePlan(sources: ChapterSource[], options: ChapterOptions) {
  const slugger = new GithubSlugger();
  const chunks: ChapterChunk[] = options.singleFile
    ? splitSingleFile(sources[0] as ChapterSource, options.chapterLevel, slugger)
    : sources.map((source) => ({ id: chapterIdFromPath(source.name ?? source.relPath, slugger), source, text: source.text, lineOffset: 0 }));
  const pipelineOptions: PipelineOptions = {
    language: options.language,
    frenchSpacing: options.frenchSpacing ?? true,
    math: options.math,
    ...(options.dialect ? { dialect: options.dialect } : {}),
    ...(options.hideLines ? { hideLines: options.hideLines } : {}),
  };
  const disk = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
  const version = codeVersion();
  const plan: PlannedChunk[] = chunks.map((chunk) => ({ chunk, key: chunkKey(chunk, pipelineOptions, version) }));
  return { plan, pipelineOptions, disk };
}

/** Keys parsed by parseMissingInParallel and not yet handed out by parseChapters. */
const fresh = new Set<string>();

/**
 * The chunks that neither cache holds (entries found on disk are kept in memory for parseChapters),
 * for parallel-parse.ts to parse before parseChapters runs.
 */
export function missingChapters(sources: ChapterSource[], options: ChapterOptions): { missing: PlannedChunk[]; pipelineOptions: PipelineOptions } {
  const { plan, pipelineOptions, disk } = planChapters(sources, options);
  const missing = plan.filter(({ key }) => {
    if (memory.has(key)) return false;
    const cached = disk?.read(key);
    const chapter = cached === undefined ? undefined : revive(cached);
    if (cached === undefined || !chapter) return true;
    remember(key, cached);
    if (handed.size >= MEMORY_LIMIT) handed.clear();
    handed.set(key, chapter);
    return false;
  });
  return { missing, pipelineOptions };
}

/** A chapter parsed elsewhere (a worker thread), as JSON: cached as if parseChapters had parsed it. */
export function storeParsed(key: string, json: string, disk: DiskCache | undefined): void {
  stats.misses++;
  fresh.add(key);
  store(key, json, disk);
}

function store(key: string, json: string, disk: DiskCache | undefined): void {
  remember(key, json);
  disk?.write(key, json);
}

/**
 * Everything a chapter's parse depends on: the code and package versions, the pipeline options, and
 * the chunk (its text; its file, whose path goes into every diagnostic; where it sits in that file and
 * in the contents).
 */
function chunkKey(chunk: ChapterChunk, options: PipelineOptions, version: string): string {
  const { source } = chunk;
  const where = [chunk.id, source.path, source.relPath, source.level ?? 1, chunk.lineOffset, chunk.untitled === true, source.lineMap ?? null];
  return createHash('sha256')
    .update(JSON.stringify([version, options, where]))
    .update('\0')
    .update(chunk.text)
    .digest('hex');
}

function remember(key: string, json: string): void {
  memory.delete(key);
  if (memory.size >= MEMORY_LIMIT) memory.delete(memory.keys().next().value as string);
  memory.set(key, json);
}

/** A cached chapter, or undefined when the entry is not valid JSON of a chapter (then it is parsed again). */
function revive(json: string): ParsedChapter | undefined {
  try {
    const chapter = JSON.parse(json) as ParsedChapter;
    return chapter?.hast?.type === 'root' && Array.isArray(chapter.footnotes) && Array.isArray(chapter.diagnostics) && chapter.facts ? chapter : undefined;
  } catch {
    return undefined;
  }
}

function chapterIdFromPath(relPath: string, slugger: GithubSlugger): string {
  const stem = relPath.replace(/\.md$/i, '').split('/').join('-');
  return slugger.slug(`ch-${stem}`.normalize('NFC'));
}

/** One file, many chapters: split before every heading of the chapter level (see split-chapters.ts). */
function splitSingleFile(source: ChapterSource, level: number | undefined, slugger: GithubSlugger): ChapterChunk[] {
  return splitByHeadings(source.text, level).map((chunk, index) => ({
    id: slugger.slug(`ch-${chunk.title || `part-${index + 1}`}`.normalize('NFC')),
    source,
    text: chunk.text,
    lineOffset: chunk.startLine,
    untitled: chunk.title === '',
  }));
}
