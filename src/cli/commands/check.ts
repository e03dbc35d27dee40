import { type Command, guarded, printDiagnostics, str, usageError } from '../command.ts';

const SKIPPABLE = ['pdf', 'epub', 'press', 'ace'] as const;

export const checkCommand: Command = {
  name: 'check',
  usage: ['check [manuscript] [--json] [--strict] [--skip pdf,epub,press,ace] [--verbose]'],
  help: `Preflight the book before sending it out: broken links and anchors, missing and unused
images, images below 300 dpi at their printed size, characters no shipped font has, EPUBCheck on
the EPUB (needs Java + epubcheck), DAISY Ace on the EPUB (when installed), the PDF's page boxes
and fonts, and the metadata stores need.
Builds in a temporary folder; dist/ is never touched. Exits 1 on any error.
  --json               Print the report as JSON (for CI)
  --strict             Exit 1 on warnings too, and when a part could not run for want of
                       a tool (Chromium, Java + EPUBCheck, Ghostscript); --skip leaves a part out on purpose
  --skip PARTS         Leave out slow parts: pdf (and with it press), epub (and with it ace), press, ace
  --verbose            Print every finding (default: one line per kind of warning; --json has all)`,
  options: { json: { type: 'boolean' }, strict: { type: 'boolean' }, skip: { type: 'string' }, verbose: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) return usageError(io, `check takes one manuscript, got ${positionals.length}: ${positionals.join(' ')}`);
    const skip = (str(values.skip) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const wrong = skip.filter((s) => !(SKIPPABLE as readonly string[]).includes(s));
    if (wrong.length > 0) return usageError(io, `--skip takes ${SKIPPABLE.join(', ')}; got "${wrong.join('", "')}"`);
    return guarded(io, 'check', async () => {
      const { AREAS, checkFailed, formatReport, runCheck } = await import('../../check/check.ts');
      const report = await runCheck({ input: positionals[0] ?? 'manuscript', skip: skip as (typeof SKIPPABLE)[number][] });
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
