import path from 'node:path';
import { type Command, guarded, type Io, type ParsedArgs, printDiagnostics, str, usageError } from '../command.ts';

const SUBCOMMANDS = ['freeze', 'verify', 'list'];

export const editionCommand: Command = {
  name: 'edition',
  usage: [
    'edition freeze <version> [manuscript] [--date YYYY-MM-DD] [--pdfa]',
    'edition verify <version> [manuscript]',
    'edition list [manuscript] [--verify]',
  ],
  help: `Fixed editions: the exact files that went out, with the source they were built from,
archived in <manuscript>/editions/<version>/ (outputs, source/, manifest.json).
  freeze VERSION       Build every format with edition.version = VERSION and archive it.
                       Never replaces an existing edition (exit 1 if VERSION exists).
      --date DATE      edition.date (default: book.yaml's edition.date, else date)
      --pdfa           Also a PDF/A-2b copy (<slug>.pdfa.pdf) made with Ghostscript
  verify VERSION       Check the archived files against manifest.json, rebuild from the
                       archived source and compare hashes (exit 0 only if all match)
      --allow-unchecked  Exit 0 even if an output could not be compared (a PDF/A
                       without Ghostscript); it is still reported as not checked
  list                 Editions with date, formats and whether their files are intact
      --verify         Also rebuild each edition (slow: a full build per edition)
SOURCE_DATE_EPOCH is ignored by edition commands: the edition's date is archived, it is not.`,
  options: {
    date: { type: 'string' },
    pdfa: { type: 'boolean' },
    verify: { type: 'boolean' },
    'allow-unchecked': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === undefined) return usageError(io, `edition needs a subcommand: ${SUBCOMMANDS.join(', ')}`);
    if (!SUBCOMMANDS.includes(sub)) return usageError(io, `unknown edition subcommand "${sub}" (choose from ${SUBCOMMANDS.join(', ')})`);
    const misplaced =
      (['date', 'pdfa'] as const).find((o) => sub !== 'freeze' && args.values[o] !== undefined) ??
      (sub !== 'list' && args.values.verify ? 'verify' : undefined) ??
      (sub !== 'verify' && args.values['allow-unchecked'] ? 'allow-unchecked' : undefined);
    if (misplaced) return usageError(io, `--${misplaced} does not apply to edition ${sub}`);
    if (sub === 'list') {
      if (rest.length > 1) return usageError(io, 'edition list takes one manuscript');
      return list(rest[0] ?? 'manuscript', args, io);
    }
    const [version, manuscript = 'manuscript', ...extra] = rest;
    if (version === undefined) return usageError(io, `edition ${sub} needs a version, e.g. \`colophon edition ${sub} 1.0\``);
    if (extra.length > 0) return usageError(io, `edition ${sub} takes a version and one manuscript, got: ${rest.join(' ')}`);
    return sub === 'freeze' ? freeze(version, manuscript, args, io) : verify(version, manuscript, args.values['allow-unchecked'] === true, io);
  },
};

function freeze(version: string, input: string, { values }: ParsedArgs, io: Io): Promise<number> {
  const quiet = values.quiet === true;
  const started = performance.now();
  const date = str(values.date);
  return guarded(
    io,
    `edition freeze ${version}`,
    async () => {
      const { freezeEdition } = await import('../../edition/freeze.ts');
      const result = await freezeEdition({
        input,
        version,
        ...(date ? { date } : {}),
        pdfa: values.pdfa === true,
        onStage: (stage, ms, detail) => {
          if (!quiet) io.err(`  ${stage.padEnd(6)} ${ms > 0 ? `${ms.toFixed(0).padStart(6)} ms` : '         '}${detail ? `  ${detail}` : ''}\n`);
        },
      });
      printDiagnostics(io, result.warnings);
      const rel = path.relative(process.cwd(), result.dir) || result.dir;
      io.out(`${rel}/\n`);
      if (!quiet) {
        for (const o of result.manifest.outputs) io.out(`  ${o.path}  ${o.sha256}\n`);
        io.out(`  manifest.json  ${result.manifestSha256}\n`);
        io.err(`froze edition ${version} (${result.manifest.date}) in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
      }
      return 0;
    },
    '; no edition was written',
  );
}

function verify(version: string, input: string, allowUnchecked: boolean, io: Io): Promise<number> {
  return guarded(io, `edition verify ${version}`, async () => {
    const { formatVerifyReport, verifyEdition } = await import('../../edition/verify.ts');
    const report = await verifyEdition({ input, version, allowUnchecked });
    io.out(`edition ${version} (${report.manifest.date}):\n${formatVerifyReport(report)}`);
    const unchecked = report.unchecked.map((r) => r.path).join(', ');
    if (!report.ok) {
      const onlyUnchecked =
        report.unchecked.length > 0 && report.archive.length === 0 && !report.rebuildProblem && report.rebuilt?.every((r) => r.status !== 'differs');
      io.out(
        onlyUnchecked
          ? `edition ${version} is NOT fully verified: ${unchecked} not checked (install what is missing, or pass --allow-unchecked)\n`
          : `edition ${version} does NOT verify\n`,
      );
    } else if (report.unchecked.length > 0) io.out(`edition ${version} verifies except ${unchecked}, not checked (--allow-unchecked)\n`);
    else io.out(`edition ${version} verifies: every output rebuilt byte for byte\n`);
    return report.ok ? 0 : 1;
  });
}

function list(input: string, { values }: ParsedArgs, io: Io): Promise<number> {
  return guarded(io, 'edition list', async () => {
    const { leftoverTempFolders, listEditions } = await import('../../edition/list.ts');
    const editions = await listEditions({ input, verify: values.verify === true });
    if (editions.length === 0) io.out(`no editions in ${input} (make one with \`colophon edition freeze <version> ${input}\`)\n`);
    for (const e of editions) {
      const formats = e.manifest?.outputs.map((o) => o.format).join(',') ?? '-';
      const rebuild = values.verify === true ? e.rebuild : 'rebuild not checked (--verify)';
      io.out(
        `${e.version.padEnd(10)} ${(e.manifest?.date ?? '-').padEnd(10)}  ${formats.padEnd(18)} ${e.archive}${e.problem ? ` (${e.problem})` : ''}, ${rebuild}\n`,
      );
    }
    for (const dir of leftoverTempFolders(input)) io.err(`note: ${dir} is left over from an interrupted freeze; it is not an edition and can be deleted\n`);
    const bad = editions.some((e) => e.archive !== 'intact' || e.rebuild === 'differs' || e.rebuild === 'incomplete');
    return bad ? 1 : 0;
  });
}
