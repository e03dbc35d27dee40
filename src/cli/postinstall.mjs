#!/usr/bin/env node
// After `npm install colophon` in another project: find or install the print browser, from the
// compiled lib/ (that project has no TypeScript loader). In Colophon's own checkout this does
// nothing: lib/ is built by `prepare`, which then runs the same setup (npm runs postinstall first).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const entry = path.join(root, 'lib', 'cli', 'main.js');
const ownCheckout = path.resolve(process.env.INIT_CWD ?? '') === root;
if (!ownCheckout && fs.existsSync(entry)) {
  const { main } = await import(entry);
  process.exitCode = await main(['setup', '--optional']);
}
