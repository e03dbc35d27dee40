/**
 * The book pass: manuscript → book model. Parses every chapter (cached), then does what can only be
 * done with all chapters at hand: unique ids (ids.ts), links between chapters (links.ts), images and
 * the cover as assets (images.ts), titles and the contents (contents.ts), the book's own stylesheets
 * (check-css.ts), the metadata (metadata.ts) and the font subsets the text needs. Runs on copies of
 * the cached chapter trees, so it is cheap to repeat on every rebuild.
 */
import path from 'node:path';
import { resolveLabels } from '../config/labels.ts';
import { ColophonError, error } from '../diagnostics.ts';
import { chapterCacheDir } from '../disk-cache.ts';
import { codePointsOf, facesFor } from '../fonts/coverage.ts';
import type { Manuscript } from '../manuscript/manuscript.ts';
import { describeRefusal, resolveInside } from '../manuscript/paths.ts';
import { readManuscriptText } from '../manuscript/read-text.ts';
import type { Asset, Book, Chapter } from '../model/book.ts';
import { type ChapterOptions, parseChapters } from '../pipeline/chapters.ts';
import type { TextFacts } from '../pipeline/text-facts.ts';
import { checkBookCss } from './check-css.ts';
import { buildToc, chapterTitle } from './contents.ts';
import { type PassContext, passContext } from './context.ts';
import { makeIdsUnique } from './ids.ts';
import { registerContentImages, registerImage } from './images.ts';
import { furnitureText, missingLabelsWarning } from './labels.ts';
import { resolveLinks } from './links.ts';
import { metadataFromConfig } from './metadata.ts';

export interface BuildBookOptions {
  env?: NodeJS.ProcessEnv;
  /** Read and write the chapter cache on disk (default true; `--no-cache` sets false). */
  cache?: boolean;
}

/** How the book's chapters are parsed: also what build.ts parses in parallel before buildBook. */
export function chapterOptions(manuscript: Manuscript, options: BuildBookOptions = {}): ChapterOptions {
  const { config } = manuscript;
  return {
    language: metadataFromConfig(config, options.env).language,
    frenchSpacing: config['french-spacing'],
    math: config.math,
    singleFile: manuscript.singleFile,
    ...(manuscript.dialect ? { dialect: manuscript.dialect } : {}),
    ...(manuscript.hideLines ? { hideLines: manuscript.hideLines } : {}),
    ...(config['chapter-level'] ? { chapterLevel: config['chapter-level'] } : {}),
    // The cache's place is the user's, not the book's: from the process environment, not options.env (the book's dates).
    ...(options.cache !== false ? { cacheDir: chapterCacheDir() } : {}),
  };
}

export async function buildBook(manuscript: Manuscript, options: BuildBookOptions = {}): Promise<Book> {
  const { config } = manuscript;
  const metadata = metadataFromConfig(config, options.env);
  const parsed = await parseChapters(manuscript.chapters, chapterOptions(manuscript, options));
  const byRel = new Map(manuscript.chapters.map((c) => [c.relPath, c.path]));
  const ctx = passContext(manuscript.root, (rel) => byRel.get(rel) ?? path.join(manuscript.root, rel), manuscript.resourceRoots);
  ctx.diagnostics.push(...(manuscript.diagnostics ?? []), ...parsed.flatMap((c) => c.diagnostics));

  const ids = makeIdsUnique(parsed);
  resolveLinks(parsed, ids, ctx, manuscript.contentRoot);
  registerContentImages(parsed, ctx);
  const cover = registerCover(manuscript, ctx);
  const styles = bookStyles(manuscript, ctx);
  const { labels, missing } = resolveLabels(metadata.language, config.labels);
  if (missing.length > 0) ctx.diagnostics.push(missingLabelsWarning(metadata.language, missing, manuscript.positions.at('language')));

  const errors = ctx.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ColophonError(errors);

  // Chapters are parsed one per source unless one file holds the whole book.
  const sources = manuscript.singleFile ? [] : manuscript.chapters;
  const chapters: Chapter[] = parsed.map((c, i) => {
    const source = sources[i];
    return {
      id: c.id,
      title: source?.title ?? chapterTitle(c),
      ...(source?.title !== undefined ? { structured: true as const } : {}),
      source: c.source,
      level: c.level,
      hast: c.hast,
      footnotes: c.footnotes,
    };
  });
  return {
    root: manuscript.root,
    metadata,
    chapters,
    toc: buildToc(chapters),
    assets: [
      ...ctx.images.values(),
      ...fontAssets(
        parsed.map((p) => p.facts),
        {
          language: metadata.language,
          texts: [
            metadata.title,
            metadata.subtitle,
            metadata.rights,
            metadata.publisher,
            metadata.description,
            ...metadata.creators.map((c) => c.name),
            furnitureText(metadata, labels),
          ],
          // The title page's title and the contents and notes headings are bold too.
          boldTexts: [metadata.title, labels.contents, labels.notes],
        },
        options.cache !== false,
      ),
    ],
    ...(cover ? { cover } : {}),
    anchors: ids.anchors,
    styles,
    labels,
    diagnostics: ctx.diagnostics.filter((d) => d.severity !== 'error'),
  };
}

function registerCover(manuscript: Manuscript, ctx: PassContext): Asset | undefined {
  const written = manuscript.config.cover;
  if (!written) return undefined;
  const location = manuscript.positions.at('cover');
  const resolved = resolveInside(manuscript.root, manuscript.root, written);
  if (!resolved.ok) {
    ctx.diagnostics.push(
      error(
        'config/cover',
        `cover "${written}" ${describeRefusal(resolved.reason)}`,
        location,
        'Point `cover:` at a PNG or JPEG file inside the manuscript folder.',
      ),
    );
    return undefined;
  }
  return registerImage(resolved.path, written, location, ctx);
}

/** The stylesheets of `styles:`, each inside the manuscript and free of references that would fetch. */
function bookStyles(manuscript: Manuscript, ctx: PassContext): Asset[] {
  const styles: Asset[] = [];
  manuscript.config.styles.forEach((entry, index) => {
    const resolved = resolveInside(manuscript.root, manuscript.root, entry);
    if (!resolved.ok) {
      ctx.diagnostics.push(
        error(
          'config/styles',
          `stylesheet "${entry}" ${describeRefusal(resolved.reason)}`,
          manuscript.positions.at(`styles.${index}`),
          'List CSS files inside the manuscript folder under `styles:`.',
        ),
      );
      return;
    }
    ctx.diagnostics.push(...checkBookCss(readManuscriptText(resolved.path), resolved.path));
    styles.push({ kind: 'style', sourcePath: resolved.path, href: `styles/${path.basename(resolved.path)}`, mediaType: 'text/css' });
  });
  return styles;
}

/** The font subsets the book's text needs: every character of content, notes, metadata and furniture counts. */
function fontAssets(facts: TextFacts[], book: { language: string; texts: (string | undefined)[]; boldTexts: string[] }, cache: boolean): Asset[] {
  const used = new Set<number>(facts.flatMap((f) => f.codePoints));
  for (const text of book.texts) {
    if (text) codePointsOf(text, used);
  }
  const bold = new Set<number>(facts.flatMap((f) => f.boldCodePoints));
  for (const text of book.boldTexts) codePointsOf(text, bold);
  const mono = new Set<number>(facts.flatMap((f) => f.monoCodePoints));
  const needs = { code: facts.some((f) => f.code), math: facts.some((f) => f.math), bold, mono, language: book.language };
  return facesFor(used, needs, cache).map((face) => ({
    kind: 'font',
    sourcePath: face.file,
    href: `fonts/${path.basename(face.file)}`,
    mediaType: 'font/woff2',
    face: { family: face.family, style: face.style, weight: face.weight, ranges: face.ranges },
  }));
}
