import { FORMAT_NAMES } from '../../outputs/format-names.ts';
import { type Command, guarded, printDiagnostics, str, usageError } from '../command.ts';

export const buildCommand: Command = {
  name: 'build',
  usage: [
    `build [manuscript] [-o dist] [-t ${FORMAT_NAMES.join(',')}] [--guides] [--no-cache] [--quiet] [--verbose]`,
    'build --metadata meta.yaml ch1.md ch2.md … [-o dist] …',
  ],
  help: `Build the book. manuscript: a folder with book.yaml (or an mdBook project with
book.toml, or a Pandoc project with metadata.yaml), or one .md file with YAML front
matter (default: manuscript). Like Pandoc, it also takes a metadata file and chapter
files in reading order. Every file is written to a temporary name and renamed into
place only after all formats rendered.
  --metadata FILE      Pandoc metadata YAML (also --metadata-file); the chapters follow
  -o, --out DIR        Output folder (default: dist)
  -t, --to FORMATS     Comma-separated formats from ${FORMAT_NAMES.join(', ')}
                       (default: html, epub, pdf, and press when book.yaml sets print.pdfx)
      --guides         Draw trim, spine-fold and safe-area guides on the cover
      --no-cache       Parse every chapter, neither reading nor writing the chapter cache
                       (~/.cache/colophon; see \`colophon cache\`)
  -q, --quiet          Print only warnings and errors
      --verbose        Print every warning (default: one line per kind, with a count and the first places)`,
  options: {
    metadata: { type: 'string' },
    'metadata-file': { type: 'string' },
    out: { type: 'string', short: 'o' },
    to: { type: 'string', short: 't' },
    quiet: { type: 'boolean', short: 'q' },
    guides: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const metadata = str(values.metadata) ?? str(values['metadata-file']);
    // Several files, or a metadata file, make a Pandoc-style command line: the chapters in order.
    const pandoc = metadata !== undefined || positionals.length > 1;
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
