/**
 * The installed command is the esbuild bundle (lib/bundle/, src/cli/bundle.mjs), not the sources the
 * other tests run. Bundled here into a folder of its own (from the current sources, so it cannot be
 * stale), it must make the same bytes as the sources for every format a user asks for, and its
 * workers (parallel parsing) and package files (styles, version) must be found from the bundle's folder.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BOOK } from './helpers/temp-book.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = path.join(ROOT, 'src/cli/bin.mjs');
// Inside the checkout, as lib/bundle is: the bundle finds Colophon's folder (styles/, package.json) by walking up.
const BUNDLE = fs.mkdtempSync(path.join(ROOT, 'test', '.tmp-bundle-'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bundle-'));

/**
 * A whole command, awaited: never spawnSync, which would block this test worker's event loop for the
 * length of a PDF build and make vitest's calls to it time out.
 */
function colophon(bin: string, args: string[], cache: string): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(work, cache) }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status: code, stderr, stdout });
      },
    );
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'src/cli/bundle.mjs'), BUNDLE], (error) => (error ? reject(error) : resolve()));
  });
});
afterAll(() => {
  fs.rmSync(BUNDLE, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the bundled command', () => {
  it('has the workers as entries beside it and no module outside its folder but installed packages', () => {
    const files = fs.readdirSync(BUNDLE);
    expect(files).toEqual(expect.arrayContaining(['run.js', 'parse-worker.js', 'model-worker.js']));
    let imports = 0;
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(BUNDLE, file), 'utf8');
      // Relative imports only between the bundle's own chunks.
      for (const m of text.matchAll(/\bfrom\s*"(\.\/[\w.-]+\.js)"|\bimport\(\s*"(\.\/[\w.-]+\.js)"\s*\)/g)) {
        const target = (m[1] ?? m[2]) as string;
        imports++;
        expect(fs.existsSync(path.join(BUNDLE, target)), `${file} imports ${target}`).toBe(true);
      }
    }
    // Split at the CLI's lazy imports: many chunks, each command loading its own.
    expect(imports).toBeGreaterThan(20);
  });

  it('prints the version from package.json', async () => {
    const r = await colophon(path.join(BUNDLE, 'run.js'), ['--version'], 'v');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('builds the fixture book to the same bytes as the sources, in every format', async () => {
    const fromSources = path.join(work, 'sources');
    const fromBundle = path.join(work, 'bundle');
    const formats = ['-t', 'html,epub,pdf'];
    const a = await colophon(SOURCES, ['build', FIXTURE_BOOK, '-o', fromSources, ...formats], 'a');
    expect(a.status, a.stderr).toBe(0);
    const b = await colophon(path.join(BUNDLE, 'run.js'), ['build', FIXTURE_BOOK, '-o', fromBundle, ...formats], 'b');
    expect(b.status, b.stderr).toBe(0);
    const names = fs.readdirSync(fromSources).sort();
    expect(names.filter((n) => /\.(html|epub|pdf)$/.test(n))).toHaveLength(3);
    expect(fs.readdirSync(fromBundle).sort()).toEqual(names);
    for (const name of names) {
      const file = path.join(fromSources, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(path.join(fromBundle, name)).equals(fs.readFileSync(file)), name).toBe(true);
    }
    // Second build from the bundle's own cache: nothing parsed, same bytes.
    const again = await colophon(path.join(BUNDLE, 'run.js'), ['build', FIXTURE_BOOK, '-o', fromBundle, '-t', 'html'], 'b');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/model\s+\d+ ms\s+\d+ chapter\(s\), 0 parsed/);
  });

  it('builds two books in its model workers (-j 2) to the same bytes as the sources', async () => {
    const books = ['one', 'two'].map((name) => {
      const dir = path.join(work, name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'book.yaml'), `title: Book ${name}\nauthor: A. Writer\n`);
      fs.writeFileSync(path.join(dir, 'a.md'), `# Chapter\n\nThe river ran on "past the mill" -- and the miller's ${name} watched it go.\n`);
      return dir;
    });
    const a = await colophon(SOURCES, ['build', ...books, '-j', '2', '-o', path.join(work, 'two-a'), '-t', 'epub'], 'ja');
    const b = await colophon(path.join(BUNDLE, 'run.js'), ['build', ...books, '-j', '2', '-o', path.join(work, 'two-b'), '-t', 'epub'], 'jb');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    for (const slug of ['book-one', 'book-two']) {
      const name = path.join(slug, `${slug}.epub`);
      expect(fs.readFileSync(path.join(work, 'two-b', name)).equals(fs.readFileSync(path.join(work, 'two-a', name))), name).toBe(true);
    }
  });

  it('starts its parse worker, which loads the whole pipeline', async () => {
    const worker = new Worker(path.join(BUNDLE, 'parse-worker.js'));
    try {
      const first = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(first).toEqual({ ready: true });
    } finally {
      await worker.terminate();
    }
  });
});
