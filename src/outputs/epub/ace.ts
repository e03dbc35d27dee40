/**
 * DAISY Ace, the accessibility checker for EPUB (axe-core in a browser, plus EPUB package checks), run
 * on an EPUB's bytes with the system Chromium. It is an optional tool: Colophon runs it when
 * `@daisy/ace-cli` (with `@daisy/ace-axe-runner-puppeteer`) is installed next to it, and otherwise
 * says how to install it; nothing here downloads a browser or needs the network.
 *
 * Ace runs as a child process, as its own CLI, rather than through `@daisy/ace-core` in this
 * process: it sets up its own logging and Puppeteer, and a crash or hang in it must not take the
 * build or `check` along.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { findBrowser } from '../../browser/find-browser.ts';

export const INSTALL_ACE = 'install DAISY Ace (PUPPETEER_SKIP_DOWNLOAD=1 npm install --save-dev @daisy/ace-cli @daisy/ace-axe-runner-puppeteer)';

/** Ace takes 3 s for a short book and one to three minutes for a novel on two cores. */
const ACE_TIMEOUT_MS = 15 * 60_000;

/**
 * Loaded into the Ace process: when the build that started it dies (even by SIGKILL, which cannot
 * pass anything on), Ace is re-parented; it then exits, and Puppeteer's exit handler kills the
 * Chromium it launched, so a killed build leaves no checker or browser behind.
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  'const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.exit(1); }, 250).unref();',
)}`;

export interface AceViolation {
  /** Ace's or axe's rule, e.g. `heading-order`, `metadata-accessmode-invalid`. */
  rule: string;
  /** `critical`, `serious`, `moderate` or `minor`. */
  impact: string;
  /** The content document inside the EPUB, e.g. `OEBPS/ch-01.xhtml`. */
  file: string;
  description: string;
}

export interface AceResult {
  /** Why Ace did not run (not installed, no browser); then there are no violations to trust. */
  skipped?: string;
  /** Ace's version, from its report. */
  version?: string;
  violations: AceViolation[];
  ms: number;
}

/** The Ace command line script when Ace is installed, resolved from Colophon's own location. */
export function aceCli(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@daisy/ace-axe-runner-puppeteer/package.json');
    const pkg = require.resolve('@daisy/ace-cli/package.json');
    const bin = path.join(path.dirname(pkg), 'bin', 'ace.js');
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** The installed Ace's version, read before running it (the claim names the checker). */
export function aceVersion(): string | undefined {
  const cli = aceCli();
  if (!cli) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(path.dirname(cli), '..', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

interface EarlAssertion {
  'earl:test'?: { 'dct:title'?: string; 'earl:impact'?: string; 'dct:description'?: string };
  'earl:result'?: { 'earl:outcome'?: string; 'dct:description'?: string };
  'earl:testSubject'?: { url?: string };
  assertions?: EarlAssertion[];
}

/** The failed assertions of an Ace report.json (EARL), one per rule and document. */
export function aceViolations(report: { assertions?: EarlAssertion[] }): AceViolation[] {
  const out: AceViolation[] = [];
  for (const subject of report.assertions ?? []) {
    const file = (subject['earl:testSubject']?.url ?? '').replace(/^\//, '');
    for (const a of subject.assertions ?? []) {
      if (a['earl:result']?.['earl:outcome'] !== 'fail') continue;
      out.push({
        rule: a['earl:test']?.['dct:title'] ?? 'unknown',
        impact: a['earl:test']?.['earl:impact'] ?? 'unknown',
        file,
        description: (a['earl:result']?.['dct:description'] ?? a['earl:test']?.['dct:description'] ?? '').trim(),
      });
    }
  }
  return out;
}

/** Runs Ace on the EPUB's bytes; never throws for a missing tool, only reports it as `skipped`. */
export async function runAce(epub: Uint8Array, env: NodeJS.ProcessEnv = process.env): Promise<AceResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const cli = aceCli();
  if (!cli) return { skipped: INSTALL_ACE, violations: [], ms: 0 };
  const browser = await findBrowser(env);
  if (!browser) return { skipped: 'no Chromium for DAISY Ace (npx colophon setup)', violations: [], ms: 0 };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-ace-'));
  try {
    const file = path.join(dir, 'book.epub');
    fs.writeFileSync(file, epub);
    const out = path.join(dir, 'report');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', ORPHAN_GUARD, cli, '--force', '--silent', '--outdir', out, '--tempdir', path.join(dir, 'tmp'), file], {
        // Ace's Puppeteer takes the found Chromium. Ace keeps its log and reads a user configuration
        // under the XDG folders: both go to the temp folder, so no user setting changes a verdict.
        env: {
          ...env,
          PUPPETEER_EXECUTABLE_PATH: browser.executablePath,
          PUPPETEER_SKIP_DOWNLOAD: '1',
          ...Object.fromEntries(['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME'].map((k) => [k, path.join(dir, 'xdg')])),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => {
        output += String(d);
      });
      child.stderr.on('data', (d) => {
        output += String(d);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), ACE_TIMEOUT_MS);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, output });
      });
    });
    const reportFile = path.join(out, 'report.json');
    if (!fs.existsSync(reportFile)) {
      throw new Error(`DAISY Ace ended without a report (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`);
    }
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const version = report?.['earl:assertedBy']?.['doap:release']?.['doap:revision'];
    return { ...(typeof version === 'string' ? { version } : {}), violations: aceViolations(report), ms: elapsed() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
