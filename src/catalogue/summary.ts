/** The table a catalogue command ends with, and its JSON form for CI. */
import { type Diagnostic, formatDiagnostic, formatLocation } from '../diagnostics.ts';
import type { TitleResult } from './build-catalogue.ts';

export interface SummaryRow {
  /** The book's title, else the manuscript as named. */
  name: string;
  status: string;
  pages?: number;
  ms: number;
  warnings: number;
  errors: Diagnostic[];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function firstError(errors: Diagnostic[]): string {
  const e = errors[0];
  if (!e) return '';
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
  return `${e.location ? `${formatLocation(e.location)}: ` : ''}${e.message}${more}`;
}

/** One line per title (title, status, pages, time, warnings, the first error with file:line), then a total when `wallMs` is given. */
export function formatSummary(rows: SummaryRow[], wallMs?: number): string {
  const name = Math.min(40, Math.max(5, ...rows.map((r) => r.name.length)));
  const status = Math.max(6, ...rows.map((r) => r.status.length));
  const clip = (s: string) => (s.length > name ? `${s.slice(0, name - 1)}…` : s);
  const head = `  ${'title'.padEnd(name)}  ${'status'.padEnd(status)}  ${'pages'.padStart(5)}  ${'time'.padStart(8)}  ${'warnings'.padStart(8)}  errors`;
  const lines = rows.map((r) =>
    `  ${clip(r.name).padEnd(name)}  ${r.status.padEnd(status)}  ${(r.pages === undefined ? '–' : String(r.pages)).padStart(5)}  ${seconds(r.ms).padStart(8)}  ${String(r.warnings).padStart(8)}  ${firstError(r.errors)}`.trimEnd(),
  );
  const table = `${[head, ...lines].join('\n')}\n`;
  if (wallMs === undefined) return table;
  const failed = rows.filter((r) => r.status === 'FAILED').length;
  return `${table}${rows.length} title(s): ${rows.length - failed} ok, ${failed} failed, in ${seconds(wallMs)}\n`;
}

export function buildRows(results: TitleResult[]): SummaryRow[] {
  return results.map((r) => ({
    name: r.title ?? r.label,
    status: r.status === 'built' ? (r.retried ? 'built (retried)' : 'built') : 'FAILED',
    ...(r.pages === undefined ? {} : { pages: r.pages }),
    ms: r.ms,
    warnings: r.warnings.length,
    errors: r.errors,
  }));
}

/** Every error of every failed title, in the compiler-style form a single build prints, under its title. */
export function formatErrors(results: { name: string; errors: Diagnostic[] }[]): string {
  return results
    .filter((r) => r.errors.length > 0)
    .map((r) => `${r.name}:\n${r.errors.map((d) => `  ${formatDiagnostic(d).replace(/\n/g, '\n  ')}`).join('\n')}\n`)
    .join('');
}
