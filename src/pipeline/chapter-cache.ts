/**
 * The chapter cache's keys: what parsing a chapter yields (hast, footnotes, diagnostics, text facts) is
 * kept between builds in the disk cache (disk-cache.ts: atomic writes, bounded, corrupt entries are
 * misses), so that the second build of an unchanged book parses nothing. Keyed (by chapters.ts) by the
 * chapter's text and everything that shapes its parse, plus `codeVersion()`: Colophon's version, the
 * code of the pipeline itself and the versions of the packages it parses with.
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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from '../package-root.ts';

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
  // bundled command (lib/bundle/) modules have no files of their own: every chunk counts (see below).
  const modules = /chapter-cache\.(ts|js)$/.test(self)
    ? ['chapters', 'run-chapter'].flatMap((name) => importedModules(self.replace(/chapter-cache\.(ts|js)$/, `${name}.$1`)))
    : fs
        .readdirSync(here)
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(here, f))
        .sort();
  for (const file of [...new Set(modules)]) {
    hash.update(`${path.relative(here, file)}\0`);
    // A bundle chunk's name ends in a hash of its content and of the chunks it imports (esbuild's
    // [hash]): the name stands for the 7 MB, which took 15 ms to hash on every build.
    if (!/-[A-Z0-9]{8}\.js$/.test(file)) hash.update(fs.readFileSync(file));
    hash.update('\0');
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
