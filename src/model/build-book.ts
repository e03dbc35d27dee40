/** manuscript → book model: parse every chapter (cached), then the book pass, then the metadata. */
import fs from 'node:fs';
import path from 'node:path';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import type { Manuscript } from '../manuscript/load.ts';
import { describeRefusal, resolveInside } from '../manuscript/paths.ts';
import { readManuscriptText } from '../manuscript/read-text.ts';
import { codePointsOf, faceNeeds, facesFor } from '../outputs/fonts.ts';
import { parseChapters } from '../pipeline/chapters.ts';
import type { Asset, Book } from './book.ts';
import { checkBookCss } from './check-css.ts';
import { linkBook, registerImage } from './link-book.ts';
import { metadataFromConfig } from './metadata.ts';
import { chapterTrees } from './trees.ts';

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
    assets: [...assets.values(), ...fontAssets(linked.chapters, metadata)],
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
function fontAssets(chapters: Book['chapters'], metadata: Book['metadata']): Asset[] {
  const used = new Set<number>();
  const collect = (node: unknown): void => {
    if (typeof node === 'string') codePointsOf(node, used);
    else if (Array.isArray(node)) for (const n of node) collect(n);
    else if (node && typeof node === 'object') {
      const n = node as { value?: unknown; children?: unknown; properties?: { alt?: unknown } };
      if (typeof n.value === 'string') codePointsOf(n.value, used);
      if (typeof n.properties?.alt === 'string') codePointsOf(n.properties.alt, used);
      if (n.children) collect(n.children);
    }
  };
  for (const c of chapters) {
    collect(c.hast);
    for (const note of c.footnotes) collect(note.content);
  }
  collect([
    metadata.title,
    metadata.subtitle ?? '',
    metadata.rights ?? '',
    metadata.publisher ?? '',
    metadata.description ?? '',
    ...metadata.creators.map((c) => c.name),
  ]);
  return facesFor(used, faceNeeds(chapters.flatMap(chapterTrees))).map((face) => ({
    kind: 'font',
    sourcePath: face.file,
    href: `fonts/${path.basename(face.file)}`,
    mediaType: 'font/woff2',
    face: { family: face.family, style: face.style, weight: face.weight, ranges: face.ranges },
  }));
}
