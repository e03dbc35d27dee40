/**
 * `colophon setup` (and npm install's postinstall): make sure the PDF stage has a browser. Tries, in
 * order: one already there (findBrowser); Debian's `chromium` package when running as root on Debian
 * (machines without internet reach Debian's mirrors but not Google's downloads); Chrome for Testing's
 * headless shell through @puppeteer/browsers (a normal machine with internet). Says what to do when
 * nothing works.
 */
import { Browser, detectBrowserPlatform, install, resolveBuildId } from '@puppeteer/browsers';
import { aptInstall, isRootOnDebian } from './apt.ts';
import { BROWSER_CACHE, type FoundBrowser, findBrowser, NO_BROWSER_HINT } from './find-browser.ts';

export interface SetupReport {
  found?: FoundBrowser;
  steps: string[];
}

async function downloadHeadlessShell(steps: string[]): Promise<void> {
  const platform = detectBrowserPlatform();
  if (!platform) {
    steps.push('no Chrome for Testing build for this platform');
    return;
  }
  try {
    const buildId = await resolveBuildId(Browser.CHROMEHEADLESSSHELL, platform, 'stable');
    await install({ browser: Browser.CHROMEHEADLESSSHELL, buildId, cacheDir: BROWSER_CACHE, platform });
    steps.push(`downloaded chrome-headless-shell ${buildId} into ${BROWSER_CACHE}`);
  } catch (e) {
    steps.push(`download of chrome-headless-shell failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

export async function setupBrowser(): Promise<SetupReport> {
  const steps: string[] = [];
  let found = await findBrowser();
  if (found) return { found, steps };
  if (isRootOnDebian()) {
    aptInstall(['chromium'], steps);
    found = await findBrowser();
    if (found) return { found, steps };
  }
  await downloadHeadlessShell(steps);
  found = await findBrowser();
  return found ? { found, steps } : { steps };
}

export { NO_BROWSER_HINT };
