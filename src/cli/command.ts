/** What a CLI command is, and the helpers every command shares (output, errors, exit codes). */
import type { ParseArgsConfig } from 'node:util';
import { ColophonError, type Diagnostic, formatDiagnostic, formatGroup, groupByCode } from '../diagnostics.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is an interactive terminal (progress lines) — false in CI and pipes. */
  isTTY?: boolean;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line per form, without the leading `colophon `. */
  usage: string[];
  /** Help text: what it does, then its options. */
  help: string;
  options: Options;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export function usageError(io: Io, message: string): number {
  io.err(`colophon: ${message}\nRun \`colophon --help\` for usage.\n`);
  return 2;
}

/** Every diagnostic on its own, or (`grouped`) one line per code with its count and first places. */
export function printDiagnostics(io: Io, diagnostics: Diagnostic[], options: { grouped?: boolean } = {}): void {
  if (options.grouped) for (const group of groupByCode(diagnostics)) io.err(`${formatGroup(group)}\n`);
  else for (const d of diagnostics) io.err(`${formatDiagnostic(d)}\n`);
}

/** Runs a command body, turning Colophon errors into their messages and exit code. */
export async function guarded(io: Io, what: string, body: () => Promise<number>, afterFailure = ''): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof ColophonError) {
      printDiagnostics(io, e.diagnostics);
      io.err(`${what} failed: ${e.diagnostics.length} error(s)${afterFailure}.\n`);
      return e.exitCode;
    }
    io.err(`colophon: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the manuscript that caused it.\n`);
    return 1;
  }
}

export const str = (v: ParsedArgs['values'][string]): string | undefined => (typeof v === 'string' ? v : undefined);
