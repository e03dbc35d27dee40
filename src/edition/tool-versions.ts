/**
 * Versions of everything that shapes an edition's bytes, recorded in its manifest so that a rebuild
 * that differs can say why it may: another Chromium prints other PDF bytes, another font package
 * ships other glyphs, and so on.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS, findBrowser } from '../browser/find-browser.ts';
import { FAMILIES } from '../fonts/catalogue.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../package-root.ts';

const require = createRequire(import.meta.url);
const REPO = PACKAGE_ROOT;

/** The installed version of an npm package (from its package.json, found through Node's resolution). */
export function packageVersion(name: string): string {
  try {
    const json = JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    // Packages whose `exports` hide package.json: walk up from the entry point.
    try {
      let dir = path.dirname(require.resolve(name));
      while (dir !== path.dirname(dir)) {
        const file = path.join(dir, 'package.json');
        if (fs.existsSync(file)) {
          const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (json.name === name) return json.version ?? 'unknown';
        }
        dir = path.dirname(dir);
      }
    } catch {
      // Not installed.
    }
    return 'not installed';
  }
}

/**
 * A hash of Colophon's own code and theme: the version number is not bumped for every change, and a
 * changed pipeline is the likeliest reason for a rebuild to differ while every other tool is the same.
 */
export function colophonSourcesHash(): string {
  const hash = createHash('sha256');
  for (const dir of ['src', 'styles']) {
    const root = path.join(REPO, dir);
    const files = (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((d) => d.isFile())
      .map((d) => path.relative(REPO, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
      .sort();
    for (const file of files)
      hash
        .update(`${file}\0`)
        .update(fs.readFileSync(path.join(REPO, file)))
        .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Chromium's version: `--version` is fast; the browser's own answer over DevTools is the fallback. */
export async function chromiumVersion(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = await findBrowser(env).catch(() => undefined);
  if (!found) return 'not found';
  try {
    const { stdout } = await promisify(execFile)(found.executablePath, ['--version'], { timeout: 15_000 });
    const version = /\d+\.\d+\.\d+\.\d+/.exec(stdout)?.[0];
    if (version) return version;
  } catch {
    // Some builds (Chrome on Windows) do not answer --version: ask the running browser instead.
  }
  const { launch } = await import('puppeteer-core');
  const browser = await launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    return (await browser.version()).replace(/^[^/]*\//, '');
  } finally {
    await browser.close();
  }
}

/** Ghostscript's version, or undefined when `gs` is not on the PATH of `env`. */
export async function ghostscriptVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('gs', ['--version'], { timeout: 15_000, env });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

export async function toolVersions(options: { ghostscript?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Record<string, string>> {
  const tools: Record<string, string> = {
    colophon: PACKAGE_VERSION,
    'colophon-sources': colophonSourcesHash(),
    node: process.version,
    chromium: await chromiumVersion(options.env),
    'puppeteer-core': packageVersion('puppeteer-core'),
    'epub-gen-memory': packageVersion('epub-gen-memory'),
    'pdf-lib': packageVersion('pdf-lib'),
    jszip: packageVersion('jszip'),
  };
  for (const family of FAMILIES) tools[family.packageName] = packageVersion(family.packageName);
  if (options.ghostscript) tools.ghostscript = (await ghostscriptVersion(options.env)) ?? 'not installed';
  return tools;
}

/** Tools whose recorded version differs from the current one, as `name: recorded → now` lines. */
export function toolDifferences(recorded: Record<string, string>, current: Record<string, string>): string[] {
  return Object.keys(recorded)
    .filter((name) => current[name] !== undefined && current[name] !== recorded[name])
    .map((name) => `${name}: ${recorded[name]} when frozen, ${current[name]} now`);
}
