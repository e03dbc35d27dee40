/** manuscript → book model: parse every chapter (cached), then the book pass, then the metadata. */
import fs from 'node:fs';
import path from 'node:path';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import type { Manuscript } from '../manuscript/load.ts';
import { describeRefusal, resolveInside } from '../manuscript/paths.ts';
import { readManuscriptText } from '../manuscript/read-text.ts';
import { codePointsOf, facesFor } from '../outputs/fonts.ts';
import { parseChapters } from '../pipeline/chapters.ts';
import type { TextFacts } from '../pipeline/text-facts.ts';
import type { Asset, Book } from './book.ts';
import { checkBookCss } from './check-css.ts';
import { linkBook, registerImage } from './link-book.ts';
import { metadataFromConfig } from './metadata.ts';

export interface BuildBookOptions {
  env?: NodeJS.ProcessEnv;
}

export function buildBook(manuscript: Manuscript, options: BuildBookOptions = {}): Book {
  const { config } = manuscript;
  const metadata = metadataFromConfig(config, options.env);
  const parsed = parseChapters(manuscript.chapters, {
    language: metadata.language,
    hyphenate: config.hyphenate,
    singleFile: manuscript.singleFile,
    ...(config['chapter-level'] ? { chapterLevel: config['chapter-level'] } : {}),
  });
  const byRel = new Map(manuscript.chapters.map((c) => [c.relPath, c.path]));
  const linked = linkBook(parsed, { root: manuscript.root, sourcePath: (rel) => byRel.get(rel) ?? path.join(manuscript.root, rel) });

  const diagnostics: Diagnostic[] = [...parsed.flatMap((c) => c.diagnostics), ...linked.diagnostics];
  const configText = fs.readFileSync(manuscript.configFile, 'utf8');
  const assets = new Map(linked.assets.map((a) => [a.sourcePath, a]));

  let cover: Asset | undefined;
  if (config.cover) {
    const location = locateKey(manuscript.configFile, configText, 'cover');
    const resolved = resolveInside(manuscript.root, manuscript.root, config.cover);
    if (!resolved.ok) {
      diagnostics.push(
        error(
          'config/cover',
          `cover "${config.cover}" ${describeRefusal(resolved.reason)}`,
          location,
          'Point `cover:` at a PNG or JPEG file inside the manuscript folder.',
        ),
      );
    } else {
      cover = registerImage(resolved.path, config.cover, location, diagnostics, assets);
    }
  }

  const styles: Asset[] = [];
  config.styles.forEach((entry) => {
    const location = locateKey(manuscript.configFile, configText, 'styles');
    const resolved = resolveInside(manuscript.root, manuscript.root, entry);
    if (!resolved.ok) {
      diagnostics.push(
        error(
          'config/styles',
          `stylesheet "${entry}" ${describeRefusal(resolved.reason)}`,
          location,
          'List CSS files inside the manuscript folder under `styles:`.',
        ),
      );
      return;
    }
    diagnostics.push(...checkBookCss(readManuscriptText(resolved.path), resolved.path));
    styles.push({ kind: 'style', sourcePath: resolved.path, href: `styles/${path.basename(resolved.path)}`, mediaType: 'text/css' });
  });

  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new ColophonError(errors);

  return {
    root: manuscript.root,
    metadata,
    chapters: linked.chapters,
    toc: linked.toc,
    assets: [
      ...assets.values(),
      ...fontAssets(
        parsed.map((p) => p.facts),
        metadata,
      ),
    ],
    ...(cover ? { cover } : {}),
    anchors: linked.anchors,
    styles,
    diagnostics: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

function locateKey(file: string, text: string, key: string) {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return index === -1 ? { file } : { file, line: index + 1, column: 1 };
}

/** The font subsets the book's text needs: every character of content, notes and metadata counts. */
function fontAssets(facts: TextFacts[], metadata: Book['metadata']): Asset[] {
  const used = new Set<number>(facts.flatMap((f) => f.codePoints));
  for (const text of [metadata.title, metadata.subtitle, metadata.rights, metadata.publisher, metadata.description, ...metadata.creators.map((c) => c.name)]) {
    if (text) codePointsOf(text, used);
  }
  const needs = { code: facts.some((f) => f.code), math: facts.some((f) => f.math) };
  return facesFor(used, needs).map((face) => ({
    kind: 'font',
    sourcePath: face.file,
    href: `fonts/${path.basename(face.file)}`,
    mediaType: 'font/woff2',
    face: { family: face.family, style: face.style, weight: face.weight, ranges: face.ranges },
  }));
}
