/**
 * The bad-input gauntlet: every hostile or broken manuscript fails well through the real CLI. Each
 * failing case must exit non-zero with `file:line:col: error: … [code]` and a hint, and leave the
 * output folder, which holds an earlier build, byte-for-byte as it was: no partial file, no temp file.
 * Cases that must just work (BOM, CRLF, duplicate ids, 10,000 headings) check the output instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_CHAPTER_BYTES } from '../src/manuscript/limits.ts';
import { cleanupHostile, errorLines, oldDist, runCli, snapshot, tempDir, tempFiles } from './helpers/hostile.ts';
import { PNG_1x1 } from './helpers/temp-book.ts';

/** Longer than any of these takes on a loaded 2-core machine, far shorter than the hangs they guard against. */
const HANG_GUARD_MS = 30_000;

afterAll(cleanupHostile);
afterEach(() => {
  vi.restoreAllMocks();
});

const BIN = path.resolve(import.meta.dirname, '../src/cli/bin.mjs');

function book(files: Record<string, string | Buffer>): string {
  const dir = tempDir('colophon-ms-');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

interface Expect {
  /** The file the error is about, and where: e.g. /a\.md:3:1$/ (matched against the location). */
  where?: RegExp;
  message: RegExp;
  code?: number;
}

/** Runs `build` into a folder with an earlier build and checks it failed well and touched nothing. */
async function failsWell(input: string, expected: Expect, formats = 'html,epub', extra: string[] = []) {
  const dist = oldDist();
  const before = snapshot(dist);
  const r = await runCli('build', input, '-o', dist, '-t', formats, ...extra);
  expect(r.code, r.err).toBe(expected.code ?? 1);
  expect(r.err).toMatch(expected.message);
  expect(r.err).not.toMatch(/internal error/);
  const errors = errorLines(r.err);
  expect(errors.length, r.err).toBeGreaterThan(0);
  const main = errors.find((e) => expected.message.test(`${e.message} [${e.code}]`)) ?? errors[0];
  if (expected.where) expect(main?.where, r.err).toMatch(expected.where);
  expect(main?.hint, `a hint for: ${r.err}`).toBeTruthy();
  expect(snapshot(dist)).toEqual(before);
  expect(tempFiles(dist)).toEqual([]);
  return r;
}

describe('book.yaml', () => {
  it('malformed YAML: line and column of the syntax error', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nauthor: [unclosed\nlanguage: en\n', 'a.md': '# A\n' }), {
      where: /book\.yaml:\d+:\d+$/,
      message: /error: .*\[config\//,
    });
  });

  it('wrong type: at the value', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nhyphenate: sometimes\n', 'a.md': '# A\n' }), { where: /book\.yaml:2:\d+$/, message: /hyphenate/ });
  });

  it('unknown key: at the key, suggesting the right one', async () => {
    const r = await failsWell(book({ 'book.yaml': 'title: T\nautor: Ann\n', 'a.md': '# A\n' }), { where: /book\.yaml:2:1$/, message: /unknown key "autor"/ });
    expect(r.err).toMatch(/hint: .*"author"/);
  });

  it('a chapter listed but missing: at its list entry', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nchapters:\n  - a.md\n  - gone.md\n', 'a.md': '# A\n' }), {
      where: /book\.yaml:4:5$/,
      message: /chapter "gone\.md" does not exist/,
    });
  });

  it('a chapter that is a folder', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nchapters: [sub]\n', 'sub/a.md': '# A\n' }), { where: /sub$/, message: /is a folder/ });
  });

  it('a cover that is not an image', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\ncover: cover.png\n', 'a.md': '# A\n', 'cover.png': 'just some text' }), {
      where: /book\.yaml:2:1$/,
      message: /"cover\.png" is not a valid PNG image/,
    });
  });

  it('a cover outside the manuscript folder', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\ncover: /etc/hostname\n', 'a.md': '# A\n' }), {
      where: /book\.yaml:2:1$/,
      message: /cover .* absolute path/,
    });
  });

  it('a stylesheet outside the manuscript folder', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nstyles: [../../etc/passwd]\n', 'a.md': '# A\n' }), {
      // The entry itself, not just the `styles:` key.
      where: /book\.yaml:2:10$/,
      message: /stylesheet ".*" points outside the manuscript folder/,
    });
  });
});

describe('manuscript files', () => {
  it('an empty manuscript: book.yaml and no chapter', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\n' }), { where: /book\.yaml$/, message: /no chapters/ });
  });

  it('chapters that are all empty', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': '', 'b.md': '\n  \n' }), { where: /book\.yaml$/, message: /every chapter file is empty/ });
  });

  it('a manuscript that does not exist', async () => {
    await failsWell('/nonexistent/colophon/book', { where: /\/nonexistent\/colophon\/book$/, message: /no manuscript at/ });
  });

  it('a single .md file without front matter', async () => {
    const dir = book({ 'book.md': 'Just text.\n' });
    await failsWell(path.join(dir, 'book.md'), { where: /book\.md:1:1$/, message: /no YAML front matter/ });
  });

  it('a chapter that is not UTF-8: line and column of the bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('# A\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait.\n')]);
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': latin1 }), { where: /a\.md:3:4$/, message: /not valid UTF-8/ });
  });

  it('a chapter with NUL bytes', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': Buffer.from('# A\n\nab\0cd\n') }), { where: /a\.md:3:3$/, message: /NUL bytes/ });
  });

  it(`a chapter over the size limit (${MAX_CHAPTER_BYTES / 1024 / 1024} MB) fails at once`, async () => {
    const big = `# Big\n\n${'All work and no play. '.repeat(Math.ceil((MAX_CHAPTER_BYTES + 1024) / 22))}\n`;
    const r = await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': big }), { where: /a\.md$/, message: /chapter is \d+\.\d MB, more than 8 MB/ });
    // A hang guard, not a speed claim (speed is judged in npm run bench): parsing 8 MB takes ~40 s.
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it('10,000 nested blockquotes: a clear error at the line, no stack overflow', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${'>'.repeat(10_000)} deep\n` }), {
      where: /a\.md:3:1$/,
      message: /\d+ nested blockquotes/,
    });
  });

  it('lists nested by indentation: a clear error at the first line too deep', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${lines}\n` }), { where: /a\.md:131:1$/, message: /indentation of \d+ columns/ });
  });

  it.each([
    ['10,000 list markers on one line', `${'- '.repeat(10_000)}x`, /nested lists and blockquotes on one line/],
    ['10,000 numbered list markers on one line', `${'1. '.repeat(10_000)}x`, /nested lists and blockquotes on one line/],
    ['quotes and lists alternating 5,000 deep', `${'> - '.repeat(5_000)}x`, /nested (blockquotes|lists)/],
    ['emphasis nested 5,000 deep', `${'*'.repeat(10_000)}x${'*'.repeat(10_000)}`, /a run of more than 256 emphasis characters/],
  ])('%s: fails at once (was up to 130 s)', async (_name, line, message) => {
    const r = await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${line}\n` }), { where: /a\.md:3:\d+$/, message });
    // A hang guard: these took 60 to 130 s before they were refused up front.
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });

  it('raw HTML nested 10,000 deep: a clear error naming the chapter', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}\n` }), {
      where: /a\.md(:\d+:\d+)?$/,
      message: /too deep/,
    });
  });

  it('a chapter that is a symlink leaving the folder', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.md'), '# Secret\n');
    const dir = book({ 'book.yaml': 'title: T\nchapters: [a.md, link.md]\n', 'a.md': '# A\n' });
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'link.md'));
    await failsWell(dir, { where: /book\.yaml:2:\d+$/, message: /chapter "link\.md" points outside the manuscript folder/ });
  });

  it('a chapter path going up out of the folder', async () => {
    await failsWell(book({ 'book.yaml': 'title: T\nchapters:\n  - ../../etc/passwd\n', 'a.md': '# A\n' }), {
      where: /book\.yaml:3:5$/,
      message: /points outside the manuscript folder/,
    });
  });
});

describe('links and images', () => {
  const withChapter = (md: string, files: Record<string, string | Buffer> = {}) => book({ 'book.yaml': 'title: T\n', 'a.md': md, ...files });

  it('a link to a missing anchor', async () => {
    await failsWell(withChapter('# A\n\nSee [there](#nowhere).\n'), { where: /a\.md:3:5$/, message: /points to an anchor that does not exist/ });
  });

  it('a link to a chapter that is not in the book', async () => {
    await failsWell(withChapter('# A\n\nSee [there](gone.md#x).\n'), { where: /a\.md:3:5$/, message: /not a chapter of this book/ });
  });

  it('a missing image', async () => {
    await failsWell(withChapter('# A\n\n![A map](images/map.png)\n'), { where: /a\.md:3:1$/, message: /image "images\/map\.png" does not exist/ });
  });

  it('a corrupt image', async () => {
    await failsWell(withChapter('# A\n\n![A map](map.png)\n', { 'map.png': Buffer.from('PNG? no, just text pretending') }), {
      where: /a\.md:3:1$/,
      message: /"map\.png" is not a valid PNG image/,
    });
  });

  it('a truncated PNG (signature only)', async () => {
    await failsWell(withChapter('# A\n\n![A map](map.png)\n', { 'map.png': PNG_1x1.subarray(0, 8) }), { where: /a\.md:3:1$/, message: /image\/corrupt/ });
  });

  it('an image of an unsupported type', async () => {
    await failsWell(withChapter('# A\n\n![A map](map.bmp)\n', { 'map.bmp': Buffer.from('BM....') }), { where: /a\.md:3:1$/, message: /unsupported type/ });
  });

  it('an SVG with a script', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>';
    await failsWell(withChapter('# A\n\n![Pic](pic.svg)\n', { 'pic.svg': svg }), { where: /a\.md:3:1$/, message: /SVG image "pic\.svg" contains a <script>/ });
  });

  it('an SVG with an external reference', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://127.0.0.1:9/x.png"/></svg>';
    await failsWell(withChapter('# A\n\n![Pic](pic.svg)\n', { 'pic.svg': svg }), { where: /a\.md:3:1$/, message: /reference to another file or the network/ });
  });

  it.each([
    ['../../etc/passwd', /points outside the manuscript folder/],
    ['/etc/passwd', /is an absolute path/],
    ['file:///etc/passwd', /is a URL|not a file of the manuscript/],
  ])('an image at %s', async (src, message) => {
    await failsWell(withChapter(`# A\n\n![Secret](${src})\n`), { where: /a\.md:3:1$/, message });
  });

  it('an image that is a symlink to /etc/hostname', async () => {
    const dir = withChapter('# A\n\n![Host](host.png)\n');
    fs.symlinkSync('/etc/hostname', path.join(dir, 'host.png'));
    await failsWell(dir, { where: /a\.md:3:1$/, message: /image "host\.png" points outside the manuscript folder/ });
  });

  it('an image that is a symlink to a valid PNG outside the folder', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'real.png'), PNG_1x1);
    const dir = withChapter('# A\n\n![Pic](images/pic.png)\n');
    fs.mkdirSync(path.join(dir, 'images'));
    fs.symlinkSync(path.join(outside, 'real.png'), path.join(dir, 'images', 'pic.png'));
    await failsWell(dir, { where: /a\.md:3:1$/, message: /points outside the manuscript folder/ });
  });

  it('an image through a symlinked folder leaving the manuscript', async () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'real.png'), PNG_1x1);
    const dir = withChapter('# A\n\n![Pic](images/real.png)\n');
    fs.symlinkSync(outside, path.join(dir, 'images'));
    await failsWell(dir, { where: /a\.md:3:1$/, message: /points outside the manuscript folder/ });
  });

  it('raw <img src="file:///etc/passwd">', async () => {
    await failsWell(withChapter('# A\n\n<img src="file:///etc/passwd" alt="x">\n'), { where: /a\.md:3:1$/, message: /not a file of the manuscript/ });
  });

  it('a remote image with no network fails fast, without fetching', async () => {
    // 10.255.255.1 is unroutable: a fetch would hang until a timeout.
    const r = await failsWell(withChapter('# A\n\n![Far](http://10.255.255.1/far.png)\n\n<img src="https://10.255.255.1/x.png" alt="x">\n'), {
      where: /a\.md:3:1$/,
      message: /remote image "http:\/\/10\.255\.255\.1\/far\.png" is not fetched/,
    });
    expect(r.err).toMatch(/a\.md:5:1: error: remote image "https:/);
    // A hang guard: a fetch of the unroutable address would wait for a network timeout.
    expect(r.ms).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('raw HTML with active content fails at its line', () => {
  it.each([
    ['<script>alert(1)</script>', /<script> in raw HTML is not allowed/],
    ['<img src="p.png" alt="x" onerror="alert(1)">', /event handler "onerror"/],
    ['<iframe src="https://example.com/"></iframe>', /<iframe> in raw HTML/],
    ['<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">', /<link> in raw HTML/],
    ['<object data="/etc/passwd"></object>', /<object> in raw HTML/],
    ['<a href="javascript:alert(1)">x</a>', /javascript: URL in href/],
  ])('%s', async (snippet, message) => {
    const dir = book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${snippet}\n\nText.\n`, 'p.png': PNG_1x1 });
    await failsWell(dir, { where: /a\.md:3:\d+$/, message });
  });
});

describe('raw HTML leftovers are removed with a warning, and the book still builds', () => {
  it.each([
    ['<p style="background: red">x</p>', /inline style on <p> was removed/, /background: red/],
    ['<style>p { color: red }</style>', /<style> in raw HTML/, /color: red/],
  ])('%s', async (snippet, warning, absent) => {
    const dir = book({ 'book.yaml': 'title: T\n', 'a.md': `# A\n\n${snippet}\n\nText.\n`, 'p.png': PNG_1x1 });
    const dist = oldDist();
    const r = await runCli('build', dir, '-o', dist, '-t', 'html');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`a\\.md:3:1: warning: .*${warning.source}`));
    const html = fs.readFileSync(path.join(dist, 't.html'), 'utf8');
    expect(html).not.toMatch(absent);
    expect(tempFiles(dist)).toEqual([]);
  });
});

describe('inputs that must just work', () => {
  const build = async (dir: string, formats = 'html,epub') => {
    const dist = tempDir();
    const r = await runCli('build', dir, '-o', dist, '-t', formats, '--quiet');
    expect(r.code, r.err).toBe(0);
    return { dist, read: (name: string) => fs.readFileSync(path.join(dist, name)) };
  };
  const text = { yaml: 'title: T\nauthor: Ann\nchapters:\n  - a.md\n', md: '# A\n\n"Quoted" text.\n\n> A quote\n> on two lines\n\n```\ncode\n```\n' };

  it('CRLF line endings: the same output as LF', async () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const lf = await build(book({ 'book.yaml': text.yaml, 'a.md': text.md }));
    const dos = await build(book({ 'book.yaml': crlf(text.yaml), 'a.md': crlf(text.md) }));
    expect(dos.read('t.html').equals(lf.read('t.html'))).toBe(true);
    expect(dos.read('t.epub').equals(lf.read('t.epub'))).toBe(true);
  });

  it('a byte-order mark: the same output as without', async () => {
    const plain = await build(book({ 'book.yaml': text.yaml, 'a.md': text.md }));
    const bom = await build(book({ 'book.yaml': `\uFEFF${text.yaml}`, 'a.md': `\uFEFF${text.md}` }));
    expect(bom.read('t.html').equals(plain.read('t.html'))).toBe(true);
    expect(bom.read('t.epub').equals(plain.read('t.epub'))).toBe(true);
  });

  it('duplicate heading ids across chapters are made unique, not an error', async () => {
    const out = await build(
      book({ 'book.yaml': 'title: T\n', 'a.md': '# Intro\n\n## Notes\n', 'b.md': '# Intro\n\n## Notes\n\n[back](a.md#notes)\n' }),
      'html',
    );
    const html = out.read('t.html').toString();
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['notes', 'notes-1', 'intro', 'intro-1']));
  });

  it('10,000 headings build', async () => {
    const md = Array.from({ length: 10_000 }, (_, i) => `## Heading ${i}\n\nText ${i}.\n`).join('\n');
    const out = await build(book({ 'book.yaml': 'title: T\nhyphenate: false\n', 'a.md': `# A\n\n${md}` }), 'html');
    expect(out.read('t.html').toString()).toContain('id="heading-9999"');
    // A hang guard: about 15 s on an idle machine, 80 s was seen at a load of 27 on 2 cores.
  }, 240_000);
});

describe('output folder and CLI', () => {
  const ok = () => book({ 'book.yaml': 'title: T\n', 'a.md': '# A\n\nText.\n' });

  it('an output folder below a regular file', async () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'blocker'), 'a file');
    const r = await runCli('build', ok(), '-o', path.join(parent, 'blocker', 'dist'), '-t', 'html');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blocker\/dist\/t\.html: error: cannot write .*: a file is in the way of the output folder \[output\/write\]\n {2}hint: /);
    expect(fs.readdirSync(parent)).toEqual(['blocker']);
  });

  it('an output folder that is not writable (EACCES, simulated: tests run as root)', async () => {
    const real = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation((file, ...rest) => {
      if (String(file).endsWith('.tmp')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return real(file, ...(rest as [fs.OpenMode]));
    });
    await failsWell(ok(), { where: /t\.html$/, message: /cannot write .*t\.html: permission denied/ });
  });

  it('a full disk while writing the second format: the whole earlier set stays', async () => {
    const real = fs.writeFileSync;
    let calls = 0;
    vi.spyOn(fs, 'writeFileSync').mockImplementation((file, ...rest) => {
      if (typeof file === 'number' && ++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return real(file, ...(rest as [string]));
    });
    await failsWell(ok(), { where: /t\.epub$/, message: /cannot write .*t\.epub: the disk is full/ });
    expect(calls).toBe(2);
  });

  it('an unknown CLI option', async () => {
    const dist = oldDist();
    const before = snapshot(dist);
    const r = await runCli('build', ok(), '-o', dist, '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--frobnicate'/);
    expect(r.err).toMatch(/Run `colophon --help`/);
    expect(snapshot(dist)).toEqual(before);
  });

  it('an unknown output format', async () => {
    await failsWell(ok(), { message: /unknown output format "docx"/, code: 2 }, 'html,docx');
  });

  it('through the real bin: a broken manuscript exits 1, names the line, and leaves dist alone', () => {
    const dir = book({ 'book.yaml': 'title: T\n', 'a.md': '# A\n\n![x](missing.png)\n' });
    const dist = oldDist();
    const before = snapshot(dist);
    const r = spawnSync(process.execPath, [BIN, 'build', dir, '-o', dist, '-t', 'html,epub'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a\.md:3:1: error: image "missing\.png" does not exist \[image\/missing\]\n {2}hint: /);
    expect(snapshot(dist)).toEqual(before);
  });

  it('through the real bin: an unknown format exits 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'build', ok(), '-o', oldDist(), '-t', 'mobi'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown output format "mobi"/);
  });
});
