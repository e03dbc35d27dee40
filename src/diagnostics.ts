/**
 * Errors and warnings as values with a location. Every problem Colophon reports about a manuscript
 * names the file (relative to the manuscript root when possible), a line and column where one applies,
 * and a hint that tells the author what to do.
 */
import path from 'node:path';

/**
 * `note`: something the author may like to know and need not act on (a draft chapter skipped, an
 * mdBook preprocessor not run); printed, but not counted as a warning.
 */
export type Severity = 'error' | 'warning' | 'note';

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `config/unknown-key`. */
  code: string;
  message: string;
  location?: SourceLocation;
  hint?: string;
}

/** Thrown for anything that stops a build; carries one or more diagnostics. */
export class ColophonError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Process exit code the CLI should use: 1 for manuscript/build problems, 2 for usage errors. */
  readonly exitCode: number;

  constructor(diagnostics: Diagnostic | Diagnostic[], exitCode = 1) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'ColophonError';
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

export function error(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'error', code, message, ...(location ? { location } : {}), ...(hint ? { hint } : {}) };
}

export function warning(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'warning', code, message, ...(location ? { location } : {}), ...(hint ? { hint } : {}) };
}

export function note(code: string, message: string, location?: SourceLocation, hint?: string): Diagnostic {
  return { severity: 'note', code, message, ...(location ? { location } : {}), ...(hint ? { hint } : {}) };
}

export function formatLocation(location: SourceLocation, cwd = process.cwd()): string {
  const rel = path.isAbsolute(location.file) ? path.relative(cwd, location.file) || location.file : location.file;
  let out = rel.startsWith('..') ? location.file : rel;
  if (location.line !== undefined) {
    out += `:${location.line}`;
    if (location.column !== undefined) out += `:${location.column}`;
  }
  return out;
}

/** `file:line:col: error: message [code]` then an indented hint, the shape compilers and editors understand. */
export function formatDiagnostic(d: Diagnostic, cwd?: string): string {
  const where = d.location ? `${formatLocation(d.location, cwd)}: ` : '';
  const head = `${where}${d.severity}: ${d.message} [${d.code}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/**
 * Warnings of one code, in the order first found. A technical book gave 629 warnings, one per
 * missing character per place and one per code block of an unknown language: nobody reads those.
 */
export function groupByCode(diagnostics: Diagnostic[]): Diagnostic[][] {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.severity}\0${d.code}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  return [...groups.values()];
}

/** How many places a grouped line names before "and N more". */
const PLACES_SHOWN = 3;

/**
 * One line per code: the first diagnostic in the compiler form (so editors still jump to it), then
 * how many there are and the first three places; the hint once.
 */
export function formatGroup(group: Diagnostic[], cwd?: string): string {
  const [first, ...more] = group;
  if (!first) return '';
  if (more.length === 0) return formatDiagnostic(first, cwd);
  // A place in the same file as the one before it is just `line:column`.
  const located = group.flatMap((d) => (d.location ? [d.location] : []));
  const places = located.map((loc, i) =>
    i > 0 && located[i - 1]?.file === loc.file && loc.line !== undefined
      ? formatLocation({ ...loc, file: '' }, cwd).replace(/^:/, '')
      : formatLocation(loc, cwd),
  );
  const shown = places.slice(0, PLACES_SHOWN).join(', ');
  const rest = group.length - Math.min(places.length, PLACES_SHOWN);
  const where = shown ? ` at ${shown}${rest > 0 ? ` and ${rest} more` : ''}` : '';
  const { hint: _hint, ...bare } = first;
  const head = `${formatDiagnostic(bare, cwd)} (${group.length} like this${where}; --verbose shows each)`;
  return first.hint ? `${head}\n  hint: ${first.hint}` : head;
}
