import { toHtml } from 'hast-util-to-html';
import { type Diagnostic, formatDiagnostic } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import { webDocument } from '../outputs/html.ts';
import { pageGeometry } from '../outputs/pdf/page-css.ts';
import { printDocument } from '../outputs/pdf/print-html.ts';

export const EVENTS_PATH = '/_colophon/events';

export interface PreviewPages {
  web: string;
  /** Made on first request: most edits are looked at in the web view, and this costs as much again. */
  print: () => string;
  /** URL path (`/images/x-1a2b.png`, `/fonts/y.woff2`) → absolute file: the only files the server hands out. */
  files: Map<string, string>;
}

/** On screen, Chromium ignores @page: show each page-level block as a sheet of the trim size instead. */
function screenCss(book: Book): string {
  const g = pageGeometry(book);
  return `@media screen {
  html { background: #8a8a8a; }
  body { margin: 0; padding: 24px 0; }
  body > section, body > nav.toc, body > .note-galley { box-sizing: border-box; width: ${g.widthPt}pt; min-height: ${g.heightPt}pt;
    padding: ${g.topPt}pt ${g.outsidePt}pt ${g.bottomPt}pt ${g.insidePt}pt; margin: 0 auto 24px; background: #fff;
    box-shadow: 0 2px 8px rgba(0, 0, 0, 0.35); }
  .copyright-leaf { height: auto; }
}`;
}

export function renderPages(book: Book): PreviewPages {
  const files = new Map<string, string>();
  for (const a of book.assets) files.set(`/${a.href}`, a.sourcePath);

  const web = toHtml(webDocument(book, { inlineAssets: false }));
  let print: string | undefined;
  return {
    web,
    files,
    print: () => {
      print ??= printPage(book);
      return print;
    },
  };
}

function printPage(book: Book): string {
  // Every asset (images and font files) is already served at `/${href}` (see renderPages).
  const doc = printDocument(book, { blanksBefore: new Set() }, pageGeometry(book), { assetUrl: (a) => `/${a.href}` });
  return doc.html.replace('</head>', `<style>${screenCss(book)}</style></head>`);
}

const OVERLAY_ID = 'colophon-preview-error';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The error box, shown over the last good preview until the manuscript builds again. */
export function overlayHtml(errors: Diagnostic[]): string {
  const items = errors.map((d) => `<pre>${escapeHtml(formatDiagnostic(d))}</pre>`).join('');
  return `<div id="${OVERLAY_ID}" style="position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:2147483647;background:#3b0d0d;color:#ffe9e9;font:13px/1.4 monospace;padding:12px 16px;box-shadow:0 -2px 12px rgba(0,0,0,.5)"><strong>The manuscript has errors; showing the last good build.</strong>${items}</div>`;
}

/** Listens for build events: reload on a good build, show the overlay on a failed one. */
const RELOAD_SCRIPT = `<script>(() => {
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener('reload', () => location.reload());
  events.addEventListener('error-overlay', (e) => {
    document.getElementById(${JSON.stringify(OVERLAY_ID)})?.remove();
    document.body.insertAdjacentHTML('beforeend', JSON.parse(e.data).html);
  });
})();</script>`;

export function withPreviewChrome(page: string, errors: Diagnostic[] | undefined): string {
  const extra = `${errors && errors.length > 0 ? overlayHtml(errors) : ''}${RELOAD_SCRIPT}`;
  const at = page.lastIndexOf('</body>');
  return at === -1 ? page + extra : page.slice(0, at) + extra + page.slice(at);
}
