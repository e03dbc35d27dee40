import { type Command, guarded, type Io, printDiagnostics, str, usageError } from '../command.ts';
import { jobsOption } from '../jobs.ts';

const SKIPPABLE = ['pdf', 'epub', 'press', 'ace'] as const;

export const checkCommand: Command = {
  name: 'check',
  usage: ['check [manuscript…] [--json] [--strict] [--skip pdf,epub,press,ace] [-j N] [--no-cache] [--verbose]'],
  help: `Preflight the book before sending it out: broken links and anchors, missing and unused
images, images below 300 dpi at their printed size, characters no shipped font has, EPUBCheck on
the EPUB (needs Java + epubcheck), DAISY Ace on the EPUB (when installed), the PDF's page boxes
and fonts, and the metadata stores need.
Builds in a temporary folder; dist/ is never touched. Exits 1 on any error.
Several manuscripts (or a catalogue.yaml) are checked -j at a time with one shared
Chromium, then one summary line per book; exit 1 if any book fails.
  --json               Print the report as JSON (for CI)
  --strict             Exit 1 on warnings too, and when a part could not run for want of
                       a tool (Chromium, Java + EPUBCheck, Ghostscript); --skip leaves a part out on purpose
  --skip PARTS         Leave out slow parts: pdf (and with it press), epub (and with it ace), press, ace
  -j, --jobs N         Books checked at a time (default: the number of cores)
  --no-cache           Parse every chapter, neither reading nor writing the chapter cache
  --verbose            Print every finding (default: one line per kind of warning; --json has all)`,
  options: {
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
    skip: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    'no-cache': { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const skip = (str(values.skip) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const wrong = skip.filter((s) => !(SKIPPABLE as readonly string[]).includes(s));
    if (wrong.length > 0) return usageError(io, `--skip takes ${SKIPPABLE.join(', ')}; got "${wrong.join('", "')}"`);
    const jobs = jobsOption(values.jobs);
    if (typeof jobs === 'string') return usageError(io, jobs);
    const { namesCatalogue } = await import('../../catalogue/titles.ts');
    if (positionals.length > 1 || namesCatalogue(positionals)) {
      return checkMany(
        positionals,
        { jobs, skip: skip as Skip[], strict: values.strict === true, json: values.json === true, verbose: values.verbose === true },
        io,
      );
    }
    return guarded(io, 'check', async () => {
      const { AREAS, checkFailed, formatReport, runCheck } = await import('../../check/check.ts');
      const report = await runCheck({
        input: positionals[0] ?? 'manuscript',
        skip: skip as (typeof SKIPPABLE)[number][],
        ...(values['no-cache'] === true ? { cache: false } : {}),
      });
      const strict = values.strict === true;
      const failed = checkFailed(report, strict);
      if (values.json === true) {
        io.out(`${JSON.stringify({ ...report, ok: !failed }, null, 2)}\n`);
      } else {
        io.out(formatReport(report));
        const errors = report.findings.filter((f) => f.severity === 'error');
        // Errors one by one (each must be fixed); warnings one line per kind unless --verbose.
        printDiagnostics(io, errors);
        printDiagnostics(
          io,
          report.findings.filter((f) => f.severity !== 'error'),
          { grouped: values.verbose !== true },
        );
        if (strict && report.unchecked.length > 0) {
          io.err(`check --strict: ${report.unchecked.map((a) => AREAS[a]).join(' and ')} could not run (see the table), so the book is not checked in full\n`);
        }
        io.err(`check: ${errors.length} error(s), ${report.findings.length - errors.length} warning(s)${failed ? '' : ' — ready'}\n`);
      }
      return failed ? 1 : 0;
    });
  },
};

type Skip = (typeof SKIPPABLE)[number];

async function checkMany(args: string[], options: { jobs: number; skip: Skip[]; strict: boolean; json: boolean; verbose: boolean }, io: Io): Promise<number> {
  return guarded(io, 'check', async () => {
    const { checkFailed, formatReport } = await import('../../check/check.ts');
    const { resolveTitles } = await import('../../catalogue/titles.ts');
    const { checkCatalogue } = await import('../../catalogue/check-catalogue.ts');
    const { formatErrors, formatSummary } = await import('../../catalogue/summary.ts');
    const titles = resolveTitles(args);
    const started = performance.now();
    let done = 0;
    const results = await checkCatalogue(titles, {
      jobs: options.jobs,
      skip: options.skip,
      onTitle: (r) => {
        done++;
        if (!options.json) io.err(`  [${done}/${titles.length}] ${r.title ?? r.label} (${(r.ms / 1000).toFixed(1)} s)\n`);
      },
    });
    const failedOne = (r: (typeof results)[number]) => !r.report || checkFailed(r.report, options.strict);
    const failed = results.some(failedOne);
    if (options.json) {
      const titlesJson = results.map((r) => ({ ...r, ms: Math.round(r.ms), ok: !failedOne(r) }));
      io.out(`${JSON.stringify({ ok: !failed, titles: titlesJson }, null, 2)}\n`);
      return failed ? 1 : 0;
    }
    const rows = results.map((r) => {
      const findings = r.report?.findings ?? [];
      const errors = [...r.errors, ...findings.filter((f) => f.severity === 'error')];
      return {
        name: r.title ?? r.label,
        status: failedOne(r) ? 'FAILED' : findings.length > 0 ? 'warnings' : 'ready',
        ...(r.report?.pages === undefined ? {} : { pages: r.report.pages }),
        ms: r.ms,
        warnings: findings.length - errors.length + r.errors.length,
        errors,
      };
    });
    for (const r of results) {
      if (!r.report) continue;
      io.err(`${r.title ?? r.label}:\n${formatReport(r.report)}`);
      printDiagnostics(
        io,
        r.report.findings.filter((x) => x.severity !== 'error'),
        { grouped: !options.verbose },
      );
    }
    io.err(formatErrors(rows));
    io.out(formatSummary(rows, performance.now() - started));
    return failed ? 1 : 0;
  });
}
