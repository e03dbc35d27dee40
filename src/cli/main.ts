/** The `colophon` command: a thin layer over the library API. Exit codes: 0 ok, 1 build failed, 2 usage. */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { NO_BROWSER_HINT, setupBrowser } from '../browser/setup-browser.ts';
import { build, checkFormats } from '../build.ts';
import { ColophonError, type Diagnostic, formatDiagnostic } from '../diagnostics.ts';
import { FORMATS } from '../outputs/index.ts';

const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const HELP = `colophon ${VERSION} — Markdown manuscript to print PDF, EPUB 3 and web HTML

Usage:
  colophon build [manuscript] [-o dist] [-t ${Object.keys(FORMATS).join(',')}] [--quiet]
  colophon setup [--optional]
  colophon --help | --version

Commands:
  build     Build the book. manuscript: a folder with book.yaml, or one .md file
            with YAML front matter (default: manuscript).
  setup     Find or install the Chromium the PDF stage prints with (run by
            npm install). --optional: never fail, only advise.

Options:
  -o, --out DIR        Output folder (default: dist)
  -t, --to FORMATS     Comma-separated formats (default: all: ${Object.keys(FORMATS).join(', ')})
  -q, --quiet          Print only warnings and errors
  -h, --help           Show this help
  -v, --version        Show the version

Exit codes: 0 built, 1 the manuscript has errors or a stage failed, 2 wrong usage.
`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function usageError(io: Io, message: string): number {
  io.err(`colophon: ${message}\nRun \`colophon --help\` for usage.\n`);
  return 2;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return usageError(io, (e as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (values.version) {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === 'setup') return setup(io, values.optional === true);
  if (command !== 'build') {
    return usageError(io, command === undefined ? 'no command given' : `unknown command "${command}"`);
  }
  if (rest.length > 1) return usageError(io, `build takes one manuscript, got ${rest.length}: ${rest.join(' ')}`);
  const formats = values.to
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const quiet = values.quiet === true;
  const started = performance.now();
  try {
    if (formats) checkFormats(formats);
    const result = await build({
      input: rest[0] ?? 'manuscript',
      outDir: values.out ?? 'dist',
      ...(formats ? { formats } : {}),
      onStage: (stage, ms, detail) => {
        if (!quiet) io.err(`  ${stage.padEnd(6)} ${ms > 0 ? `${ms.toFixed(0).padStart(6)} ms` : '         '}${detail ? `  ${detail}` : ''}\n`);
      },
    });
    printDiagnostics(io, result.warnings);
    if (!quiet) {
      for (const f of result.files) io.out(`${f.path} (${(f.bytes / 1024).toFixed(0)} KiB)\n`);
      io.err(`built in ${((performance.now() - started) / 1000).toFixed(2)} s, ${result.warnings.length} warning(s)\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ColophonError) {
      printDiagnostics(io, e.diagnostics);
      io.err(`build failed: ${e.diagnostics.length} error(s); nothing was written.\n`);
      return e.exitCode;
    }
    io.err(`colophon: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the manuscript that caused it.\n`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      to: { type: 'string', short: 't' },
      quiet: { type: 'boolean', short: 'q' },
      optional: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

async function setup(io: Io, optional: boolean): Promise<number> {
  const report = await setupBrowser();
  for (const step of report.steps) io.err(`colophon setup: ${step}\n`);
  if (report.found) {
    io.out(`colophon setup: PDF stage will print with ${report.found.executablePath} (${report.found.source})\n`);
    return 0;
  }
  io.err(`colophon setup: no Chromium or Chrome found; the PDF stage will not work until one is installed.\n  hint: ${NO_BROWSER_HINT}\n`);
  return optional ? 0 : 1;
}

function printDiagnostics(io: Io, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) io.err(`${formatDiagnostic(d)}\n`);
}
