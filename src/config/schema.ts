/**
 * The schema of book.yaml (or a single-file manuscript's front matter). Every key is documented in
 * README.md; keep the two in step. Unknown keys are errors: a typo such as `autor:` must not be
 * silently ignored.
 */
import * as z from 'zod';
import { LABEL_KEYS, LABEL_PLACEHOLDERS, type LabelKey, placeholdersOf } from './labels.ts';
import { type PageSize, parseLength, parseTrim } from './units.ts';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** ISO 8601 date: year, year-month, full date, or date-time with zone. */
const isoDate = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v))
  .refine(
    (v) =>
      /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/.test(v) &&
      !Number.isNaN(Date.parse(v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v)),
    { message: 'must be an ISO 8601 date such as 2010-10-24' },
  );

const language = z.string().refine(
  (v) => {
    try {
      return Intl.getCanonicalLocales(v).length === 1;
    } catch {
      return false;
    }
  },
  { message: 'must be a BCP 47 language tag such as en, en-GB or de' },
);

export const CREATOR_ROLES = ['author', 'editor', 'translator', 'illustrator', 'contributor', 'foreword', 'introduction'] as const;

const creator = z.union([
  nonEmpty,
  z
    .object({
      name: nonEmpty,
      role: z.enum(CREATOR_ROLES).default('author'),
      'file-as': nonEmpty.optional(),
    })
    .strict(),
]);

function isbn13Valid(digits: string): boolean {
  if (!/^97[89]\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(digits[12]);
}

/** ISBN-13 (hyphens/spaces allowed, checksum verified) or any URI (`urn:uuid:…`, `https://…`). */
const identifier = z.string().transform((v, ctx) => {
  const trimmed = v.trim();
  const bare = trimmed.replace(/^(urn:)?isbn:?/i, '').replace(/[\s-]/g, '');
  if (/^\d{13}$/.test(bare) || /^\d{9}[\dX]$/i.test(bare)) {
    if (isbn13Valid(bare)) return { kind: 'isbn' as const, value: bare };
    ctx.addIssue({ code: 'custom', message: `"${trimmed}" is not a valid ISBN-13 (wrong length or check digit)` });
    return z.NEVER;
  }
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(trimmed)) return { kind: 'uri' as const, value: trimmed };
  ctx.addIssue({ code: 'custom', message: 'must be an ISBN-13 (978-…) or a URI such as urn:uuid:…' });
  return z.NEVER;
});

/** A length with a unit, parsed once here into PostScript points. */
const length = z.string({ error: 'must be a length with a unit, such as 0.125in or 3mm' }).transform((v, ctx) => {
  const pt = parseLength(v);
  if (pt !== undefined) return pt;
  ctx.addIssue({ code: 'custom', message: 'must be a length with a unit, such as 0.125in or 3mm' });
  return z.NEVER;
});

/** A trim size, parsed once here into a page size in points. */
const trim = z.string().transform((v, ctx) => {
  const size = parseTrim(v);
  if (size) return size;
  ctx.addIssue({
    code: 'custom',
    message: 'must be a named trim (5x8in, 5.5x8.5in, 6x9in, a5, letter, …) or "WIDTH HEIGHT" such as "5.25in 8in"',
  });
  return z.NEVER;
});

const print = z
  .object({
    trim: trim.default(parseTrim('6x9in') as PageSize),
    /** Points on each outer edge. */
    bleed: length.default(0),
    marks: z.enum(['crop', 'none']).default('none'),
    notes: z.enum(['footnotes', 'endnotes']).default('footnotes'),
    /** gray: pure black text and grayscale images for a black-and-white press; rgb: screen-like; cmyk: colour press. */
    color: z.enum(['gray', 'cmyk', 'rgb']).default('gray'),
    /** Also write the press file (`<slug>.press.pdf`) in this PDF/X flavour on every build. */
    pdfx: z.enum(['x-1a', 'x-4']).optional(),
    /** Paper stock of the interior: sets the thickness per page, hence the spine width. */
    paper: z.enum(['white', 'cream', 'color']).default('white'),
    /** Thickness of one page (a leaf is two), overriding the paper's, e.g. 0.0025in. */
    'spine-per-page': length.optional(),
    /** Pages per printed signature: the page count must be a multiple of it. */
    signature: z
      .number()
      .int()
      .refine((n) => [2, 4, 8, 16, 32].includes(n), { message: 'must be 2, 4, 8, 16 or 32 pages' })
      .default(2),
    'chapter-start': z.enum(['recto', 'any']).default('recto'),
    'running-head': z.enum(['chapter', 'section']).default('chapter'),
    float: z.enum(['auto', 'none']).default('auto'),
  })
  .strict();

const edition = z
  .object({
    version: z.union([nonEmpty, z.number()]).transform((v) => String(v)),
    date: isoDate.optional(),
  })
  .strict();

/**
 * The EPUB's accessibility conformance claim. It is made only at build time, only when asked for,
 * and only when DAISY Ace then finds no violation in the very EPUB that carries the claim and every
 * image has a text alternative (outputs/epub.ts).
 */
const accessibility = z
  .object({
    /** Claim "EPUB Accessibility 1.1 - WCAG 2.2 Level AA" when the build's Ace run confirms it. */
    conformance: z.boolean().default(false),
    /** Who stands behind the claim (`a11y:certifiedBy`); default: the publisher. */
    'certified-by': nonEmpty.optional(),
  })
  .strict();

/** A label template must keep exactly its placeholders: without `{names}` the names would vanish. */
function labelTemplate(key: LabelKey) {
  const wanted = LABEL_PLACEHOLDERS[key];
  return nonEmpty.superRefine((v, ctx) => {
    const used = placeholdersOf(v);
    const unknown = used.filter((p) => !wanted.includes(p));
    const lost = wanted.filter((p) => !used.includes(p));
    const allowed = wanted.length > 0 ? `it takes ${wanted.map((p) => `{${p}}`).join(', ')}` : 'it takes no placeholder';
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `has an unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} (${allowed})` });
    if (lost.length > 0) ctx.addIssue({ code: 'custom', message: `must keep ${lost.map((p) => `{${p}}`).join(', ')}, or the text it stands for is lost` });
  });
}

/** Words Colophon writes into the book (see src/config/labels.ts), overriding the language's table. */
const labels = z.object(Object.fromEntries(LABEL_KEYS.map((k) => [k, labelTemplate(k).optional()])) as Record<LabelKey, z.ZodOptional<z.ZodString>>).strict();

export const bookConfigSchema = z
  .object({
    title: nonEmpty,
    subtitle: nonEmpty.optional(),
    author: z.union([creator, z.array(creator).min(1)]).optional(),
    language: language.default('en'),
    date: isoDate.optional(),
    publisher: nonEmpty.optional(),
    rights: nonEmpty.optional(),
    identifier: identifier.optional(),
    description: nonEmpty.optional(),
    subjects: z.union([nonEmpty, z.array(nonEmpty)]).optional(),
    cover: nonEmpty.optional(),
    source: z.url({ message: 'must be an absolute URL such as https://example.org/article' }).optional(),
    chapters: z.array(nonEmpty).min(1).optional(),
    /** Single-file manuscripts: the heading depth that starts a chapter (default: the shallowest found). */
    'chapter-level': z.number().int().min(1).max(6).optional(),
    /** TeX math between dollars (Pandoc's rules), or `off`: every `$` is text. */
    math: z.enum(['dollars', 'off']).default('dollars'),
    /** Hyphenate for the book's language: soft hyphens in print, `hyphens: auto` for e-book and web readers. */
    hyphenate: z.boolean().default(true),
    /** French books: narrow no-break spaces inside « » and before ; : ! ? (false leaves the spaces as typed). */
    'french-spacing': z.boolean().default(true),
    /** Extra CSS files (relative to the manuscript) appended after the theme. */
    styles: z.array(nonEmpty).default([]),
    print: print.default(print.parse({})),
    edition: edition.optional(),
    accessibility: accessibility.optional(),
    labels: labels.optional(),
  })
  .strict();

export type BookConfigInput = z.input<typeof bookConfigSchema>;
export type BookConfig = z.output<typeof bookConfigSchema>;
export type Creator = { name: string; role: (typeof CREATOR_ROLES)[number]; fileAs?: string };

export function normaliseCreators(author: BookConfig['author']): Creator[] {
  if (author === undefined) return [];
  const list = Array.isArray(author) ? author : [author];
  return list.map((c) =>
    typeof c === 'string' ? { name: c, role: 'author' as const } : { name: c.name, role: c.role, ...(c['file-as'] ? { fileAs: c['file-as'] } : {}) },
  );
}
