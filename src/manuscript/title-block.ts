/**
 * Plain-text books (Project Gutenberg conversions among them) open with a title block: headings
 * such as `# Title: Pride and Prejudice`, `## Author: Jane Austen`, `## Year: 1813`, a line
 * "Translated by Constance Garnett", then a rule. It is metadata, the way pandoc reads a `%` title
 * block, not a chapter called "Title: …" with sections "Author: …" and "Year: …". Read here for the
 * single file and for the first chapter file of a folder alike.
 *
 * The result is YAML with one line per line of the file, so that a wrong value (`## Year: soon`) is
 * reported by the config loader at its own line of the file.
 */

const KEY_LINE = /^#{1,6}[ \t]+(Title|Subtitle|Author|Translator|Editor|Illustrator|Date|Year|Language|Publisher|Rights)[ \t]*:[ \t]*(.+?)[ \t#]*$/i;
const BY_LINE = /^(?:#{1,6}[ \t]+)?(Translated|Edited|Illustrated)[ \t]+by[ \t]+(.+?)[ \t#]*$/i;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

const ROLES: Record<string, string> = {
  author: 'author',
  translator: 'translator',
  translated: 'translator',
  editor: 'editor',
  edited: 'editor',
  illustrator: 'illustrator',
  illustrated: 'illustrator',
};

export interface TitleBlock {
  /** YAML for the config loader: line n of it is line n of the file. */
  yaml: string;
  /** The text with the title block's lines (and the rule after it) made blank: positions stay true. */
  body: string;
  /** 1-based line of each key given, for messages (`author` for every creator line). */
  lines: Map<string, number>;
}

/** The title block at the top of `text`, or undefined when the text does not open with a `Title:` line. */
export function readTitleBlock(text: string): TitleBlock | undefined {
  const lines = text.split('\n');
  const yamlLines: string[] = [];
  const values = new Map<string, { line: number; value: string }>();
  const creators: { line: number; name: string; role: string }[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    yamlLines.push('');
    if (line.trim() === '') continue;
    const key = KEY_LINE.exec(line);
    const by = key ? undefined : BY_LINE.exec(line);
    const word = (key?.[1] ?? by?.[1])?.toLowerCase();
    const value = key?.[2] ?? by?.[2];
    if (word === undefined || value === undefined) {
      if (RULE.test(line) && values.has('title')) i++;
      break;
    }
    const role = ROLES[word];
    if (role) creators.push({ line: i, name: value, role });
    // A key given twice keeps its last value.
    else values.set(word === 'year' ? 'date' : word, { line: i, value });
  }
  if (!values.has('title')) return undefined;
  const found = new Map<string, number>();
  for (const [key, { line, value }] of values) {
    yamlLines[line] = `${key}: ${JSON.stringify(value)}`;
    found.set(key, line + 1);
  }
  if (creators.length > 0) {
    const list = creators.map((c) => (c.role === 'author' ? JSON.stringify(c.name) : `{ name: ${JSON.stringify(c.name)}, role: ${c.role} }`));
    const first = creators[0] as (typeof creators)[number];
    yamlLines[first.line] = list.length === 1 && first.role === 'author' ? `author: ${list[0]}` : `author: [${list.join(', ')}]`;
    found.set('author', first.line + 1);
  }
  return { yaml: yamlLines.join('\n'), body: lines.map((l, n) => (n < i ? '' : l)).join('\n'), lines: found };
}
