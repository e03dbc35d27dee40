/** Plugins report through vfile messages; this turns them into Colophon diagnostics with a location. */
import type { Node } from 'unist';
import type { VFile } from 'vfile';
import { type Diagnostic, warning } from '../diagnostics.ts';

export function report(file: VFile, severity: 'error' | 'warning', code: string, message: string, node: Node | undefined, hint?: string): void {
  const m = file.message(message, { place: node?.position, ruleId: code, source: 'colophon' });
  // vfile: fatal true = error, false = warning. Errors are collected, not thrown, so one build reports all.
  m.fatal = severity === 'error';
  if (hint) m.note = hint;
}

export function fileDiagnostics(file: VFile, path: string): Diagnostic[] {
  return file.messages.map((m) => {
    const d = warning(
      m.source === 'colophon' ? (m.ruleId ?? 'pipeline') : `${m.source ?? 'pipeline'}/${m.ruleId ?? 'message'}`,
      m.reason,
      { file: path, ...(m.line ? { line: m.line } : {}), ...(m.column ? { column: m.column } : {}) },
      m.note ?? undefined,
    );
    if (m.fatal) d.severity = 'error';
    return d;
  });
}
