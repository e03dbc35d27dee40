#!/usr/bin/env node
// The installed `colophon` command as one bundle (lib/bundle/), made by esbuild from the sources.
// Why: a build loads ~500 modules, and Node 20's ES module loader spends ~0.5 s resolving, reading
// and linking them one by one (half of a warm `build -t html,epub`).
// CommonJS, one file per entry, so that colophon.cjs (the bin) can run it with a V8 code cache, which
// only a script (not an ES module) can have on Node 20: what the code cache saves (~0.35 s of a build
// after one chapter of a novel changed) is more than what splitting at the lazy imports saved. The
// modules behind those imports are still run only when a command needs them (esbuild's lazy init).
// The library (`import … from 'colophon'`, lib/index.js) stays tsc's module-per-file output.
//
//   node src/cli/bundle.mjs [outdir]     (default lib/bundle; the tests bundle into a folder of their own)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * unist-util-visit-parents names every visit closure after its node (`node (element<p>)`, for stack
 * traces) with Object.defineProperty: that makes each visit about 4x slower (a walk of the
 * 216k-word generated book: 19 ms against 5 ms), and unified's plugins and retext-smartypants walk
 * every chapter a few dozen times while parsing. The bundle leaves the names out; nothing else
 * changes (the bundle test checks the same bytes as the sources). Fails the build if the code it
 * expects is gone, rather than bundling it unchanged without a word.
 */
const unnamedVisits = {
  name: 'unnamed-visits',
  setup(b) {
    b.onLoad({ filter: /unist-util-visit-parents[\\/]lib[\\/]index\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const naming = /\n\s*Object\.defineProperty\(visit, 'name', \{[^}]*\}\)\n/;
      if (!naming.test(source)) throw new Error(`${args.path}: the naming of visit closures was not found; review src/cli/bundle.mjs`);
      return { contents: source.replace(naming, '\n'), loader: 'js' };
    });
  },
};

const root = path.resolve(import.meta.dirname, '..', '..');
const outdir = path.resolve(process.argv[2] ?? path.join(root, 'lib', 'bundle'));

fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The workers are started by file name next to the module that starts them (parallel-parse.ts,
  // model-pool.ts), so they are entries of their own in the same folder.
  entryPoints: {
    run: 'src/cli/run.ts',
    'parse-worker': 'src/pipeline/parse-worker.ts',
    'model-worker': 'src/catalogue/model-worker.ts',
  },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Packages that read their own files at run time (BullMQ its Lua scripts) or are large and only
  // loaded by some commands stay installed modules.
  external: ['puppeteer-core', 'puppeteer', '@puppeteer/browsers', 'bullmq', 'ioredis', '@daisy/*'],
  // A CommonJS file has no import.meta: the modules' own URL (package-root.ts, the workers' files) is the bundle file's.
  define: { 'import.meta.url': '__colophonModuleUrl' },
  banner: { js: 'var __colophonModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [unnamedVisits],
  legalComments: 'inline',
  charset: 'ascii',
  logLevel: 'warning',
});

// Only ASCII, so that the bin reads the 5.6 MB program as a one-byte string: a few characters beyond
// it (in comments that esbuild keeps) made Node decode it as UTF-8 into a two-byte string, 38 ms
// against 12 ms. esbuild already escapes them in strings, regular expressions and identifiers; an
// escape means the same there, and anything in a comment.
for (const name of fs.readdirSync(outdir).filter((n) => n.endsWith('.cjs'))) {
  const file = path.join(outdir, name);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}
fs.copyFileSync(path.join(root, 'src', 'cli', 'colophon.cjs'), path.join(outdir, 'colophon.cjs'));
fs.chmodSync(path.join(outdir, 'colophon.cjs'), 0o755);
// What names this code in cache keys (code-version.ts, colophon.cjs's code cache): a hash of the bundle.
const hash = createHash('sha256');
for (const name of fs.readdirSync(outdir).sort())
  hash
    .update(`${name}\0`)
    .update(fs.readFileSync(path.join(outdir, name)))
    .update('\0');
fs.writeFileSync(path.join(outdir, 'bundle.json'), `${JSON.stringify({ hash: hash.digest('hex') })}\n`);
