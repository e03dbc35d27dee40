/**
 * What a fenced code block's info string means beyond its language. The language is the first word:
 * mdBook and rustdoc add attributes after a comma (`rust,ignore`, `rust,no_run,noplayground`), Pandoc
 * writes attributes in braces (`{.python .numberLines}`, language = first class). In an mdBook
 * project, a block of only rustdoc attributes (`no_run`, `compile_fail`) is Rust, as rustdoc reads
 * it, and the lines mdBook hides are left out: in Rust `# ` lines (the setup rustdoc compiles but
 * readers don't see; `##` is a literal `#`), in other languages those book.toml's
 * `[output.html.code.hidelines]` names.
 */
import type { Code, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { parseAttributes } from './attributes.ts';

export interface CodeInfoOptions {
  /** Set for mdBook projects: language → the prefix that marks a hidden line (`rust` is always `#`). */
  hideLines?: Record<string, string>;
}

/** rustdoc's code block attributes (https://doc.rust-lang.org/rustdoc/write-documentation/documentation-tests.html). */
const RUSTDOC_ATTRIBUTE =
  /^(ignore(-[\w-]+)?|no_run|should_panic|compile_fail|test_harness|allow_fail|standalone_crate|edition\d{4}|E\d{4}|editable|noplayground|mdbook-runnable)$/;

export const remarkCodeInfo: Plugin<[CodeInfoOptions?], Root> =
  (options = {}) =>
  (tree) => {
    visit(tree, 'code', (node: Code) => {
      const language = codeLanguage(node.lang, node.meta, options.hideLines !== undefined);
      if (language === undefined) {
        node.lang = null;
        node.meta = null;
      } else if (language !== node.lang) {
        node.lang = language;
        node.meta = null;
      }
      if (options.hideLines && node.lang) {
        const prefix = node.lang === 'rust' ? '#' : options.hideLines[node.lang];
        if (prefix) node.value = withoutHiddenLines(node.value, node.lang === 'rust' ? rustHidden : prefixHidden(prefix));
      }
    });
  };

/** The language a code block is highlighted as, from its info string (lang + meta, as remark splits it). */
export function codeLanguage(lang: string | null | undefined, meta: string | null | undefined, rustdoc: boolean): string | undefined {
  if (!lang) return undefined;
  if (lang.startsWith('{')) {
    const attributes = parseAttributes(`${lang}${meta ? ` ${meta}` : ''}`.trim());
    return attributes?.classes[0]?.replace(/^language-/, '');
  }
  const words = lang.split(/[,\s]+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return undefined;
  if (rustdoc && RUSTDOC_ATTRIBUTE.test(first)) return 'rust';
  return first;
}

type HiddenRule = (line: string) => { hidden: boolean; shown?: string };

/**
 * mdBook's rule for Rust (`hide_lines_rust`): a line whose first non-blank character is `#` is hidden,
 * unless `#!` or `#[` (attributes, which are code); `##` at the start shows as a literal `#`.
 */
const rustHidden: HiddenRule = (line) => {
  const m = /^(\s*)#(.?)(.*)$/.exec(line);
  if (!m) return { hidden: false };
  if (m[2] === '#') return { hidden: false, shown: `${m[1]}#${m[3]}` };
  return { hidden: m[2] !== '!' && m[2] !== '[' };
};

const prefixHidden =
  (prefix: string): HiddenRule =>
  (line) => ({ hidden: line.trimStart().startsWith(prefix) });

export function withoutHiddenLines(code: string, rule: HiddenRule): string {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const { hidden, shown } = rule(line);
    if (!hidden) out.push(shown ?? line);
  }
  return out.join('\n');
}

export const rustHiddenRule = rustHidden;
