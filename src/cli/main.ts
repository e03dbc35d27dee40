/** The `colophon` command: a thin layer over the library API. Exit codes: 0 ok, 1 failed, 2 usage. */
import { parseArgs } from 'node:util';
import { PACKAGE_VERSION } from '../package-root.ts';
import { type Io, usageError } from './command.ts';
import { COMMANDS } from './commands/index.ts';

export type { Io } from './command.ts';

const VERSION = PACKAGE_VERSION;

function help(): string {
  const usage = COMMANDS.flatMap((c) => c.usage.map((u) => `  colophon ${u}`)).join('\n');
  const details = COMMANDS.map((c) => `colophon ${c.name}\n${c.help.replace(/^/gm, '  ')}`).join('\n\n');
  return `colophon ${VERSION} — Markdown manuscript to print PDF, EPUB 3 and web HTML

Usage:
${usage}
  colophon --help | --version

${details}

Exit codes: 0 done, 1 the manuscript has errors or a stage failed, 2 wrong usage.
`;
}

const defaultIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true };

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError(io, 'no command given');
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(help());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) return usageError(io, first.startsWith('-') ? `unknown option '${first}' (options go after the command)` : `unknown command "${first}"`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { ...command.options, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return usageError(io, (e as Error).message.split('\n')[0] ?? 'invalid arguments');
  }
  if (parsed.values.help) {
    io.out(`Usage:\n${command.usage.map((u) => `  colophon ${u}`).join('\n')}\n\n${command.help}\n`);
    return 0;
  }
  return command.run({ values: parsed.values, positionals: parsed.positionals }, io);
}
