/**
 * What names "this code" in a disk-cache key: Colophon's version, a hash of the modules that make the
 * cached thing, and the installed versions of the packages they make it with. The code hash is there
 * because a checkout keeps its version number while its code changes; an entry made by other code must
 * never be read. Computed once per process and list.
 *
 * This module runs from the sources (src/), the compiled library (lib/) and the bundled command
 * (lib/bundle/). In the first two every module has its own file, and the named modules and everything
 * they import by a relative path are hashed; in the bundle modules have no files of their own, so the
 * whole bundle counts.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_VERSION } from './package-root.ts';

const versions = new Map<string, string>();

/**
 * @param modules the modules that make the cached thing, relative to src/ without extension
 *   (`pipeline/chapters`).
 * @param packages packages whose installed version goes into the key.
 */
export function codeVersion(modules: readonly string[], packages: readonly string[]): string {
  const memo = JSON.stringify([modules, packages]);
  const known = versions.get(memo);
  if (known) return known;
  const self = fileURLToPath(import.meta.url);
  const here = path.dirname(self);
  const hash = createHash('sha256');
  hash.update(`${PACKAGE_VERSION}\0`);
  const own = /code-version\.(ts|js)$/.exec(self);
  if (own) {
    for (const file of [...new Set(modules.flatMap((name) => importedModules(path.join(here, `${name}.${own[1]}`))))].sort()) {
      hash
        .update(`${path.relative(here, file)}\0`)
        .update(fs.readFileSync(file))
        .update('\0');
    }
  } else {
    // The bundle's own hash, written beside it by src/cli/bundle.mjs (hashing its 7 MB took 15 ms).
    hash.update(`${bundleHash(here)}\0`);
  }
  for (const name of packages) hash.update(`${name}@${installedVersion(name, here) ?? 'missing'}\0`);
  const version = hash.digest('hex').slice(0, 16);
  versions.set(memo, version);
  return version;
}

function bundleHash(dir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'bundle.json'), 'utf8')) as { hash: string }).hash;
  } catch {
    // Bundled without its stamp (by hand): the files themselves.
    const hash = createHash('sha256');
    for (const name of fs.readdirSync(dir).sort()) if (name.endsWith('.cjs')) hash.update(`${name}\0`).update(fs.readFileSync(path.join(dir, name)));
    return hash.digest('hex');
  }
}

/** The module and every module it imports by a relative path, transitively (what runs when it runs). */
function importedModules(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    // Type-only imports change no behaviour (and compiled JavaScript has none).
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      todo.push(path.resolve(path.dirname(file), m[1] as string));
    }
  }
  return [...seen].sort();
}

function readPackageJson(dir: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The version in the package.json of the copy Node would load from `from`: the nearest node_modules up. */
function installedVersion(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = readPackageJson(path.join(dir, 'node_modules', name));
    if (pkg?.version) return pkg.version;
    if (path.dirname(dir) === dir) return undefined;
  }
}
