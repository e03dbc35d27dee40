/**
 * The unified pipeline for one chapter: Markdown (mdast) → HTML syntax tree (hast).
 * Parser extensions: GFM, front matter, directives (Pandoc's fenced divs are read as directives, see
 * pandoc-divs.ts), math (Pandoc's dollar rules, unless `math: off`). Transforms, in order: Pandoc
 * attributes and bracketed spans → code info strings (and mdBook's hidden lines) → `\newpage` → smart
 * punctuation by language (CJK quotes paired in order) → no-break spaces (French spacing, number and
 * unit) → containers and scene breaks → remark-rehype → raw HTML parsed → page-break styles → image
 * sizes taken out of the style → unsafe HTML reported → sanitised → image sizes written back → math to
 * MathML → code highlighted → table alignment → figures → dead links → heading ids.
 * No soft hyphens: the print document adds them (hyphenation/); e-books and the web hyphenate by CSS.
 * Sanitising comes before KaTeX and highlighting so that their (trusted) output is not filtered.
 */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeHighlight from 'rehype-highlight';
import rehypeKatex from 'rehype-katex';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { ManuscriptDialect } from '../manuscript/manuscript.ts';
import { pairsQuotes, remarkCjkQuotes } from './cjk-quotes.ts';
import { rehypeImageSizeIn, rehypeImageSizeOut } from './image-size.ts';
import { isFrench, quotesFor } from './language.ts';
import { rehypePageBreaks, remarkPageBreaks } from './page-breaks.ts';
import { rehypeEmptyLinks } from './rehype-empty-links.ts';
import { rehypeFigures } from './rehype-figures.ts';
import { rehypeHeadingIds } from './rehype-heading-ids.ts';
import { rehypeReportUnsafe } from './rehype-report-unsafe.ts';
import { rehypeTableAlign } from './rehype-table-align.ts';
import { remarkAttributes } from './remark-attributes.ts';
import { remarkCodeInfo } from './remark-code-info.ts';
import { remarkContainers } from './remark-containers.ts';
import { remarkPandocMath } from './remark-pandoc-math.ts';
import { remarkSmartPunctuation } from './remark-smart-punctuation.ts';
import { sanitizeSchema } from './sanitize-schema.ts';
import { remarkSpacing } from './spacing.ts';

export interface PipelineOptions {
  language: string;
  /** French no-break spaces (only for a French book; book.yaml `french-spacing`). */
  frenchSpacing: boolean;
  /** `dollars`: TeX between `$` by Pandoc's rules, rendered as MathML; `off`: a `$` is always text. */
  math: 'dollars' | 'off';
  /** The manuscript's layout: Colophon's own when not given. */
  dialect?: ManuscriptDialect;
  /** mdBook projects: language → prefix of the code lines mdBook hides (Rust's `#` always). */
  hideLines?: Record<string, string>;
}

/**
 * remark-rehype prefixes footnote ids with this; chapters.ts replaces it with the chapter's id. One
 * processor then serves every chapter: building one (highlight grammars, KaTeX) costs more than
 * parsing a chapter.
 */
export const NOTE_ID_PLACEHOLDER = 'colophon-note-placeholder-';

const processors = new Map<string, Transformer>();

export function transformerFor(options: PipelineOptions): Transformer {
  const key = JSON.stringify([options.language, options.frenchSpacing, options.math, options.dialect ?? 'colophon', options.hideLines ?? null]);
  let processor = processors.get(key);
  if (!processor) {
    processor = createTransformer(options);
    processors.set(key, processor);
  }
  return processor;
}

export function createTransformer(options: PipelineOptions) {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkDirective)
    .use(options.math === 'dollars' ? [remarkPandocMath] : [])
    .use(remarkAttributes)
    .use(remarkCodeInfo, options.dialect === 'mdbook' ? { hideLines: options.hideLines ?? {} } : {})
    .use(remarkPageBreaks)
    // CJK quotes are paired in order (cjk-quotes.ts); smartypants still does dashes and ellipses there.
    .use(remarkSmartPunctuation, { dashes: 'oldschool', ...quotesFor(options.language), quotes: !pairsQuotes(options.language) })
    .use(remarkCjkQuotes, options.language)
    .use(remarkSpacing, { french: options.frenchSpacing && isFrench(options.language) })
    .use(remarkContainers, { warnUnknown: options.dialect !== 'pandoc' })
    .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: NOTE_ID_PLACEHOLDER, footnoteBackContent: '↩' })
    .use(rehypeRaw)
    .use(rehypePageBreaks)
    .use(rehypeImageSizeIn)
    .use(rehypeReportUnsafe)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeImageSizeOut)
    .use(options.math === 'dollars' ? [[rehypeKatex, { output: 'mathml' }]] : [])
    .use(rehypeHighlight, { detect: false })
    .use(rehypeTableAlign)
    .use(rehypeFigures)
    .use(rehypeEmptyLinks)
    .use(rehypeHeadingIds);
  return processor.freeze();
}

type Transformer = ReturnType<typeof createTransformer>;

export type { HastRoot, MdastRoot };
