/**
 * Colophon's own folder: package.json, styles/, icc/ and src/. Found by walking up from this module,
 * because the module runs from three places at different depths: the sources (src/), the compiled
 * library (lib/) and the bundled command (lib/bundle/, where every module shares one chunk's URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): { dir: string; version: string } {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'colophon') return { dir, version: pkg.version };
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    if (dir === path.dirname(dir)) throw new Error(`Colophon's package.json was not found above ${start}`);
  }
}

const found = findRoot(path.dirname(fileURLToPath(import.meta.url)));

export const PACKAGE_ROOT = found.dir;
export const PACKAGE_VERSION = found.version;
