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
import { codeVersion as versionOf } from '../code-version.ts';

/** What shapes a parse besides its input: these packages' installed versions go into every key. */
const PARSE_PACKAGES = [
  'unified',
  'remark-parse',
  'remark-gfm',
  'remark-frontmatter',
  'remark-directive',
  'retext',
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

/**
 * Colophon's version, a hash of the parse's own code (chapters.ts plans and caches; run-chapter.ts,
 * loaded by it on demand, is the parse itself) and the versions of the packages above.
 */
export function codeVersion(): string {
  return versionOf(['pipeline/chapters', 'pipeline/run-chapter'], PARSE_PACKAGES);
}
