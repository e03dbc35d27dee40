/**
 * What raw HTML may keep. Based on GitHub's schema (rehype-sanitize's default), which is made for
 * exactly this: untrusted Markdown with HTML. Differences, and why:
 * - no `user-content-` id prefix: ids are made unique book-wide by our own pass instead, and links
 *   between chapters depend on the ids the author wrote;
 * - classes, `lang`, `dir`, `title` and `role` allowed everywhere: books style and mark up language
 *   runs (foreign words, right-to-left quotations) with them;
 * - semantic book elements (figure, figcaption, aside, section, abbr, cite, …) allowed;
 * - `src` may only be a relative path or http(s); relative paths are checked against the manuscript
 *   folder and remote ones refused later, with a message naming the file and line.
 */
import { defaultSchema } from 'rehype-sanitize';

type Schema = typeof defaultSchema;

const extraTags = [
  'figure',
  'figcaption',
  'aside',
  'section',
  'header',
  'footer',
  'abbr',
  'cite',
  'dfn',
  'mark',
  'small',
  'bdi',
  'bdo',
  'time',
  'u',
  's',
  'wbr',
  'hgroup',
];

export const sanitizeSchema: Schema = {
  ...defaultSchema,
  // Removed together with their content: the rules of a <style> would otherwise show as book text.
  strip: [...(defaultSchema.strip ?? []), 'style'],
  clobberPrefix: '',
  clobber: [],
  // <source srcset> in a <picture> is fetched by browsers from anywhere and never checked against
  // the manuscript folder like <img src>: the <img> inside the <picture> is what stays.
  tagNames: [...(defaultSchema.tagNames ?? []).filter((t) => t !== 'source'), ...extraTags],
  attributes: {
    ...withoutClassRestrictions(defaultSchema.attributes ?? {}),
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className', 'id', 'lang', 'dir', 'title', 'role'],
    abbr: ['title'],
    // Sizes image-size.ts took out of an inline style (width and height are allowed everywhere).
    img: [...(defaultSchema.attributes?.img ?? []), 'dataMaxWidth'],
    time: ['dateTime'],
    bdo: ['dir'],
    ol: ['start', 'reversed', 'type'],
    td: ['align', 'colSpan', 'rowSpan'],
    th: ['align', 'colSpan', 'rowSpan', 'scope'],
  },
  protocols: {
    ...defaultSchema.protocols,
    src: ['http', 'https'],
  },
};

/**
 * GitHub's schema limits `class` on some elements (code, li, section, …) to the values its own
 * Markdown produces; a tag-specific rule wins over `*`, so drop those to let any class through.
 */
function withoutClassRestrictions(attributes: NonNullable<Schema['attributes']>): NonNullable<Schema['attributes']> {
  return Object.fromEntries(
    Object.entries(attributes).map(([tag, list]) => [tag, tag === '*' ? list : list.filter((entry) => !(Array.isArray(entry) && entry[0] === 'className'))]),
  );
}
