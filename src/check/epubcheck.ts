/** The W3C EPUBCheck (Java), the validator stores run on upload. Optional: without Java or the jar, skipped. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { type Diagnostic, error, warning } from '../diagnostics.ts';

export const DEFAULT_EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';
/** EPUBCheck runs once per check: quick-start JIT and the serial collector halve its CPU time. */
const JAVA_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export type EpubcheckResult = { skipped: string } | { skipped?: undefined; rules: string; findings: Diagnostic[] };

export function epubcheckJar(env: NodeJS.ProcessEnv = process.env): string {
  return env.EPUBCHECK_JAR ?? DEFAULT_EPUBCHECK_JAR;
}

export async function epubcheck(file: string, env: NodeJS.ProcessEnv = process.env): Promise<EpubcheckResult> {
  const jar = epubcheckJar(env);
  if (!fs.existsSync(jar)) return { skipped: `no EPUBCheck at ${jar}: install Java + epubcheck (Debian: apt-get install epubcheck), or set EPUBCHECK_JAR` };
  const run = await new Promise<{ output: string; missingJava: boolean }>((resolve) => {
    // EPUBCheck exits 1 when it finds errors; its messages are what matter.
    execFile(env.JAVA ?? 'java', [...JAVA_FLAGS, '-jar', jar, file], { maxBuffer: 16 * 1024 * 1024, env }, (err, stdout, stderr) =>
      resolve({ output: `${stdout}\n${stderr}`, missingJava: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' }),
    );
  });
  if (run.missingJava) return { skipped: 'no java on PATH: install Java + epubcheck (Debian: apt-get install epubcheck)' };
  const { output } = run;
  if (!/Messages:|No errors or warnings detected/.test(output)) throw new Error(`EPUBCheck gave no summary:\n${output}`);
  const findings: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    // FATAL(RSC-016): /tmp/x/book.epub/OEBPS/ch.xhtml(12,5): message
    const m = /^(FATAL|ERROR|WARNING)\(([A-Z]+-\d+[a-z]?)\): (.*?)(?:\((-?\d+),(-?\d+)\))?: (.*)$/.exec(line.trim());
    if (!m) continue;
    const [, level, id, where, lineNo, column, message] = m;
    const inside = (where ?? '').startsWith(file) ? (where ?? '').slice(file.length + 1) : (where ?? '');
    const text = `EPUBCheck ${id}${inside ? ` in ${inside}${lineNo && lineNo !== '-1' ? `:${lineNo}:${column}` : ''}` : ''}: ${message}`;
    findings.push(level === 'WARNING' ? warning('check/epubcheck', text) : error('check/epubcheck', text));
  }
  if (findings.length === 0 && /Messages: \d+ fatals? \/ [1-9]/.test(output)) findings.push(error('check/epubcheck', `EPUBCheck reported errors:\n${output}`));
  return { rules: /EPUB version ([\d.]+) rules/.exec(output)?.[1] ?? '?', findings };
}
