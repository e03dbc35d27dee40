/**
 * What may come before an SVG's `<svg>` element. Drawing programs write different prologs: Graphviz
 * an XML declaration, a DOCTYPE, then comments; Illustrator a comment before the DOCTYPE; Inkscape
 * comments only; draw.io a DOCTYPE; Mermaid nothing at all. All are accepted, in any order. Refused,
 * with the reason: a DOCTYPE with an internal subset (`[…]`, where entities are declared: an entity
 * can expand to megabytes or pull in files), a style sheet instruction (it loads a file), and
 * anything else before the root element.
 *
 * Hand-written rather than an XML parser: only this prolog is read (the SVG itself is checked
 * separately), and the outputs need its exact byte range to drop the DOCTYPE — in an EPUB it makes
 * EPUBCheck report OPF-073 (external identifiers) and one HTM-003 per DTD module.
 */

export type SvgProlog =
  | {
      ok: true;
      /** Offset of `<svg`. */
      root: number;
      /** Where the DOCTYPE is, when there is one: [start, end) offsets. */
      doctype?: [number, number];
    }
  | {
      ok: false;
      /** What is wrong, to be shown after "is not a valid SVG image: ". */
      reason: string;
      /** The prolog is refused for safety (entities, style sheets), not because it is malformed. */
      unsafe: boolean;
    };

const fail = (reason: string, unsafe = false): SvgProlog => ({ ok: false, reason, unsafe });

export function readSvgProlog(text: string): SvgProlog {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: [number, number] | undefined;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
    if (at >= text.length) return fail('it has no <svg> element');
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      const name = /^<\?([^\s?]*)/.exec(text.slice(at, at + 40))?.[1] ?? '';
      if (end === -1) return fail(`its <?${name} …?> instruction is never closed`);
      if (name.toLowerCase() === 'xml-stylesheet') return fail('it loads a style sheet (<?xml-stylesheet?>)', true);
      at = end + 2;
      continue;
    }
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end === -1) return fail(`a comment at line ${lineAt(text, at)} is never closed`);
      at = end + 3;
      continue;
    }
    if (/^<!DOCTYPE\s/i.test(text.slice(at, at + 10))) {
      const end = doctypeEnd(text, at + 9);
      if (end === 'subset') return fail('its DOCTYPE has an internal subset ([…]), where entities are declared', true);
      if (end === undefined) return fail(`its DOCTYPE at line ${lineAt(text, at)} is never closed`);
      if (doctype) return fail('it has two DOCTYPEs');
      doctype = [at, end];
      at = end;
      continue;
    }
    if (/^<svg[\s/>]/.test(text.slice(at, at + 5))) return { ok: true, root: at, ...(doctype ? { doctype } : {}) };
    const found = text.slice(at, at + 30).split('\n')[0];
    return fail(`it does not start with an <svg> element (line ${lineAt(text, at)} starts "${found}")`);
  }
}

/** Offset just past the DOCTYPE's `>`, 'subset' when it has `[`, undefined when it never ends. */
function doctypeEnd(text: string, from: number): number | 'subset' | undefined {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') return 'subset';
    else if (c === '>') return i + 1;
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The SVG as outputs carry it: the same bytes without the DOCTYPE (a DTD reference no reader needs
 * and EPUBCheck reports), or the bytes unchanged when there is none. The DOCTYPE becomes nothing but
 * its line breaks, so that line numbers in the file stay true.
 */
export function svgForOutput(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const prolog = readSvgProlog(text);
  if (!prolog.ok || !prolog.doctype) return bytes;
  const [start, end] = prolog.doctype;
  return Buffer.from(text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, '') + text.slice(end), 'utf8');
}
