#!/usr/bin/env node
// The installed `colophon` command (package.json "bin"): runs the bundled program (run.cjs beside
// this file once src/cli/bundle.mjs has copied it there) with a V8 code cache.
//
// Why by hand: Node 20 has no compile cache (module.enableCompileCache is Node 22), and
// v8-compile-cache keeps only what V8 compiles before the code runs (produceCachedData), not the
// functions compiled lazily while it runs, which are most of the cost. A cache made after a run has
// both: measured on a 137-chapter novel after one chapter was edited, `build -t html,epub` took a
// median 1.83 s without it and 1.47 s with it (2 cores, Node 20.20).
//
// One cache per kind of command (`build` and its formats, `check`, `--version`, …), because a cache
// holds what the run that made it compiled. It is made at the end of the first such run that
// succeeds, and again when V8 rejects it (another Node or V8 flags). File names carry the bundle's
// hash and Node's version: an update makes new files, and the old ones are removed when it does.
// They live beside the chapter cache ($XDG_CACHE_HOME/colophon/code); `colophon cache clear` empties
// both. COLOPHON_CODE_CACHE=0 runs without it. Any failure to read or write it only costs time.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const program = path.join(__dirname, 'run.cjs');
// The bundle is ASCII (bundle.mjs makes it so): read as Latin-1 it is a one-byte string, 3x faster to make than from UTF-8.
const bytes = fs.readFileSync(program);
const source = require('node:buffer').isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');

/** `$XDG_CACHE_HOME/colophon/code`, as disk-cache.ts finds the chapters' folder (a relative XDG path is ignored). */
function codeCacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'colophon', 'code');
}

/** The kind of command: its name, and for `build` the formats asked for (what decides the code it runs). */
function commandKind(args) {
  const command = args.find((a) => !a.startsWith('-')) ?? 'none';
  const flags = args.filter((a) => /^(--version|--help|-v|-h)$/.test(a));
  const at = args.findIndex((a) => a === '-t' || a === '--to');
  const to = at >= 0 ? (args[at + 1] ?? '') : (args.find((a) => a.startsWith('--to=')) ?? '').slice(5);
  const formats = command === 'build' ? to.split(',').filter(Boolean).sort().join('.') : '';
  return [command, formats, ...flags]
    .filter(Boolean)
    .join('-')
    .replace(/[^\w.-]/g, '_')
    .slice(0, 80);
}

let cacheFile;
let cached;
if (process.env.COLOPHON_CODE_CACHE !== '0') {
  let stamp = '';
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(__dirname, 'bundle.json'), 'utf8')).hash;
  } catch {
    stamp = crypto.createHash('sha256').update(source).digest('hex');
  }
  const prefix = `${stamp.slice(0, 16)}-${process.version}-${process.arch}-`;
  cacheFile = path.join(codeCacheDir(), `${prefix}${commandKind(process.argv.slice(2))}.bin`);
  try {
    cached = fs.readFileSync(cacheFile);
  } catch {
    cached = undefined;
  }
  process.once('exit', (code) => {
    if (code !== 0 || (cached && !script.cachedDataRejected)) return;
    try {
      const data = script.createCachedData();
      const dir = path.dirname(cacheFile);
      fs.mkdirSync(dir, { recursive: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, cacheFile);
      // Caches of other bundles or other Nodes are never read again; a temporary file an hour old was left by a killed run.
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        const stale = name.endsWith('.tmp') ? Date.now() - fs.statSync(file).mtimeMs > 3_600_000 : !name.startsWith(prefix);
        if (stale) fs.rmSync(file, { force: true });
      }
    } catch {
      // A read-only or full disk: the next run compiles again.
    }
  });
}

const script = new vm.Script(Module.wrap(source), {
  filename: program,
  ...(cached ? { cachedData: cached } : {}),
  // The program's import() of installed packages (Puppeteer, DAISY Ace) goes through Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const mod = new Module(program, module);
mod.filename = program;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(program), mod, program, __dirname);
