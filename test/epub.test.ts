/**
 * The EPUB edition: reviewed snapshots of what is inside (file list, package document, navigation,
 * every content document), both EPUBCheck validators clean on every EPUB built here, byte-identical
 * rebuilds, and clean failures for images that vanish or live on the network.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { s } from 'hastscript';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ColophonError, type Diagnostic } from '../src/diagnostics.ts';
import type { Book } from '../src/model/book.ts';
import { aceCli, runAce } from '../src/outputs/epub/ace.ts';
import { normaliseZip, ZIP_TIME } from '../src/outputs/epub/normalise-zip.ts';
import { epub, renderEpub, renderEpubReport } from '../src/outputs/epub.ts';
import { expectCalibreShows } from './helpers/calibre.ts';
import { type CheckCounts, copyManuscript, javaEpubcheck, modelOf, readEntries, tsEpubcheck, zipEntries } from './helpers/epub.ts';
import { CORPUS, cleanupTempBooks, FIXTURE_BOOK, PNG_1x1, PRIDE_AND_PREJUDICE, SAMPLE_BOOK, tempBook } from './helpers/temp-book.ts';
import { epubText, words } from './helpers/text.ts';

const WALDEN = path.join(CORPUS, 'walden.md');

// No part of the EPUB stage may touch the network: watch every way Node could make a request.
const requests = [vi.spyOn(http, 'request'), vi.spyOn(http, 'get'), vi.spyOn(https, 'request'), vi.spyOn(https, 'get'), vi.spyOn(globalThis, 'fetch')];
afterAll(() => {
  for (const spy of requests) expect(spy).not.toHaveBeenCalled();
  cleanupTempBooks();
});

const noLog = { log: () => {}, warn: () => {} };

/** Each book is built once per test file; every EPUB the tests make is validated. */
const builds = new Map<string, Promise<{ book: Book; data: Uint8Array }>>();
function built(dir: string): Promise<{ book: Book; data: Uint8Array }> {
  let build = builds.get(dir);
  if (!build) {
    build = modelOf(dir).then(async (book) => ({ book, data: await epub.render(book, noLog) }));
    builds.set(dir, build);
  }
  return build;
}
const clean = (c: CheckCounts) => ({ fatals: c.fatals, errors: c.errors, warnings: c.warnings, messages: c.messages });
const CLEAN = { fatals: 0, errors: 0, warnings: 0, messages: [] };

for (const [name, dir] of [
  ['sample', SAMPLE_BOOK],
  ['fixture', FIXTURE_BOOK],
] as const) {
  describe(`EPUB of the ${name} book`, () => {
    let book: Book;
    let data: Uint8Array;
    let entries: Map<string, string>;
    let java: Promise<CheckCounts>;
    beforeAll(async () => {
      ({ book, data } = await built(dir));
      entries = await readEntries(data);
      // Java EPUBCheck takes seconds to start: let it run while the other tests do.
      java = javaEpubcheck(data, name);
    });

    it('matches the reviewed snapshots: file list, package, navigation, every document', async () => {
      const list = zipEntries(data).map((e) => `${e.method === 0 ? 'stored  ' : 'deflated'} ${String(e.size).padStart(7)}  ${e.name}`);
      await expect(`${list.join('\n')}\n`).toMatchFileSnapshot(`__snapshots__/epub/${name}/files.txt`);
      for (const [file, text] of entries) {
        if (!/\.(xhtml|opf|ncx)$/.test(file)) continue;
        await expect(text).toMatchFileSnapshot(`__snapshots__/epub/${name}/${path.basename(file)}`);
      }
    });

    it('is valid for W3C EPUBCheck: 0 errors, 0 warnings', async () => {
      expect(clean(await java)).toEqual(CLEAN);
    });

    it('is valid for epubcheck-ts: 0 errors, 0 warnings', async () => {
      expect(clean(await tsEpubcheck(data))).toEqual(CLEAN);
    });

    it.runIf(aceCli() !== undefined)(
      'passes DAISY Ace with 0 violations (system Chromium)',
      async () => {
        const ace = await runAce(data);
        expect(ace.skipped).toBeUndefined();
        expect(ace.violations).toEqual([]);
      },
      180_000,
    );

    it('shows calibre its title, authors with sort names, language, date, publisher, ISBN and cover', async () => {
      await expectCalibreShows(book, data, name);
    }, 120_000);

    it('starts with a stored mimetype and carries fixed times only', () => {
      const list = zipEntries(data);
      expect(list[0]).toMatchObject({ name: 'mimetype', method: 0, size: 20 });
      expect(list[0]).not.toHaveProperty('extraLength');
      expect(new Set(list.map((e) => e.date.getTime()))).toEqual(new Set([ZIP_TIME.getTime()]));
    });

    it('puts one XHTML file per chapter in the spine after the front matter, with lang and xml:lang', () => {
      const opf = entries.get('OEBPS/content.opf') as string;
      const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]);
      // A book without a cover gets a typographic one: every EPUB opens on its cover.
      const front = ['cover', 'titlepage', 'copyright', 'nav'];
      expect(spine).toEqual([...front, ...book.chapters.map((c) => `c-${c.id}`)]);
      for (const chapter of book.chapters) {
        const xhtml = entries.get(`OEBPS/${chapter.id}.xhtml`) as string;
        expect(xhtml).toContain(`lang="${book.metadata.language}" xml:lang="${book.metadata.language}"`);
      }
    });

    it('has a cover image: the book\u2019s own when book.yaml names one, else a typographic cover of 1600×2560 px marked as generated', async () => {
      const opf = entries.get('OEBPS/content.opf') as string;
      const cover = /<item id="([^"]+)" href="([^"]+)" media-type="(image\/[a-z]+)" properties="cover-image" \/>/.exec(opf);
      expect(cover).not.toBeNull();
      const [, id, href] = cover as RegExpExecArray;
      const image = Buffer.from((await (await JSZip.loadAsync(data)).file(`OEBPS/${href}`)?.async('uint8array')) ?? []);
      if (book.cover) {
        expect(href).toBe(book.cover.href);
        expect(image).toEqual(fs.readFileSync(book.cover.sourcePath));
        expect(opf).not.toContain('generated');
      } else {
        expect(href).toBe('images/cover-generated.png');
        expect(image.subarray(1, 4).toString()).toBe('PNG');
        expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([1600, 2560]);
        expect(opf).toContain(`<meta property="dcterms:description" refines="#${id}">Typographic cover generated by Colophon`);
      }
      expect(entries.get('OEBPS/cover.xhtml')).toContain(`src="${href}"`);
    });

    it('states its identifier, modification time and creators from the model', () => {
      const opf = entries.get('OEBPS/content.opf') as string;
      const m = book.metadata;
      const id =
        m.identifier.kind === 'isbn' ? `urn:isbn:${m.identifier.value}` : m.identifier.kind === 'uuid' ? `urn:uuid:${m.identifier.value}` : m.identifier.value;
      expect(opf).toContain(`<dc:identifier id="pub-id">${id}</dc:identifier>`);
      expect(opf).toContain(`<meta property="dcterms:modified">${m.modified.toISOString().slice(0, 19)}Z</meta>`);
      expect(entries.get('OEBPS/toc.ncx')).toContain(`<meta name="dtb:uid" content="${id}" />`);
      for (const c of m.creators) expect(opf).toContain(`>${c.name}</dc:`);
    });
  });
}

describe.runIf(aceCli() !== undefined)('EPUB accessibility conformance, checked then claimed', () => {
  it('the fixture asks for it, Ace passed the very file, so it claims WCAG 2.2 AA certified by its publisher', async () => {
    const { data } = await built(FIXTURE_BOOK);
    const opf = (await readEntries(data)).get('OEBPS/content.opf') as string;
    expect(opf).toContain('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>');
    expect(opf).toContain('<meta property="a11y:certifiedBy">Colophon Test Press</meta>');
    expect(opf).toMatch(/checked with DAISY Ace \d+\.\d+\.\d+ \(0 violations\)/);
  });

  it('the sample does not ask for it: no claim, and the build does not wait for Ace', async () => {
    const { data } = await built(SAMPLE_BOOK);
    const opf = (await readEntries(data)).get('OEBPS/content.opf') as string;
    expect(opf).not.toContain('conformsTo');
    expect(opf).not.toContain('certifiedBy');
  });

  it('is not claimed, with a warning saying why, when an image has no text alternative', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Bare\npublisher: A Press\nedition: {version: "1", date: 2025-01-15}\naccessibility:\n  conformance: true\n',
      'a.md': '# A\n\nText.\n\n![](pic.png)\n',
      'pic.png': PNG_1x1,
    });
    const warnings: Diagnostic[] = [];
    const report = await renderEpubReport(await modelOf(dir), { warn: (w) => warnings.push(w) });
    expect(report.conformance).toBeUndefined();
    expect(report.blockers).toContain('1 of 1 image(s) have no text alternative');
    expect(warnings.map((w) => w.code)).toEqual(['epub/a11y-not-claimed']);
    expect(warnings[0]?.message).toContain('1 of 1 image(s) have no text alternative');
    const opf = (await readEntries(report.bytes)).get('OEBPS/content.opf') as string;
    expect(opf).not.toContain('conformsTo');
  }, 180_000);
});

describe('EPUB features of the fixture book', () => {
  let book: Book;
  let entries: Map<string, string>;
  beforeAll(async () => {
    const fixture = await built(FIXTURE_BOOK);
    book = fixture.book;
    entries = await readEntries(fixture.data);
  });

  it('marks footnotes for pop-up readers, with back-links to every reference', () => {
    const ch = entries.get('OEBPS/ch-01-opening.xhtml') as string;
    expect(ch).toContain('<sup><a href="#ch-01-opening-fn-first" id="ch-01-opening-fnref-first" epub:type="noteref" role="doc-noteref">1</a></sup>');
    expect(ch).toContain(
      '<aside id="ch-01-opening-fn-first" epub:type="footnote" role="doc-footnote" class="footnote"><p><a href="#ch-01-opening-fnref-first" role="doc-backlink"',
    );
    expect(ch).toContain('href="#ch-01-opening-fnref-first-2"');
    expect(ch).not.toContain('data-footnote-ref');
  });

  it('rewrites links across chapters to file#id', () => {
    const ch = entries.get('OEBPS/ch-01-opening.xhtml') as string;
    expect(ch).toContain('href="ch-02-tables-and-code.xhtml#a-table-of-trims"');
    expect(ch).toContain('href="ch-03-closing.xhtml"');
    expect(entries.get('OEBPS/ch-02-tables-and-code.xhtml')).toContain('href="ch-01-opening.xhtml#why-plain-text"');
  });

  it('declares cover-image, mathml and nav properties exactly where they apply', () => {
    const opf = entries.get('OEBPS/content.opf') as string;
    const props = [...opf.matchAll(/<item id="[^"]+" href="([^"]+)" media-type="[^"]+" properties="([^"]+)"/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(props).toEqual(['toc.xhtml: nav', 'ch-02-tables-and-code.xhtml: mathml', 'images/cover-cac9cb840e.png: cover-image']);
    expect(entries.get('OEBPS/ch-02-tables-and-code.xhtml')).toMatch(/<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML" display="block" alttext="/);
  });

  it('keeps the model image names and embeds woff2 fonts the text needs', () => {
    const opf = entries.get('OEBPS/content.opf') as string;
    for (const asset of book.assets) expect(opf).toContain(`href="${asset.href}" media-type="${asset.mediaType}"`);
    expect(opf).toContain('href="fonts/source-serif-4-greek-400-normal.woff2" media-type="font/woff2"');
    expect(opf).toContain('href="fonts/source-serif-4-cyrillic-400-normal.woff2" media-type="font/woff2"');
    expect(entries.get('OEBPS/style.css')).toContain("src: url(fonts/source-serif-4-latin-400-normal.woff2) format('woff2')");
  });

  it('writes metadata for every creator, the subtitle and true accessibility claims', () => {
    const opf = entries.get('OEBPS/content.opf') as string;
    expect(opf).toContain('<meta property="role" refines="#creator-3" scheme="marc:relators">trl</meta>');
    expect(opf).toContain('<meta property="file-as" refines="#creator-1">Bright, Ada</meta>');
    expect(opf).toContain('<meta property="title-type" refines="#subtitle">subtitle</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityFeature">MathML</meta>');
    expect(opf).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
  });

  it('has nested navigation and landmarks', () => {
    const nav = entries.get('OEBPS/toc.xhtml') as string;
    expect(nav).toContain('<a href="ch-01-opening.xhtml#lists-and-tasks">Lists and tasks</a>');
    expect(nav).toMatch(/epub:type="cover".*epub:type="toc".*epub:type="bodymatter"/s);
  });
});

describe('EPUB of a book without images or math, with inline SVG and no description', () => {
  let data: Uint8Array;
  let opf: string;
  beforeAll(async () => {
    const book = await modelOf(SAMPLE_BOOK);
    book.metadata.description = '';
    // The sanitiser keeps raw SVG out of manuscripts today; the stage must still declare it right.
    const svg = s('svg', { viewBox: '0 0 10 10', width: 100, height: 100, role: 'img', ariaLabel: 'A square' }, [
      s('rect', { x: 1, y: 1, width: 8, height: 8, fill: 'none', stroke: 'black', strokeWidth: 1 }),
    ]);
    (book.chapters[0] as Book['chapters'][number]).hast.children.push(svg);
    data = await renderEpub(book);
    opf = (await readEntries(data)).get('OEBPS/content.opf') as string;
  });

  it('omits the empty description and claims only what is true', () => {
    expect(opf).not.toContain('dc:description');
    expect(opf).not.toContain('alternativeText');
    expect(opf).not.toContain('>MathML<');
    // The only image is the generated cover, whose words are the title page's: text alone suffices.
    expect(opf).toContain('href="images/cover-generated.png" media-type="image/png" properties="cover-image"');
    expect(opf).toContain('<meta property="schema:accessModeSufficient">textual</meta>');
  });

  it('declares the svg property on the chapter with inline SVG', () => {
    expect(opf).toContain('href="ch-the-nato-and-russia-embrace.xhtml" media-type="application/xhtml+xml" properties="svg"');
  });

  it('is valid for both EPUBCheck validators', async () => {
    const [java, ts] = await Promise.all([javaEpubcheck(data, 'variant'), tsEpubcheck(data)]);
    expect(clean(java)).toEqual(CLEAN);
    expect(clean(ts)).toEqual(CLEAN);
  });
});

describe('EPUB of a book with SVG images as drawing programs write them', () => {
  // Graphviz: XML declaration, DOCTYPE, then comments; Illustrator (the Rustonomicon's): a comment first.
  const graphviz = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz version 2.43.0 (0)
 -->
<!-- Title: G Pages: 1 -->
<svg width="62pt" height="44pt" viewBox="0.00 0.00 62.00 44.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 40)"><polygon fill="white" stroke="transparent" points="-4,4 -4,-40 58,-40 58,4 -4,4"/>
<ellipse fill="none" stroke="black" cx="27" cy="-18" rx="27" ry="18"/></g>
</svg>
`;
  let data: Uint8Array;
  let entries: Map<string, Uint8Array>;
  beforeAll(async () => {
    const illustrator = fs.readFileSync(path.resolve(import.meta.dirname, 'corpus/nomicon/src/img/safeandunsafe.svg'));
    const dir = tempBook({
      'book.yaml': 'title: Diagrams\n',
      'a.md': '# Diagrams\n\n![A graph](graph.svg)\n\n![Safe and unsafe](safe.svg)\n',
      'graph.svg': graphviz,
      'safe.svg': illustrator,
    });
    data = await renderEpub(await modelOf(dir));
    const zip = await JSZip.loadAsync(data);
    entries = new Map(await Promise.all(Object.values(zip.files).map(async (f) => [f.name, await f.async('uint8array')] as [string, Uint8Array])));
  });

  it('carries every SVG without its DOCTYPE, the rest byte for byte', () => {
    const svgs = [...entries].filter(([name]) => name.endsWith('.svg'));
    expect(svgs).toHaveLength(2);
    for (const [, bytes] of svgs) expect(Buffer.from(bytes).toString('utf8')).not.toContain('<!DOCTYPE');
    const graph = svgs.find(([name]) => name.includes('graph')) as [string, Uint8Array];
    expect(Buffer.from(graph[1]).toString('utf8')).toBe(graphviz.replace(/<!DOCTYPE[^>]*>/, '\n'));
  });

  it('is valid for W3C EPUBCheck: 0 errors, 0 warnings (a DOCTYPE gave OPF-073 and HTM-003)', async () => {
    expect(clean(await javaEpubcheck(data, 'svg-prologs'))).toEqual(CLEAN);
  });
});

describe('EPUB fonts follow the model', () => {
  it('embeds the code face for a book whose only code is in a footnote', async () => {
    const dir = tempBook({ 'book.yaml': 'title: Notes\n', 'a.md': '# A\n\nText.[^1]\n\n[^1]: Run `make`.\n' });
    const book = await modelOf(dir);
    const monoInModel = book.assets.filter((a) => a.face?.family === 'JetBrains Mono').map((a) => `OEBPS/${a.href}`);
    expect(monoInModel.length).toBeGreaterThan(0);
    const data = await renderEpub(book);
    const names = (await zipEntries(data)).map((e) => e.name);
    for (const file of monoInModel) expect(names, file).toContain(file);
    expect((await readEntries(data)).get('OEBPS/style.css')).toContain("font-family: 'JetBrains Mono'");
  });
});

describe('reproducible EPUB builds', () => {
  it('gives byte-identical files for two builds of the same book (model built afresh)', async () => {
    const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
    const first = sha((await built(FIXTURE_BOOK)).data);
    expect(sha(await renderEpub(await modelOf(FIXTURE_BOOK)))).toBe(first);
  });
});

describe('normalising pass', () => {
  it('puts mimetype first and stored, orders entries, fixes times, drops folders: same bytes from any input order', async () => {
    const make = async (names: string[]) => {
      const zip = new JSZip();
      for (const name of names) zip.file(name, name === 'mimetype' ? 'application/epub+zip' : `content of ${name}`, { date: new Date() });
      return normaliseZip(zip, ['OEBPS/content.opf', 'OEBPS/b.xhtml', 'OEBPS/a.xhtml']);
    };
    const a = await make(['OEBPS/a.xhtml', 'mimetype', 'OEBPS/images/x.png', 'OEBPS/content.opf', 'META-INF/container.xml', 'OEBPS/b.xhtml']);
    const b = await make(['META-INF/container.xml', 'OEBPS/b.xhtml', 'OEBPS/images/x.png', 'OEBPS/content.opf', 'OEBPS/a.xhtml', 'mimetype']);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(zipEntries(a).map((e) => [e.name, e.method])).toEqual([
      ['mimetype', 0],
      ['META-INF/container.xml', 8],
      ['OEBPS/content.opf', 8],
      ['OEBPS/b.xhtml', 8],
      ['OEBPS/a.xhtml', 8],
      ['OEBPS/images/x.png', 0],
    ]);
  });
});

describe('EPUB failures', () => {
  const expectError = async (book: Book, code: string) => {
    const error = await renderEpub(book).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ColophonError);
    expect((error as ColophonError).diagnostics.map((d) => d.code)).toContain(code);
    return error as ColophonError;
  };

  it('fails cleanly when an image vanishes between model and render', async () => {
    const dir = copyManuscript(FIXTURE_BOOK);
    try {
      const book = await modelOf(dir);
      fs.rmSync(path.join(dir, 'images/rings.png'));
      const error = await expectError(book, 'epub/unreadable-asset');
      expect(error.message).toContain('images/rings-');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails cleanly when the cover vanishes or cannot be read', async () => {
    const dir = copyManuscript(FIXTURE_BOOK);
    try {
      const book = await modelOf(dir);
      fs.rmSync(path.join(dir, 'images/cover.png'));
      fs.mkdirSync(path.join(dir, 'images/cover.png'));
      const error = await expectError(book, 'epub/unreadable-asset');
      expect(error.message).toContain('cover image');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a remote image without making a request', async () => {
    const book = await modelOf(SAMPLE_BOOK);
    const chapter = book.chapters[0] as Book['chapters'][number];
    chapter.hast.children.push({ type: 'element', tagName: 'img', properties: { src: 'https://example.org/never.png', alt: 'remote' }, children: [] });
    await expectError(book, 'epub/remote-image');
  });
});

describe('EPUB of Pride and Prejudice (121k words, one file)', () => {
  let book: Book;
  let data: Uint8Array;
  beforeAll(async () => {
    book = await modelOf(PRIDE_AND_PREJUDICE);
    data = await renderEpub(book);
  });

  it('is valid for both EPUBCheck validators', async () => {
    const started = performance.now();
    const timedJava = async () => {
      const result = await javaEpubcheck(data, 'pride-and-prejudice');
      console.info(`Java EPUBCheck on P&P: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return result;
    };
    const [java, ts] = await Promise.all([timedJava(), tsEpubcheck(data)]);
    expect(clean(java)).toEqual(CLEAN);
    expect(clean(ts)).toEqual(CLEAN);
  });
});

describe('EPUB chapters over the size older readers manage, split at their sections', () => {
  /** Content documents in spine order, with their text. */
  async function chapterFiles(data: Uint8Array): Promise<{ href: string; xhtml: string }[]> {
    const entries = await readEntries(data);
    const opf = entries.get('OEBPS/content.opf') as string;
    const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]));
    return [...opf.matchAll(/<itemref idref="(c-[^"]+)"/g)].map((m) => {
      const href = hrefs.get(m[1]) as string;
      return { href, xhtml: entries.get(`OEBPS/${href}`) as string };
    });
  }
  const sortedWords = async (data: Uint8Array) => words(await epubText(data)).sort();

  it('cuts the fixture at h2/h3 when told 3 KB: nav, links and notes point into the right file, no word lost, both validators clean', async () => {
    const book = await modelOf(FIXTURE_BOOK);
    const whole = await renderEpub(book, { ace: 'never' });
    const split = await renderEpub(book, { ace: 'never', splitBytes: 3000 });
    const files = await chapterFiles(split);
    expect(files.length).toBeGreaterThan(book.chapters.length);
    const idsOf = new Map(files.map((f) => [f.href, new Set([...f.xhtml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]))]));
    // Every link into a chapter file names the file that holds its target.
    const entries = await readEntries(split);
    for (const [name, text] of entries) {
      if (!name.endsWith('.xhtml')) continue;
      for (const m of text.matchAll(/ href="([^"#:]*\.xhtml)?#([^"]+)"/g)) {
        const file = m[1] ?? name.slice('OEBPS/'.length);
        if (idsOf.has(file)) expect(idsOf.get(file)?.has(m[2] as string), `${name}: ${m[0]}`).toBe(true);
      }
    }
    // Each note sits in the file of its first reference.
    for (const chapter of book.chapters) {
      for (const note of chapter.footnotes) {
        const file = files.find((f) => f.xhtml.includes(`<aside id="${note.id}"`));
        expect(file?.xhtml, note.id).toContain(`id="${note.refIds[0]}"`);
      }
    }
    // Headings do not end a file, and the file list opens each chapter where its title is.
    for (const f of files) expect(f.xhtml).not.toMatch(/<\/h[2-6]>\s*<\/section>/);
    expect(await sortedWords(split)).toEqual(await sortedWords(whole));
    const [java, ts] = await Promise.all([javaEpubcheck(split, 'fixture-split'), tsEpubcheck(split)]);
    expect(clean(java)).toEqual(CLEAN);
    expect(clean(ts)).toEqual(CLEAN);
  }, 120_000);

  it('keeps Walden whole at the default size (its largest chapter, Economy, is ~140 KB) and cuts it between paragraphs at 40 KB', async () => {
    const book = await modelOf(WALDEN);
    const whole = await renderEpub(book, { ace: 'never' });
    expect((await chapterFiles(whole)).length).toBe(book.chapters.length);
    const split = await renderEpub(book, { ace: 'never', splitBytes: 40_000 });
    const files = await chapterFiles(split);
    expect(files.map((f) => f.href)).toEqual(expect.arrayContaining(['ch-economy.xhtml', 'ch-economy-2.xhtml', 'ch-economy-3.xhtml']));
    for (const f of files) expect(Buffer.byteLength(f.xhtml), f.href).toBeLessThanOrEqual(40_000);
    expect(await sortedWords(split)).toEqual(await sortedWords(whole));
    const java = await javaEpubcheck(split, 'walden-split');
    expect(clean(java)).toEqual(CLEAN);
  }, 180_000);
});
