import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { codeLanguage, remarkCodeInfo, rustHiddenRule, withoutHiddenLines } from '../../src/pipeline/remark-code-info.ts';
import { runRemark } from './helpers.ts';

describe('code block info strings', () => {
  it('takes the first word as the language, whatever follows', () => {
    expect(codeLanguage('rust,ignore', null, false)).toBe('rust');
    expect(codeLanguage('rust,no_run,noplayground', null, false)).toBe('rust');
    expect(codeLanguage('rust', ',ignore', false)).toBe('rust');
    expect(codeLanguage('console', null, false)).toBe('console');
    expect(codeLanguage('{.python', '.numberLines startFrom="3"}', false)).toBe('python');
    expect(codeLanguage(null, null, false)).toBeUndefined();
  });

  it('reads a block of only rustdoc attributes as Rust in an mdBook project', () => {
    expect(codeLanguage('no_run', null, true)).toBe('rust');
    expect(codeLanguage('compile_fail,E0597', null, true)).toBe('rust');
    expect(codeLanguage('no_run', null, false)).toBe('no_run');
  });

  it('hides the lines mdBook hides in Rust: # lines, but not #! and #[ attributes; ## is a literal #', () => {
    const code = '# fn main() {\nlet x = 1;\n    # let hidden = 2;\n#\n#![allow(unused)]\n#[derive(Debug)]\n##[not hidden]\n# }';
    expect(withoutHiddenLines(code, rustHiddenRule)).toBe('let x = 1;\n#![allow(unused)]\n#[derive(Debug)]\n#[not hidden]');
  });

  it('applies to the tree: language classes, and hidden lines only for mdBook projects', () => {
    const md = '```rust,ignore\n# use std::mem;\nfn f() {}\n```\n\n```python\n~ import os\nprint(1)\n```\n';
    expect(runRemark(remarkCodeInfo, md, { hideLines: { python: '~' } }).tree.children.filter((n) => n.type === 'element')).toMatchObject([
      h('pre', [h('code.language-rust', 'fn f() {}\n')]),
      h('pre', [h('code.language-python', 'print(1)\n')]),
    ]);
    expect(runRemark(remarkCodeInfo, md, {}).tree.children.filter((n) => n.type === 'element')[0]).toMatchObject(
      h('pre', [h('code.language-rust', '# use std::mem;\nfn f() {}\n')]),
    );
  });
});
