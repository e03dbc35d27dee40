/**
 * Pandoc's attribute syntax, `{#id .class key=value key="a value"}` (and `{-}`, short for
 * `.unnumbered`), as it follows headings, images, links, code and bracketed spans. No maintained
 * micromark extension reads it, so this is the one small parser the attribute plugins share.
 */
export interface Attributes {
  id?: string;
  classes: string[];
  /** key=value pairs in the order written. */
  pairs: [string, string][];
}

const ITEM = /\s*(?:#([^\s#{}="']+)|\.([^\s#.{}="']+)|(-)(?=\s|$)|([A-Za-z_:][\w:.-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+)))/y;

/** Reads `{…}` (the whole string); undefined when it is not an attribute block. */
export function parseAttributes(text: string): Attributes | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const inner = text.slice(1, -1);
  // `{}` says nothing, and `{=html}` marks raw content, not attributes.
  if (inner.trim() === '' || inner.trimStart().startsWith('=')) return undefined;
  const attributes: Attributes = { classes: [], pairs: [] };
  let at = 0;
  while (inner.slice(at).trim() !== '') {
    ITEM.lastIndex = at;
    const m = ITEM.exec(inner);
    if (!m) return undefined;
    if (m[1] !== undefined) attributes.id = m[1];
    else if (m[2] !== undefined) attributes.classes.push(m[2]);
    else if (m[3] !== undefined) attributes.classes.push('unnumbered');
    else if (m[4] !== undefined) attributes.pairs.push([m[4], m[5] ?? m[6] ?? m[7] ?? '']);
    at = ITEM.lastIndex;
    // Items are separated by white space.
    if (at < inner.length && !/\s/.test(inner[at] as string)) return undefined;
  }
  return attributes;
}

/** An attribute block at the start of `text`: the block and its length, if there is one. */
export function leadingAttributes(text: string): { attributes: Attributes; length: number } | undefined {
  if (!text.startsWith('{')) return undefined;
  const end = closingBrace(text);
  if (end === -1) return undefined;
  const attributes = parseAttributes(text.slice(0, end + 1));
  return attributes ? { attributes, length: end + 1 } : undefined;
}

/** An attribute block at the end of `text` (after optional spaces): the block and where it starts. */
export function trailingAttributes(text: string): { attributes: Attributes; start: number } | undefined {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}')) return undefined;
  // The block cannot hold `{`, so the last one opens it.
  const start = trimmed.lastIndexOf('{');
  if (start === -1) return undefined;
  const attributes = parseAttributes(trimmed.slice(start));
  return attributes ? { attributes, start } : undefined;
}

/** Index of the `}` closing the block that opens at 0, skipping quoted values; -1 if none. */
function closingBrace(text: string): number {
  let quote: string | undefined;
  for (let i = 1; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
    else if (c === '{' || c === '\n') return -1;
  }
  return -1;
}

/** The attributes as hast properties (`className`, `id`, and each key as written). */
export function attributesToProperties(attributes: Attributes): Record<string, string | string[]> {
  const properties: Record<string, string | string[]> = {};
  if (attributes.id) properties.id = attributes.id;
  if (attributes.classes.length > 0) properties.className = attributes.classes;
  for (const [key, value] of attributes.pairs) properties[key] = value;
  return properties;
}
