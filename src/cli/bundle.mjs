#!/usr/bin/env node
// The installed `colophon` command as one bundle (lib/bundle/), made by esbuild from the sources.
// Why: a build loads ~500 modules, and Node 20's ES module loader spends ~0.5 s resolving, reading
// and linking them one by one (half of a warm `build -t html,epub`); Node 20 has no compile cache.
// Chunks are split at Colophon's own dynamic imports, so a command still loads only what it uses.
// The library (`import … from 'colophon'`, lib/index.js) stays tsc's module-per-file output.
//
//   node src/cli/bundle.mjs [outdir]     (default lib/bundle; the tests bundle into a folder of their own)
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
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages that read their own files at run time (BullMQ its Lua scripts) or are large and only
  // loaded by some commands stay installed modules.
  external: ['puppeteer-core', 'puppeteer', '@puppeteer/browsers', 'bullmq', 'ioredis', '@daisy/*'],
  // CommonJS dependencies inside an ES module bundle call require(): give every chunk one.
  banner: { js: "import { createRequire as colophonCreateRequire } from 'node:module'; const require = colophonCreateRequire(import.meta.url);" },
  plugins: [unnamedVisits],
  legalComments: 'inline',
  logLevel: 'warning',
});
