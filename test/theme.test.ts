import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBook } from '../src/book-pass/build-book.ts';
import { loadManuscript } from '../src/manuscript/load.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { html } from '../src/outputs/html.ts';
import { pageGeometry } from '../src/outputs/pdf/page-css.ts';
import { printDocument } from '../src/outputs/pdf/print-html.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const OVERRIDE = ':root { --accent-color: #0b5394; --body-size: 12pt; }\nh1 { letter-spacing: 0.02em; }\n';

describe('themes: a book overrides the default theme from book.yaml `styles:`', () => {
  it('appends the book CSS after the theme (and after the page rules) in the web edition, the EPUB and the print document', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Themed\nstyles: [styles/book.css]\n',
      'a.md': '# A\n\nText.\n',
      'styles/book.css': OVERRIDE,
    });
    const book = await buildBook(loadManuscript(dir), { env: {} });

    const web = Buffer.from(await html.render(book, { log() {}, warn() {} })).toString('utf8');
    const webCss = /<style>([\s\S]*?)<\/style>/.exec(web)?.[1] ?? '';
    expect(webCss.indexOf(OVERRIDE)).toBeGreaterThan(webCss.indexOf('--accent-color: #7a2e12'));
    expect(webCss.indexOf(OVERRIDE)).toBeGreaterThan(webCss.indexOf('prefers-color-scheme: dark'));

    const zip = await JSZip.loadAsync(await renderEpub(book));
    const cssName = Object.keys(zip.files).find((n) => n.endsWith('.css')) as string;
    const epubCss = await zip.file(cssName)?.async('string');
    expect(epubCss?.trimEnd().endsWith(OVERRIDE.trimEnd())).toBe(true);

    const print = printDocument(book, { blanksBefore: new Set() }, pageGeometry(book)).html;
    const printCss = /<style>([\s\S]*?)<\/style>/.exec(print)?.[1] ?? '';
    const at = printCss.indexOf(OVERRIDE.trimEnd());
    expect(at).toBeGreaterThan(printCss.indexOf('--accent-color: #1a1a1a'));
    expect(at).toBeGreaterThan(printCss.indexOf('--body-size: '));
    expect(at).toBeGreaterThan(printCss.lastIndexOf('@page'));
  });
});
