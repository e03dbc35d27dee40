/**
 * The installed command is the esbuild bundle (lib/bundle/, src/cli/bundle.mjs) run by its bin
 * (colophon.cjs) with a V8 code cache, not the sources the other tests run. Bundled here into a folder
 * of its own (from the current sources, so it cannot be stale), it must make the same bytes as the
 * sources for every format a user asks for, its workers (parallel parsing) and package files (styles,
 * version) must be found from the bundle's folder, and its code cache must be kept and taken.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BOOK, PRIDE_AND_PREJUDICE } from './helpers/temp-book.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = path.join(ROOT, 'src/cli/bin.mjs');
// Inside the checkout, as lib/bundle is: the bundle finds Colophon's folder (styles/, package.json) by walking up.
const BUNDLE = fs.mkdtempSync(path.join(ROOT, 'test', '.tmp-bundle-'));
const BIN = path.join(BUNDLE, 'colophon.cjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-bundle-'));

/**
 * A whole command, awaited: never spawnSync, which would block this test worker's event loop for the
 * length of a PDF build and make vitest's calls to it time out.
 */
function colophon(bin: string, args: string[], cache: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(work, cache), ...env }, maxBuffer: 64 * 1024 * 1024 },
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
  it('is the bin, the program and its workers, all ASCII, requiring nothing but Node’s modules and installed packages', () => {
    const files = fs.readdirSync(BUNDLE).sort();
    expect(files).toEqual(['bundle.json', 'colophon.cjs', 'model-worker.cjs', 'parse-worker.cjs', 'run.cjs']);
    for (const file of files.filter((f) => /^(run|parse-worker|model-worker)\.cjs$/.test(f))) {
      const bytes = fs.readFileSync(path.join(BUNDLE, file));
      expect(
        bytes.every((b) => b < 0x80),
        `${file} is ASCII`,
      ).toBe(true);
      const text = bytes.toString('latin1');
      for (const m of text.matchAll(/\brequire\("([^"]+)"\)/g)) {
        const target = m[1] as string;
        expect(target.startsWith('.') || target.startsWith('/'), `${file} requires ${target}`).toBe(false);
      }
    }
  });

  it('prints the version from package.json', async () => {
    const r = await colophon(BIN, ['--version'], 'v');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('builds the fixture book to the same bytes as the sources, in every format', async () => {
    const fromSources = path.join(work, 'sources');
    const fromBundle = path.join(work, 'bundle');
    const formats = ['-t', 'html,epub,pdf'];
    const a = await colophon(SOURCES, ['build', FIXTURE_BOOK, '-o', fromSources, ...formats], 'a');
    expect(a.status, a.stderr).toBe(0);
    const b = await colophon(BIN, ['build', FIXTURE_BOOK, '-o', fromBundle, ...formats], 'b');
    expect(b.status, b.stderr).toBe(0);
    const names = fs.readdirSync(fromSources).sort();
    expect(names.filter((n) => /\.(html|epub|pdf)$/.test(n))).toHaveLength(3);
    expect(fs.readdirSync(fromBundle).sort()).toEqual(names);
    for (const name of names) {
      const file = path.join(fromSources, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(path.join(fromBundle, name)).equals(fs.readFileSync(file)), name).toBe(true);
    }
    // Second build from the bundle's own cache: nothing parsed, same bytes.
    const again = await colophon(BIN, ['build', FIXTURE_BOOK, '-o', fromBundle, '-t', 'html'], 'b');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/model\s+\d+ ms\s+\d+ chapter\(s\), 0 parsed/);
  });

  it('keeps a code cache per kind of command after a run that succeeded, takes it the next time, and makes it again when it is damaged', async () => {
    const code = path.join(work, 'code', 'colophon', 'code');
    const caches = () => (fs.existsSync(code) ? fs.readdirSync(code).sort() : []);
    // A failing run keeps nothing: its cache might hold only the way to the error.
    expect((await colophon(BIN, ['build', path.join(work, 'no-such-book')], 'code')).status).not.toBe(0);
    expect(caches()).toEqual([]);
    expect((await colophon(BIN, ['--version'], 'code', { COLOPHON_CODE_CACHE: '0' })).status).toBe(0);
    expect(caches()).toEqual([]);
    expect((await colophon(BIN, ['--version'], 'code')).status).toBe(0);
    const stamp = (JSON.parse(fs.readFileSync(path.join(BUNDLE, 'bundle.json'), 'utf8')) as { hash: string }).hash.slice(0, 16);
    const file = `${stamp}-${process.version}-${process.arch}-none---version.bin`;
    expect(caches()).toEqual([file]);
    const made = fs.statSync(path.join(code, file));
    // Taken (V8 accepts it): not written again. Damaged: V8 rejects it, the run still works and writes a good one.
    expect((await colophon(BIN, ['--version'], 'code')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(fs.statSync(path.join(code, file)).mtimeMs).toBe(made.mtimeMs);
    fs.writeFileSync(path.join(code, file), Buffer.alloc(made.size, 7));
    expect((await colophon(BIN, ['--version'], 'code')).status).toBe(0);
    expect(fs.readFileSync(path.join(code, file)).equals(Buffer.alloc(made.size, 7))).toBe(false);
    // Another kind of command has its own; a cache of another bundle or Node is removed when one is written.
    fs.writeFileSync(path.join(code, '0000000000000000-v0.0.0-x64-none---version.bin'), 'old');
    // A temporary file of a run killed an hour ago goes too; one being written now stays.
    const killed = path.join(code, `${file}.1.tmp`);
    fs.writeFileSync(killed, 'half');
    fs.utimesSync(killed, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    fs.writeFileSync(path.join(code, `${file}.2.tmp`), 'writing');
    expect((await colophon(BIN, ['--help'], 'code')).status).toBe(0);
    expect(caches()).toEqual([`${stamp}-${process.version}-${process.arch}-none---help.bin`, file, `${file}.2.tmp`].sort());
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
    const b = await colophon(BIN, ['build', ...books, '-j', '2', '-o', path.join(work, 'two-b'), '-t', 'epub'], 'jb');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    for (const slug of ['book-one', 'book-two']) {
      const name = path.join(slug, `${slug}.epub`);
      expect(fs.readFileSync(path.join(work, 'two-b', name)).equals(fs.readFileSync(path.join(work, 'two-a', name))), name).toBe(true);
    }
  });

  it('parses a cold book in its parse workers, found beside the program', async () => {
    // Workers are started only when cores are idle (by the kernel's idle counters): the test says every core is.
    const idle = path.join(work, 'idle.cjs');
    fs.writeFileSync(
      idle,
      "const os = require('node:os'); const cpus = os.cpus; os.cpus = () => cpus().map((c) => ({ ...c, times: { ...c.times, idle: performance.now() } }));\n",
    );
    const r = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', idle, BIN, 'build', PRIDE_AND_PREJUDICE, '-o', path.join(work, 'workers'), '-t', 'epub'],
        { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'workers-cache') } },
        (error, _out, err) => (error ? reject(new Error(err)) : resolve(err)),
      ),
    );
    expect(r).toMatch(/model\s+\d+ ms\s+61 chapter\(s\), 61 parsed \([1-9]\d* in [1-9] worker thread\(s\)\)/);
  });

  it('starts its parse worker, which loads the whole pipeline', async () => {
    const worker = new Worker(path.join(BUNDLE, 'parse-worker.cjs'));
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
