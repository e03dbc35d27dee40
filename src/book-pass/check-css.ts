/**
 * A book's own stylesheets (`styles:` in book.yaml) are copied into every output, where Chromium (the
 * PDF), e-readers and web browsers would fetch whatever they reference: `@import`, `url(…)`,
 * `image-set(…)`. A reference can reach the network or files outside the manuscript, and it would
 * not travel with the book anyway (outputs carry no files next to them), so none is allowed; only
 * `data:` URLs and in-document `#fragment` references stay. Escapes (`\75 rl(`) and comments are
 * undone before looking, so they cannot hide a reference.
 */
import { type Diagnostic, error } from '../diagnostics.ts';

const FETCHING = /@import\b|(?:^|[^a-z0-9_-])((?:-webkit-)?image-set|url|src)\(\s*(['"]?)\s*([^'")\s]*)/gi;

export function checkBookCss(css: string, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const lines = withoutComments(css).split('\n');
  lines.forEach((raw, index) => {
    const line = unescapeCss(raw);
    for (const m of line.matchAll(FETCHING)) {
      const fn = m[1]?.toLowerCase();
      const target = m[3] ?? '';
      if (fn === 'url' || fn === 'src') {
        if (/^data:/i.test(target) || target.startsWith('#')) continue;
      }
      const what = fn ? `${fn}(${target ? `${target.slice(0, 60)}` : '…'})` : '@import';
      diagnostics.push(
        error(
          'css/external-reference',
          `${what} in a book stylesheet would make readers fetch a file or the network`,
          { file, line: index + 1, column: (m.index ?? 0) + (m[0].startsWith('@') ? 1 : 2) },
          'Remove the reference: put the rules in this file instead of @import, and use data: URLs for small images. Book fonts come from the theme.',
        ),
      );
    }
  });
  return diagnostics;
}

/** Comments become spaces, keeping line breaks, so positions stay true to the file. */
function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** CSS escapes (`\75`, `\u`) to the characters they stand for. Columns may shift on such a line. */
function unescapeCss(line: string): string {
  return line.replace(/\\([0-9a-f]{1,6})[ \t]?|\\(.)/gi, (_, hex: string | undefined, ch: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff) || 0xfffd) : (ch ?? ''),
  );
}
