/** The catalogue's pure parts: which titles a command names, the shared-browser pool, the summary table. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/catalogue/browser-pool.ts';
import { buildRows, formatSummary } from '../../src/catalogue/summary.ts';
import { namesCatalogue, resolveTitles, wholeBooks } from '../../src/catalogue/titles.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { ColophonError, error } from '../../src/diagnostics.ts';
import { loadManuscript } from '../../src/manuscript/load.ts';
import type { PrintBrowser } from '../../src/outputs/pdf/session.ts';
import { colophonErrorOf } from '../helpers/errors.ts';
import { cleanupTempBooks, tempBook } from '../helpers/temp-book.ts';

afterAll(cleanupTempBooks);

describe('resolveTitles', () => {
  it('reads catalogue.yaml: paths relative to it, defaults under each title, a title’s own settings winning', () => {
    const dir = tempBook({
      'books/emma/book.yaml': 'title: Emma\n',
      'books/emma/01.md': '# One\n',
      'walden.md': '# Title: Walden\n\n# Economy\n\nText.\n',
      'catalogue.yaml': [
        'defaults:',
        '  formats: [html, epub]',
        '  set: { publisher: Hawthorn Press, print: { trim: 6x9in, bleed: 3mm } }',
        'titles:',
        '  - walden.md',
        '  - path: books/emma',
        '    slug: emma-2e',
        '    formats: html',
        '    set:',
        '      identifier: "978-0-306-40615-7"',
        '      print: { trim: 5x8in }',
        '',
      ].join('\n'),
    });
    expect(namesCatalogue([dir])).toBe(true);
    expect(namesCatalogue([path.join(dir, 'books/emma')])).toBe(false);
    const [walden, emma] = resolveTitles([path.join(dir, 'catalogue.yaml')]);
    expect(walden?.input).toBe(path.join(dir, 'walden.md'));
    expect(walden?.formats).toEqual(['html', 'epub']);
    expect(walden?.overrides?.values).toEqual({ publisher: 'Hawthorn Press', print: { trim: '6x9in', bleed: '3mm' } });
    expect(emma).toMatchObject({ input: path.join(dir, 'books/emma'), slug: 'emma-2e', formats: ['html'] });
    // Mappings merge key by key: emma keeps the default bleed and takes its own trim.
    expect(emma?.overrides?.values).toEqual({ publisher: 'Hawthorn Press', print: { trim: '5x8in', bleed: '3mm' }, identifier: '978-0-306-40615-7' });
    expect(emma?.overrides?.positions['print.trim']).toEqual({ file: path.join(dir, 'catalogue.yaml'), line: 11, column: 16 });
    expect(emma?.listedAt?.line).toBe(6);
  });

  it('applies the overrides over the book’s own keys, and reports a wrong override where the catalogue wrote it', () => {
    const dir = tempBook({ 'book.yaml': 'title: Emma\nprint:\n  trim: 6x9in\n  paper: cream\n', '01.md': '# One\n' });
    const catalogue = path.join(dir, 'catalogue.yml');
    fs.writeFileSync(catalogue, 'titles:\n  - path: .\n    set:\n      print: { trim: 5x8in }\n');
    const [title] = resolveTitles([catalogue]);
    const manuscript = loadManuscript(dir, title?.overrides ? { overrides: title.overrides } : {});
    expect(manuscript.config.print.trim.name).toBe('5x8in');
    expect(manuscript.config.print.paper).toBe('cream');

    const e = colophonErrorOf(() =>
      parseConfig({
        file: 'book.yaml',
        text: 'title: T\n',
        overrides: { values: { print: { trim: 'huge' } }, positions: { 'print.trim': { file: 'catalogue.yaml', line: 4, column: 16 } } },
      }),
    );
    expect(e.diagnostics[0]?.location).toEqual({ file: 'catalogue.yaml', line: 4, column: 16 });
    expect(e.diagnostics[0]?.message).toMatch(/"print\.trim"/);
  });

  it('refuses a malformed catalogue with file, line and a hint, and a manuscript listed twice', () => {
    const dir = tempBook({ 'a.md': '# A\n' });
    const file = path.join(dir, 'catalogue.yaml');
    fs.writeFileSync(file, 'titles:\n  - path: a.md\n    formts: [html]\n  - path: a.md\n  - {}\n  - path: a.md\n    formats: [html, mobi]\n');
    const e = colophonErrorOf(() => resolveTitles([file]));
    const found = e.diagnostics.map((d) => `${d.location?.line}: ${d.code} ${d.message}`);
    expect(found).toContain('3: catalogue/invalid unknown key "formts" in the catalogue');
    expect(found).toContain('5: catalogue/invalid each title needs a path');
    expect(found).toContain('7: catalogue/invalid `formats` must list output formats; unknown: mobi');
    expect(found.some((f) => f.startsWith('4: catalogue/duplicate'))).toBe(true);

    fs.writeFileSync(file, 'titles: [a.md\n');
    expect(colophonErrorOf(() => resolveTitles([file])).diagnostics[0]).toMatchObject({
      code: 'catalogue/yaml-syntax',
      location: { file, line: expect.any(Number) },
    });
    fs.writeFileSync(file, 'defaults: {}\n');
    expect(colophonErrorOf(() => resolveTitles([file])).diagnostics[0]?.message).toMatch(/non-empty list/);
  });

  it('tells several books from one book’s chapters given Pandoc’s way: a file with its own title is a book', () => {
    const dir = tempBook({
      'emma.md': '---\ntitle: Emma\n---\n# One\n',
      'walden.md': '# Title: Walden\n\n# Economy\n',
      'ch1.md': '# One\n',
      'ch2.md': '---\nauthor: A\n---\n# Two\n',
      'folder/book.yaml': 'title: F\n',
    });
    const at = (...names: string[]) => names.map((n) => path.join(dir, n));
    expect(wholeBooks(at('emma.md', 'walden.md'))).toBe(true);
    expect(wholeBooks(at('emma.md', 'ch1.md'))).toBe(false);
    expect(wholeBooks(at('ch1.md', 'ch2.md'))).toBe(false);
    expect(wholeBooks(at('ch1.md', 'folder'))).toBe(true);
  });

  it('keeps a missing manuscript as a title (its own build fails), in the order given', () => {
    const titles = resolveTitles(['no/such/book', 'also-missing.md']);
    expect(titles.map((t) => t.label)).toEqual(['no/such/book', 'also-missing.md']);
  });
});

/** A stand-in for a running Chromium: only what the pool looks at. */
function fakeBrowser(): PrintBrowser & { closed: number } {
  const browser = {
    connected: true,
    closed: 0,
    async close() {
      browser.closed++;
      browser.connected = false;
    },
  };
  return browser as unknown as PrintBrowser & { closed: number };
}

const browserDied = new ColophonError(error('pdf/browser', 'the browser closed unexpectedly', undefined, 'retry'));

describe('BrowserPool', () => {
  it('starts one browser for everyone and lends at most `pages` at a time', async () => {
    const launched: ReturnType<typeof fakeBrowser>[] = [];
    const pool = new BrowserPool(2, async () => {
      const b = fakeBrowser();
      launched.push(b);
      return b;
    });
    let open = 0;
    let most = 0;
    const used = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        pool.lend(async (browser) => {
          open++;
          most = Math.max(most, open);
          await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
          open--;
          return browser;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(launched).toHaveLength(1);
    expect(new Set(used).size).toBe(1);
    await pool.close();
    expect(launched[0]?.closed).toBe(1);
  });

  it('replaces a crashed browser once, however many books saw it die; other failures are not retried', async () => {
    const launched: ReturnType<typeof fakeBrowser>[] = [];
    const pool = new BrowserPool(3, async () => {
      const b = fakeBrowser();
      launched.push(b);
      return b;
    });
    const first = await pool.lend(async (b) => b);
    // A manuscript error, or a browser still running, is the book's own failure.
    expect(await pool.recover(first, new ColophonError(error('pdf/image', 'bad image', undefined, 'fix it')))).toBe(false);
    expect(await pool.recover(first, browserDied)).toBe(false);
    (first as { connected: boolean }).connected = false;
    const retries = await Promise.all([pool.recover(first, browserDied), pool.recover(first, browserDied)]);
    expect(retries).toEqual([true, true]);
    expect(pool.restarts).toBe(1);
    const second = await pool.lend(async (b) => b);
    expect(second).not.toBe(first);
    expect(launched).toHaveLength(2);
    await pool.close();
  });

  it('does not keep a failed start: the next book tries again', async () => {
    let tries = 0;
    const pool = new BrowserPool(1, async () => {
      tries++;
      if (tries === 1) throw browserDied;
      return fakeBrowser();
    });
    await expect(pool.lend(async (b) => b)).rejects.toBe(browserDied);
    await expect(pool.lend(async (b) => b.connected)).resolves.toBe(true);
    await pool.close();
  });
});

describe('the summary table', () => {
  it('gives title, status, pages, time, warnings and the first error with file:line', () => {
    const rows = buildRows([
      { label: 'a', input: '/a', title: 'Emma', status: 'built', pages: 312, ms: 8400, files: [], warnings: [], errors: [], retried: true },
      {
        label: 'b',
        input: '/b',
        status: 'failed',
        ms: 120,
        files: [],
        warnings: [error('x', 'w', undefined, 'h')],
        errors: [error('links/missing', 'link to a missing chapter', { file: 'b/02.md', line: 7, column: 3 }, 'fix'), error('y', 'another', undefined, 'h')],
        retried: false,
      },
    ]);
    expect(formatSummary(rows, 9000)).toBe(
      [
        '  title  status           pages      time  warnings  errors',
        '  Emma   built (retried)    312     8.4 s         0',
        '  b      FAILED               –     0.1 s         1  b/02.md:7:3: link to a missing chapter (+1 more)',
        '2 title(s): 1 ok, 1 failed, in 9.0 s',
        '',
      ].join('\n'),
    );
  });
});
