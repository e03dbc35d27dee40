/**
 * Pandoc's fenced divs (`::: note`, `::: {.epigraph #id}`, closed by a line of colons) read as the
 * container directives remark-directive parses (`:::note`, `:::div{.epigraph #id}`). The two differ in
 * what they are: Pandoc allows a space and an attribute block without a name, and nests divs by
 * order (any closing fence closes the innermost open div), while remark-directive needs a name and
 * an outer fence longer than the inner ones. This rewrites only the fence lines of the text, before
 * parsing, giving each div as many colons as its nesting needs; every other line, and so every
 * position in the file, stays as written. Fences inside fenced code are left alone. No maintained
 * micromark extension reads Pandoc's divs, hence this small bridge to the one that reads directives.
 */

const CODE_FENCE = /^\s*(`{3,}|~{3,})/;
const OPENER = /^( {0,3})(:{3,})[ \t]*([^\s:][^\n]*?)[ \t]*:*[ \t]*$/;
const CLOSER = /^ {0,3}:{3,}[ \t]*$/;
/** remark-directive's directive names. */
const NAME = /^[A-Za-z][\w-]*$/;

interface Div {
  open: number;
  close: number;
  /** How many divs deep it reaches, itself included. */
  height: number;
  /** The fence's content as a directive: `note`, `div{.epigraph}`, `poem[Label]{#p}`. */
  head: string;
}

export function pandocDivsAsDirectives(text: string): string {
  if (!text.includes(':::')) return text;
  const lines = text.split('\n');
  const divs: Div[] = [];
  const stack: { open: number; head: string; childHeight: number }[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const code = CODE_FENCE.exec(line);
    if (fence) {
      if (code && (code[1] as string)[0] === fence[0] && (code[1] as string).length >= fence.length && line.trim() === code[1]) fence = undefined;
      return;
    }
    if (code) {
      fence = code[1] as string;
      return;
    }
    if (CLOSER.test(line)) {
      const open = stack.pop();
      if (!open) return;
      const height = open.childHeight + 1;
      divs.push({ open: open.open, close: index, height, head: open.head });
      const parent = stack.at(-1);
      if (parent) parent.childHeight = Math.max(parent.childHeight, height);
      return;
    }
    const m = OPENER.exec(line);
    if (!m) return;
    const head = directiveHead(m[3] as string);
    if (head) stack.push({ open: index, head, childHeight: 0 });
  });
  if (divs.length === 0) return text;
  for (const div of divs) {
    const colons = ':'.repeat(2 + div.height);
    const indent = /^ */.exec(lines[div.open] as string)?.[0] ?? '';
    lines[div.open] = `${indent}${colons}${div.head}`;
    lines[div.close] = `${/^ */.exec(lines[div.close] as string)?.[0] ?? ''}${colons}`;
  }
  return lines.join('\n');
}

/** What follows the colons of an opening fence, as a directive's name, label and attributes. */
function directiveHead(rest: string): string | undefined {
  // Pandoc: an attribute block alone. Its first class names the container when it is one of ours.
  if (rest.startsWith('{')) return rest.endsWith('}') ? `div${rest}` : undefined;
  // Pandoc: one word, a class (`::: note`); directive syntax: a name, maybe a [label] and {attributes}.
  const m = /^([^\s[{]+)(\[[^\]]*\])?(\{[^}]*\})?$/.exec(rest);
  if (!m) return undefined;
  const word = m[1] as string;
  if (NAME.test(word)) return `${word}${m[2] ?? ''}${m[3] ?? ''}`;
  return m[2] || m[3] ? undefined : `div{.${word}}`;
}
