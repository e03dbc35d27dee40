/**
 * An mdBook project as its authors keep it: book.toml for the metadata (and an optional book.yaml
 * beside it, which wins), `src/SUMMARY.md` for the chapters, their order and nesting, chapter files
 * in subfolders with {{#include}}s expanded. Produces the same Manuscript as a book.yaml folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ConfigData, type ConfigOverrides, mergeConfigData, readYamlConfig, validateConfig, withOverrides } from '../../config/load-config.ts';
import { ColophonError, type Diagnostic, error, note, type SourceLocation } from '../../diagnostics.ts';
import { relativePath } from '../chapter-file.ts';
import { checkChapterLimits } from '../limits.ts';
import type { ChapterSource, Manuscript } from '../manuscript.ts';
import { describeRefusal, resolveInside } from '../paths.ts';
import { readManuscriptText } from '../read-text.ts';
import { readBookToml } from './book-toml.ts';
import { expandIncludes } from './include.ts';
import { parseSummary } from './summary.ts';

export const MDBOOK_CONFIG = 'book.toml';

/** `overrides`: book.yaml keys a catalogue sets for this title, over the project's own. */
export function loadMdBook(root: string, overrides?: ConfigOverrides): Manuscript {
  const tomlFile = path.join(root, MDBOOK_CONFIG);
  const toml = readBookToml(readManuscriptText(tomlFile), tomlFile, path.basename(root));
  const diagnostics: Diagnostic[] = [...toml.diagnostics];
  let data: ConfigData = toml.config;
  let configFile = tomlFile;
  const extraFiles: string[] = [];
  const yamlFile = ['book.yaml', 'book.yml'].map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  if (yamlFile) {
    data = mergeConfigData(data, readYamlConfig({ file: yamlFile, text: readManuscriptText(yamlFile) }));
    configFile = yamlFile;
    extraFiles.push(tomlFile);
  }
  const { config, positions } = validateConfig(withOverrides(data, overrides));

  const srcResolved = resolveInside(root, root, toml.src);
  if (!srcResolved.ok || !fs.statSync(srcResolved.path).isDirectory()) {
    throw new ColophonError(
      error(
        'mdbook/no-src',
        `the chapters' folder "${toml.src}" ${srcResolved.ok ? 'is not a folder' : describeRefusal(srcResolved.reason)}`,
        toml.config.keys.get('src') ?? { file: tomlFile },
        "Set `src` under [book] in book.toml to the folder that holds SUMMARY.md (mdBook's default is src).",
      ),
    );
  }
  const srcDir = srcResolved.path;
  const chapters: ChapterSource[] = [];
  const read = (file: string, extra: Omit<ChapterSource, 'path' | 'relPath' | 'text'>) => {
    const raw = readManuscriptText(file);
    const expanded = expandIncludes(raw, file, root);
    checkChapterLimits(file, expanded.text);
    extraFiles.push(...expanded.files);
    chapters.push({
      path: file,
      relPath: relativePath(root, file),
      text: expanded.text,
      ...(expanded.files.length > 0 ? { lineMap: expanded.lineMap } : {}),
      ...extra,
    });
  };

  if (config.chapters) {
    // book.yaml's own list wins over SUMMARY.md, as every book.yaml key does.
    config.chapters.forEach((name, index) => {
      read(chapterFile(root, root, name, positions.at(`chapters.${index}`)), {});
    });
  } else {
    const summaryFile = path.join(srcDir, 'SUMMARY.md');
    if (!fs.existsSync(summaryFile)) {
      throw new ColophonError(
        error(
          'mdbook/no-summary',
          `the mdBook project has no ${relativePath(root, summaryFile)}`,
          { file: tomlFile },
          "Create SUMMARY.md in the chapters' folder, listing the chapters as links: `- [Title](file.md)`.",
        ),
      );
    }
    extraFiles.push(summaryFile);
    const summaryText = readManuscriptText(summaryFile);
    const summary = parseSummary(summaryText, summaryFile);
    diagnostics.push(...summary.diagnostics);
    let inPart = false;
    for (const entry of summary.entries) {
      if (entry.kind === 'part') {
        inPart = true;
        const line = entry.location.line ?? 1;
        // The part's title line as written (it may hold emphasis or code), as a one-heading chapter.
        chapters.push({
          path: summaryFile,
          relPath: relativePath(root, summaryFile),
          text: `# ${entry.markdown}`,
          lineMap: [line],
          level: 1,
          title: entry.title,
          name: `part ${entry.title}`,
        });
      } else if (entry.kind === 'chapter') {
        const file = chapterFile(root, srcDir, entry.path, entry.location);
        const level = entry.section === 'numbered' && inPart ? entry.depth + 1 : entry.depth;
        if (entry.section === 'suffix') inPart = false;
        read(file, { level: entry.section === 'suffix' ? 1 : level, title: entry.title, name: relativePath(srcDir, file) });
      } else if (entry.kind === 'draft') {
        diagnostics.push(
          note(
            'mdbook/draft-chapter',
            `draft chapter "${entry.title}" has no file yet and is not in the book`,
            entry.location,
            'Give the link a file, `[Title](file.md)`, when the chapter is written.',
          ),
        );
      }
    }
  }
  if (chapters.filter((c) => c.name === undefined || !c.name.startsWith('part ')).length === 0 || chapters.every((c) => c.text.trim() === '')) {
    throw new ColophonError(
      error(
        'manuscript/empty',
        'the mdBook project has no chapters with text',
        { file: path.join(srcDir, 'SUMMARY.md') },
        'List chapter files in SUMMARY.md: `- [Title](file.md)`.',
      ),
    );
  }
  return {
    root,
    configFile,
    config,
    positions,
    chapters,
    singleFile: false,
    dialect: 'mdbook',
    diagnostics,
    extraFiles: [...new Set(extraFiles)].filter((f) => f !== configFile),
    contentRoot: srcDir,
    hideLines: toml.hideLines,
  };
}

function chapterFile(root: string, from: string, written: string, location: SourceLocation): string {
  const resolved = resolveInside(root, from, written);
  if (resolved.ok) return resolved.path;
  throw new ColophonError(
    error(
      resolved.reason === 'missing' ? 'manuscript/missing-chapter' : 'manuscript/chapter-outside',
      `chapter "${written}" ${describeRefusal(resolved.reason)}`,
      location,
      resolved.reason === 'missing'
        ? 'Create the file, or fix its link in SUMMARY.md (paths are relative to the folder of SUMMARY.md).'
        : 'Chapters must be files inside the book folder.',
    ),
  );
}
