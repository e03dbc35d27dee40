/**
 * Splitting a single-file book into chapters by scanning lines, not by parsing: a rebuild after an edit
 * to one chapter must not reparse the whole book just to find where chapters begin (Pride and
 * Prejudice: ~400 ms to parse, ~5 ms to scan). The scan knows what can hide a heading line — fenced
 * code — and what every chapter needs from elsewhere in the file: link and footnote definitions.
 */

export interface Chunk {
  /** Heading text of the chapter's first line ('' for text before the first chapter heading). */
  title: string;
  /** 0-based line where the chunk starts in the file. */
  startLine: number;
  /** Text to parse: the chunk, then every definition of the file (definitions are file-wide in Markdown). */
  text: string;
  /** Heading levels to subtract so that chapter headings become h1. */
  shift: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const DEFINITION = /^ {0,3}\[(\^?)[^\]]+\]:/;
const CONTINUATION = /^( {4}|\t)/;

interface Line {
  text: string;
  heading?: { depth: number; title: string };
  definition?: boolean;
}

function classify(lines: string[]): Line[] {
  const out: Line[] = [];
  let fence: string | undefined;
  let inFootnote = false;
  for (const raw of lines) {
    const text = raw.replace(/\r$/, '');
    const f = FENCE.exec(text);
    if (fence) {
      if (f && (f[1] as string)[0] === fence[0] && (f[1] as string).length >= fence.length && text.trim() === f[1]) fence = undefined;
      out.push({ text: raw });
      continue;
    }
    if (f) {
      fence = f[1];
      inFootnote = false;
      out.push({ text: raw });
      continue;
    }
    const d = DEFINITION.exec(text);
    if (d) {
      inFootnote = d[1] === '^';
      out.push({ text: raw, definition: true });
      continue;
    }
    // A footnote definition goes on over indented lines, and blank lines between them.
    if (inFootnote && (CONTINUATION.test(text) || text.trim() === '')) {
      out.push({ text: raw, definition: true });
      continue;
    }
    inFootnote = false;
    const h = ATX.exec(text);
    out.push(h ? { text: raw, heading: { depth: (h[1] as string).length, title: (h[2] ?? '').trim() } } : { text: raw });
  }
  // Trailing blank lines of a footnote belong to the text after it.
  return out;
}

export function splitByHeadings(source: string, level: number | undefined): Chunk[] {
  const lines = classify(source.split('\n'));
  const depths = lines.flatMap((l) => (l.heading ? [l.heading.depth] : []));
  const depth = level ?? (depths.length > 0 ? Math.min(...depths) : 7);
  const definitions = lines
    .filter((l) => l.definition)
    .map((l) => l.text)
    .join('\n');
  const chunks: { title: string; start: number; end: number }[] = [];
  lines.forEach((line, i) => {
    if ((line.heading && line.heading.depth === depth) || chunks.length === 0) {
      const last = chunks.at(-1);
      if (last) last.end = i;
      chunks.push({ title: line.heading?.depth === depth ? line.heading.title : '', start: i, end: lines.length });
    }
  });
  const shift = depth <= 6 ? depth - 1 : 0;
  return chunks
    .map((c) => {
      const body = lines.slice(c.start, c.end).map((l) => (l.definition ? '' : l.text));
      return { title: c.title, startLine: c.start, body };
    })
    .filter((c) => c.body.some((l) => l.trim() !== ''))
    .map((c) => ({
      title: c.title,
      startLine: c.startLine,
      text: `${c.body.join('\n')}\n\n${definitions}\n`,
      shift,
    }));
}
