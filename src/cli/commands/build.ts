import { FORMAT_NAMES } from '../../outputs/format-names.ts';
import { type Command, guarded, type Io, type ParsedArgs, printDiagnostics, str, usageError } from '../command.ts';
import { jobsOption } from '../jobs.ts';

export const buildCommand: Command = {
  name: 'build',
  usage: [
    `build [manuscript…] [-o dist] [-t ${FORMAT_NAMES.join(',')}] [-j N] [--guides] [--no-cache] [--quiet] [--verbose] [--json]`,
    'build --metadata meta.yaml ch1.md ch2.md … [-o dist] …',
  ],
  help: `Build the book. manuscript: a folder with book.yaml (or an mdBook project with
book.toml, or a Pandoc project with metadata.yaml), or one .md file with YAML front
matter (default: manuscript). Like Pandoc, it also takes a metadata file and chapter
files in reading order. Every file is written to a temporary name and renamed into
place only after all formats rendered.
Several manuscripts, or a catalogue.yaml listing them, build as a catalogue: one shared
Chromium, -j books at a time, each book's outputs in <out>/<slug>/, a summary table at
the end; one failing book does not stop the others (exit 1 if any failed). Several .md
files are one book's chapters (as with Pandoc) unless each has its own title (front
matter or a title block), which makes each a book.
  --metadata FILE      Pandoc metadata YAML (also --metadata-file); the chapters follow
  -o, --out DIR        Output folder (default: dist)
  -t, --to FORMATS     Comma-separated formats from ${FORMAT_NAMES.join(', ')}
                       (default: html, epub, pdf, and press when book.yaml sets print.pdfx)
  -j, --jobs N         Books built (and print pages open) at a time (default: the number of cores)
      --guides         Draw trim, spine-fold and safe-area guides on the cover
      --no-cache       Parse every chapter, neither reading nor writing the chapter cache
                       (~/.cache/colophon; see \`colophon cache\`)
  -q, --quiet          Print only warnings and errors (a catalogue: only the summary)
      --verbose        Print every warning (default: one line per kind, with a count and the first places)
      --json           Print the per-book report as JSON on stdout (for CI)`,
  options: {
    metadata: { type: 'string' },
    'metadata-file': { type: 'string' },
    out: { type: 'string', short: 'o' },
    to: { type: 'string', short: 't' },
    quiet: { type: 'boolean', short: 'q' },
    guides: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    verbose: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const { values, positionals } = args;
    const jobs = jobsOption(values.jobs);
    if (typeof jobs === 'string') return usageError(io, jobs);
    const metadata = str(values.metadata) ?? str(values['metadata-file']);
    const { namesCatalogue, wholeBooks } = await import('../../catalogue/titles.ts');
    // Several manuscripts (folders, or .md files that each carry a title), or a catalogue: one book each.
    const many = metadata === undefined && (namesCatalogue(positionals) || (positionals.length > 1 && wholeBooks(positionals)));
    // Several files, or a metadata file, make a Pandoc-style command line: the chapters in order.
    const pandoc = !many && (metadata !== undefined || positionals.length > 1);
    if (pandoc && values.json === true) return usageError(io, '--json reports on manuscripts; build the chapter files without it');
    if (!pandoc && (many || values.json === true)) return buildMany(args, jobs, io);
    if (pandoc && positionals.length === 0) return usageError(io, 'build --metadata needs the chapter files after it');
    if (pandoc && !positionals.every((p) => /\.(md|markdown)$/i.test(p))) {
      return usageError(io, `build takes one manuscript, or Markdown chapter files; got ${positionals.join(' ')}`);
    }
    const formats = str(values.to)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const quiet = values.quiet === true;
    const live = io.isTTY === true && !process.env.CI;
    const progress = new Map<string, string>();
    const started = performance.now();
    return guarded(
      io,
      'build',
      async () => {
        // Loaded only now: the pipeline and every output stage are most of the CLI's start-up time.
        const { build, checkFormats } = await import('../../build.ts');
        const { typographyTable } = await import('../../outputs/pdf/pages/typography.ts');
        if (formats) checkFormats(formats);
        const result = await build({
          input: pandoc ? { ...(metadata ? { metadata } : {}), chapters: positionals } : (positionals[0] ?? 'manuscript'),
          outDir: str(values.out) ?? 'dist',
          ...(formats ? { formats } : {}),
          ...(values.guides === true ? { guides: true } : {}),
          ...(values['no-cache'] === true ? { cache: false } : {}),
          onStage: (stage, ms, detail) => {
            if (quiet) return;
            if (ms === 0) {
              // Progress within a stage (PDF passes, EPUB files): a live line on a terminal; in CI
              // and pipes only the last one, appended to the stage's timing line.
              progress.set(stage, detail ?? '');
              if (live) io.err(`\r\x1b[K  ${stage.padEnd(6)}           ${detail ?? ''}`);
              return;
            }
            const last = progress.get(stage);
            io.err(`${live ? '\r\x1b[K' : ''}  ${stage.padEnd(6)} ${ms.toFixed(0).padStart(6)} ms${detail ? `  ${detail}` : ''}${last ? ` (${last})` : ''}\n`);
          },
        });
        printDiagnostics(io, result.warnings, { grouped: values.verbose !== true });
        if (!quiet) {
          if (result.print) io.err(`${typographyTable(result.print.typography)}\n`);
          for (const f of result.files) io.out(`${f.path} (${(f.bytes / 1024).toFixed(0)} KiB)\n`);
          io.err(
            `built in ${((performance.now() - started) / 1000).toFixed(2)} s, ${result.warnings.filter((d) => d.severity === 'warning').length} warning(s)\n`,
          );
        }
        return 0;
      },
      '; nothing was written',
    );
  },
};

function formatsOf(value: ParsedArgs['values'][string]): string[] | undefined {
  return str(value)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A catalogue: every title built into <out>/<slug>/, then the summary table (or JSON). */
async function buildMany({ values, positionals }: ParsedArgs, jobs: number, io: Io): Promise<number> {
  const formats = formatsOf(values.to);
  const quiet = values.quiet === true;
  const json = values.json === true;
  return guarded(io, 'build', async () => {
    const { checkFormats } = await import('../../build.ts');
    if (formats) checkFormats(formats);
    const { resolveTitles } = await import('../../catalogue/titles.ts');
    const { buildCatalogue } = await import('../../catalogue/build-catalogue.ts');
    const { buildRows, formatErrors, formatSummary } = await import('../../catalogue/summary.ts');
    const { namesCatalogue } = await import('../../catalogue/titles.ts');
    const args = positionals.length > 0 ? positionals : ['manuscript'];
    const titles = resolveTitles(args);
    // `build book --json` is one book with a report: its files go where a single build puts them.
    const flat = args.length === 1 && !namesCatalogue(args);
    const started = performance.now();
    let done = 0;
    const results = await buildCatalogue(titles, {
      outDir: str(values.out) ?? 'dist',
      jobs,
      flat,
      ...(formats ? { formats } : {}),
      ...(values.guides === true ? { guides: true } : {}),
      ...(values['no-cache'] === true ? { cache: false } : {}),
      onTitle: (event) => {
        if (quiet || json || event.kind !== 'done') return;
        const r = event.result;
        done++;
        io.err(`  [${done}/${titles.length}] ${r.status === 'built' ? 'built ' : 'FAILED'} ${r.title ?? r.label} (${(r.ms / 1000).toFixed(1)} s)\n`);
      },
    });
    const wallMs = performance.now() - started;
    const failed = results.some((r) => r.status === 'failed');
    if (json) {
      io.out(`${JSON.stringify({ ok: !failed, ms: Math.round(wallMs), jobs, titles: results.map((r) => ({ ...r, ms: Math.round(r.ms) })) }, null, 2)}\n`);
      return failed ? 1 : 0;
    }
    const rows = buildRows(results);
    if (!quiet)
      for (const r of results.filter((x) => x.warnings.length > 0)) {
        io.err(`${r.title ?? r.label}:\n`);
        printDiagnostics(io, r.warnings, { grouped: values.verbose !== true });
      }
    io.err(formatErrors(rows));
    io.out(formatSummary(rows, wallMs));
    return failed ? 1 : 0;
  });
}
