/**
 * Finding a Chromium for the PDF stage, in this order: an explicit path (PUPPETEER_EXECUTABLE_PATH or
 * COLOPHON_CHROMIUM), a system Chromium/Chrome, then a browser that `colophon setup` (npm install's
 * postinstall) downloaded into Colophon's cache with @puppeteer/browsers. We depend on puppeteer-core,
 * not puppeteer: the latter downloads Chrome at install and so fails to install without internet.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ColophonError, error } from '../diagnostics.ts';

export const BROWSER_CACHE = process.env.COLOPHON_BROWSER_CACHE ?? path.join(os.homedir(), '.cache', 'colophon', 'browsers');

const SYSTEM_CANDIDATES: Record<string, string[]> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    `${process.env.LOCALAPPDATA ?? ''}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};

export interface FoundBrowser {
  executablePath: string;
  source: 'env' | 'system' | 'cache';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser | undefined> {
  for (const name of ['PUPPETEER_EXECUTABLE_PATH', 'COLOPHON_CHROMIUM']) {
    const value = env[name];
    if (!value) continue;
    if (isExecutable(value)) return { executablePath: value, source: 'env' };
    throw new ColophonError(
      error(
        'browser/env-path',
        `${name}=${value} is not an executable file`,
        undefined,
        `Point ${name} at a Chromium or Chrome binary, or unset it to let Colophon look for one.`,
      ),
    );
  }
  for (const candidate of SYSTEM_CANDIDATES[process.platform] ?? []) {
    if (isExecutable(candidate)) return { executablePath: candidate, source: 'system' };
  }
  if (!fs.existsSync(BROWSER_CACHE)) return undefined;
  // Loaded only here: most machines have a system Chromium, and every build that looks for one
  // (an EPUB's cover) would otherwise load the download library too.
  const { Browser, computeExecutablePath, detectBrowserPlatform, getInstalledBrowsers } = await import('@puppeteer/browsers');
  const platform = detectBrowserPlatform();
  if (platform) {
    const installed = await getInstalledBrowsers({ cacheDir: BROWSER_CACHE });
    const usable = installed.filter((b) => b.browser === Browser.CHROMEHEADLESSSHELL || b.browser === Browser.CHROME || b.browser === Browser.CHROMIUM);
    for (const b of usable) {
      const exe = computeExecutablePath({ cacheDir: BROWSER_CACHE, browser: b.browser, buildId: b.buildId, platform });
      if (isExecutable(exe)) return { executablePath: exe, source: 'cache' };
    }
  }
  return undefined;
}

export const NO_BROWSER_HINT =
  'Install one: on Debian/Ubuntu `sudo apt-get install chromium`; elsewhere run `npx colophon setup` (downloads Chrome for Testing) ' +
  'or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium binary.';

export async function requireBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  const found = await findBrowser(env);
  if (found) return found;
  throw new ColophonError(error('browser/not-found', 'no Chromium or Chrome found for the PDF stage', undefined, NO_BROWSER_HINT));
}

/**
 * Flags for a headless print browser: no sandbox (we run as root in CI containers), and no background
 * networking: a closed network otherwise costs start-up time and a PDF never needs it.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];
