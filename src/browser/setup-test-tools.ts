/**
 * The test suite reads the books back with real tools: poppler-utils (pdftotext, pdffonts, pdftoppm),
 * qpdf, the W3C EPUBCheck (Java), calibre's ebook-meta and Ghostscript (PDF/A); the queue tests start their own redis-server. `npm test` runs `colophon setup --test-tools`
 * first, so that the README's test command also works on a fresh Debian machine: as root there it
 * installs what is missing with apt-get; elsewhere it says what to install.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { aptInstall, isRootOnDebian } from './apt.ts';

interface Tool {
  /** What must exist: a command on PATH, or a file. */
  check: { command: string } | { file: string };
  debianPackage: string;
}

const TOOLS: Tool[] = [
  { check: { command: 'pdftotext' }, debianPackage: 'poppler-utils' },
  { check: { command: 'qpdf' }, debianPackage: 'qpdf' },
  { check: { command: 'gs' }, debianPackage: 'ghostscript' },
  { check: { command: 'java' }, debianPackage: 'default-jre-headless' },
  { check: { file: '/usr/share/java/epubcheck.jar' }, debianPackage: 'epubcheck' },
  { check: { command: 'redis-server' }, debianPackage: 'redis-server' },
  // calibre's ebook-meta: what a reader's library shows of an EPUB (title, authors, cover).
  { check: { command: 'ebook-meta' }, debianPackage: 'calibre' },
];

function present(tool: Tool): boolean {
  if ('file' in tool.check) return fs.existsSync(tool.check.file);
  const found = spawnSync('sh', ['-c', `command -v ${tool.check.command}`], { stdio: 'ignore' });
  return found.status === 0;
}

export interface TestToolsReport {
  missing: string[];
  steps: string[];
}

export function setupTestTools(): TestToolsReport {
  const steps: string[] = [];
  let missing = TOOLS.filter((t) => !present(t)).map((t) => t.debianPackage);
  if (missing.length > 0 && isRootOnDebian()) {
    aptInstall(missing, steps);
    missing = TOOLS.filter((t) => !present(t)).map((t) => t.debianPackage);
  }
  return { missing, steps };
}
