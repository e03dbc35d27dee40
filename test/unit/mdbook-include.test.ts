import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ColophonError } from '../../src/diagnostics.ts';
import { anchoredLines, expandIncludes, rustdocAnchoredLines, rustdocLines, splitSelector, takeLines } from '../../src/manuscript/mdbook/include.ts';

const FILE = [
  '// ANCHOR: all',
  'use std::io;',
  '// ANCHOR: main',
  'fn main() {',
  '    println!("hi");',
  '}',
  '// ANCHOR_END: main',
  '// ANCHOR_END: all',
  '',
].join('\n');

describe("mdBook's {{#include}}", () => {
  it('reads selectors as mdBook does: lines count from 1, inclusive, open at either end', () => {
    expect(splitSelector('f.rs')).toEqual({ file: 'f.rs', selector: { kind: 'all' } });
    expect(splitSelector('f.rs:2')).toEqual({ file: 'f.rs', selector: { kind: 'lines', start: 2, end: 2 } });
    expect(splitSelector('f.rs:2:')).toEqual({ file: 'f.rs', selector: { kind: 'lines', start: 2, end: undefined } });
    expect(splitSelector('f.rs::3')).toEqual({ file: 'f.rs', selector: { kind: 'lines', start: 1, end: 3 } });
    expect(splitSelector('f.rs:main')).toEqual({ file: 'f.rs', selector: { kind: 'anchor', name: 'main' } });
    expect(takeLines('a\nb\nc\nd\n', { kind: 'lines', start: 2, end: 3 })).toBe('b\nc');
    expect(takeLines('a\nb\n', { kind: 'all' })).toBe('a\nb');
  });

  it('takes anchored lines without the anchor comments, and marks the rest hidden for rustdoc_include', () => {
    expect(anchoredLines(FILE, 'main')).toBe('fn main() {\n    println!("hi");\n}');
    expect(anchoredLines(FILE, 'all')).toBe('use std::io;\nfn main() {\n    println!("hi");\n}');
    expect(rustdocAnchoredLines(FILE, 'main')).toBe('# use std::io;\nfn main() {\n    println!("hi");\n}');
    expect(rustdocLines('a\nb\nc', { kind: 'lines', start: 2, end: 2 })).toBe('# a\nb\n# c');
    expect(() => anchoredLines(FILE, 'nope')).toThrow(ColophonError);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-include-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'listings'));
  fs.writeFileSync(path.join(dir, 'listings', 'main.rs'), FILE);
  fs.writeFileSync(path.join(dir, 'listings', 'nested.md'), 'Nested: {{#include main.rs:2}}\n');
  const chapter = path.join(dir, 'src', 'ch.md');

  it('expands includes relative to the including file, recursively, and maps every line back to the directive', () => {
    const text =
      '# Ch\n\n```rust\n{{#rustdoc_include ../listings/main.rs:main}}\n```\n\n{{#include ../listings/nested.md}}\n\\{{#include kept.rs}}\n{{#title A page title}}\nEnd\n';
    const out = expandIncludes(text, chapter, dir);
    expect(out.text).toBe('# Ch\n\n```rust\n# use std::io;\nfn main() {\n    println!("hi");\n}\n```\n\nNested: use std::io;\n{{#include kept.rs}}\n\nEnd\n');
    expect(out.lineMap).toEqual([1, 2, 3, 4, 4, 4, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(out.files.map((f) => path.relative(dir, f)).sort()).toEqual(['listings/main.rs', 'listings/main.rs', 'listings/nested.md'].sort());
  });

  it('refuses a missing file and anything outside the book folder, at the line of the directive', () => {
    const failure = (text: string) => {
      try {
        expandIncludes(text, chapter, dir);
      } catch (e) {
        return (e as ColophonError).diagnostics[0];
      }
      throw new Error('expected an error');
    };
    expect(failure('a\n\n{{#include ../listings/gone.rs}}\n')).toMatchObject({ code: 'mdbook/include-missing', location: { file: chapter, line: 3 } });
    expect(failure('{{#include ../../../etc/passwd}}\n')).toMatchObject({ code: 'mdbook/include-outside', location: { line: 1 } });
    expect(failure('{{#include ../listings/main.rs:missing}}\n')).toMatchObject({ code: 'mdbook/include-anchor', location: { line: 1 } });
  });
});
