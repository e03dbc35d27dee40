/**
 * The EPUB 3 edition: one XHTML file per chapter, a title page and a copyright page as in print, a
 * cover page when the book has a cover, nested navigation with an NCX for older readers, embedded
 * font subsets, and metadata (including accessibility metadata) that is true for this book.
 *
 * Book model → XHTML documents, package document and navigation (epub/*.ts) → epub-gen-memory lays
 * out the container (epub/packager.ts) → the normalising pass fixes order and times (two builds are
 * byte-identical). Every file is read before packing starts, so a missing image fails the build
 * before anything is written, and nothing is fetched from the network.
 */
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { findBrowser } from '../browser/find-browser.ts';
import { ColophonError, type Diagnostic, warning } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import { eachElement } from '../model/trees.ts';
import { type AccessibilityFacts, accessibilityFacts, accessibilityMetadata, CONFORMANCE, type Conformance } from './epub/accessibility.ts';
import { type AceResult, aceVersion, runAce } from './epub/ace.ts';
import { type Landmark, type NavPoint, navBody, navPoints, ncx } from './epub/nav.ts';
import { normaliseZip } from './epub/normalise-zip.ts';
import { identifierUri, type ManifestItem, packageDocument, type SpineItem } from './epub/opf.ts';
import { type PackedDocument, pack } from './epub/packager.ts';
import { collectResources, type Resource } from './epub/resources.ts';
import { chapterPieces, idsIn } from './epub/split.ts';
import { coverDrawn, drawTypographicCover, GENERATED_COVER_HREF } from './epub/typographic-cover.ts';
import { type ChapterPart, CSS_HREF, chapterBody, contentProperties, type LinkContext, xhtmlDocument } from './epub/xhtml.ts';
import type { LendBrowser, OutputFormat } from './output.ts';
import { type PrintedPage, pageBreakMarker, placePages, withPageBreaks } from './page-breaks.ts';
import { copyrightPage, label, titlePage } from './parts.ts';
import type { PrintBrowser } from './pdf/session.ts';
import { RenderedPieces } from './rendered-pieces.ts';

/** Where epub-gen-memory puts the package: every href below is relative to this folder. */
const CONTENT_DIR = 'OEBPS/';
const NAV_HREF = 'toc.xhtml';
const NCX_HREF = 'toc.ncx';
const OPF_PATH = `${CONTENT_DIR}content.opf`;

interface ContentDocument {
  id: string;
  href: string;
  title: string;
  body: ElementContent[];
  bodyType?: string;
  bodyClass?: string;
}

/** A content document as it goes into the archive, and the manifest properties it needs. */
interface FinishedDocument {
  xhtml: string;
  properties: string[];
}

interface PackedContent {
  id: string;
  href: string;
  title: string;
  finished: FinishedDocument;
}

function finish(d: ContentDocument, book: Book): PackedContent {
  const m = book.metadata;
  const xhtml = xhtmlDocument({
    title: d.title,
    language: m.language,
    direction: m.direction,
    body: d.body,
    ...(d.bodyType ? { bodyType: d.bodyType } : {}),
    ...(d.bodyClass ? { bodyClass: d.bodyClass } : {}),
  });
  return { id: d.id, href: d.href, title: d.title, finished: { xhtml, properties: contentProperties(d.body) } };
}

/**
 * Where the links of one chapter file lead, as data for its rendered piece's key: each id it links
 * to (in its text, its notes, and its notes' links back), with the file and key that hold it now.
 */
function linkTargets(part: ChapterPart, links: LinkContext): [string, string | null, string | null][] {
  const ids = new Set<string>();
  const root: Root = { type: 'root', children: [...part.nodes, ...part.notes.flatMap((n) => n.content)] as Root['children'] };
  eachElement(root, (node: Element) => {
    const href = node.tagName === 'a' ? node.properties.href : undefined;
    if (typeof href === 'string' && href.startsWith('#')) ids.add(href.slice(1));
  });
  for (const note of part.notes) for (const id of note.refIds) ids.add(id);
  return [...ids].map((id) => {
    const target = links.anchors[id];
    return [id, target ?? null, target === undefined ? null : links.fileOf(target)];
  });
}

/** Chapter ids are safe names already; anything epub-gen-memory would rename gets a plain numbered name. */
function chapterFileNames(book: Book): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set(['cover.xhtml', 'titlepage.xhtml', 'copyright.xhtml', NAV_HREF]);
  book.chapters.forEach((c, i) => {
    let name = /^[A-Za-z0-9][-._A-Za-z0-9]*$/.test(c.id) ? `${c.id}.xhtml` : `chapter-${i + 1}.xhtml`;
    if (taken.has(name)) name = `chapter-${i + 1}.xhtml`;
    taken.add(name);
    names.set(c.id, name);
  });
  return names;
}

export interface EpubOptions {
  /** A running browser to draw a typographic cover with (the build's or a test's); else one is started when needed. */
  browser?: PrintBrowser;
  /** Lends a browser to draw the cover with (a catalogue's drawing browser); else `browser`, else one is started. */
  drawing?: LendBrowser;
  /** Problems that do not stop the EPUB (no browser to draw a cover, a conformance claim not made). */
  warn?: (diagnostic: Diagnostic) => void;
  /**
   * When to run DAISY Ace: `auto` only when book.yaml asks for the conformance claim (the build),
   * `always` to report on any book (`check`), `never`.
   */
  ace?: 'auto' | 'always' | 'never';
  env?: NodeJS.ProcessEnv;
  /** Split chapters whose XHTML is larger than this many bytes (default 300 KB, epub/split.ts). */
  splitBytes?: number;
  /** The print edition's pages (the PDF stage's page map): each gets a pagebreak marker and a page-list entry. */
  pages?: PrintedPage[];
  /** Keep a generated cover in the disk cache and reuse it (default true; `--no-cache` sets false). */
  cache?: boolean;
}

export interface EpubReport {
  bytes: Uint8Array;
  /** Ace's verdict on `bytes`, when it ran or was asked to and could not. */
  ace?: AceResult;
  /** The claim `bytes` carry, if any. */
  conformance?: Conformance;
  /** Why the claim is not (or could not be) made, Ace's verdict included. */
  blockers: string[];
  /** Content document inside the EPUB (`OEBPS/ch-1.xhtml`) → the manuscript file it comes from. */
  sources: Record<string, string>;
}

/**
 * The cover image of a book without one: drawn from its metadata (epub/typographic-cover.ts). Without
 * a browser the EPUB goes without a cover and says so; a real cover never comes here.
 */
async function generatedCover(book: Book, options: EpubOptions): Promise<Resource | undefined> {
  const noCover = (why: string) =>
    options.warn?.(
      warning(
        'epub/no-cover',
        `the EPUB has no cover: book.yaml names none, and ${why}`,
        undefined,
        'Add `cover: cover.jpg` (1600×2560 px) to book.yaml, or install Chromium (`npx colophon setup`) so that Colophon draws one.',
      ),
    );
  let browser = options.browser;
  const own = !browser;
  const lent = options.drawing;
  try {
    if (!browser && !lent && !coverDrawn(book) && !(await findBrowser())) {
      noCover('no Chromium was found to draw one');
      return undefined;
    }
    const data = await drawTypographicCover(
      book,
      lent
        ? (page) => lent((b) => b.screenshot(page))
        : async (page) => {
            // Puppeteer is loaded only to draw: a cover from the cache or the book's own needs no browser.
            browser ??= await (await import('./pdf/session.ts')).PrintBrowser.launch();
            return browser.screenshot(page);
          },
      { diskCache: options.cache !== false },
    );
    return { id: 'cover-generated', href: GENERATED_COVER_HREF, mediaType: 'image/png', data, properties: ['cover-image'] };
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    noCover(`drawing one failed: ${e.diagnostics[0]?.message ?? e.message}`);
    return undefined;
  } finally {
    if (own) await browser?.close();
  }
}

/** The finished EPUB with what was decided about its accessibility claim. */
export async function renderEpubReport(book: Book, options: EpubOptions = {}): Promise<EpubReport> {
  const m = book.metadata;
  const resources = collectResources(book);
  const drawn = resources.cover ? undefined : await generatedCover(book, options);
  if (drawn) resources.cover = drawn;
  const files = chapterFileNames(book);
  const fileOf = (chapterId: string) => files.get(chapterId) ?? `${chapterId}.xhtml`;
  // Print page numbers: a marker where each printed page begins (page-breaks.ts), in the chapter
  // trees before they are split, and at the top of the front-matter documents.
  const placement = options.pages ? placePages(options.pages, (id) => book.anchors[id] !== undefined) : undefined;
  const chapterTrees = book.chapters.map((c) => {
    const starts = placement?.chapters.get(c.id);
    return starts ? { ...c, hast: withPageBreaks(c.hast, starts, true) } : c;
  });
  const frontMarkers = (flow: string) => (placement?.front.get(flow) ?? []).map((start) => pageBreakMarker(start, true));

  const front: ContentDocument[] = [];
  if (resources.cover) {
    front.push({
      id: 'cover',
      href: 'cover.xhtml',
      title: m.title,
      bodyClass: 'cover',
      body: [
        h('section', { 'epub:type': 'cover', className: ['cover'] }, [
          h('img', { src: resources.cover.href, alt: label(book, 'cover-image', { title: m.title }), role: 'doc-cover' }),
        ]),
      ],
    });
  }
  front.push(
    {
      id: 'titlepage',
      href: 'titlepage.xhtml',
      title: m.title,
      bodyType: 'frontmatter',
      body: [...frontMarkers('title-page'), withType(titlePage(book), 'titlepage')],
    },
    {
      id: 'copyright',
      href: 'copyright.xhtml',
      title: label(book, 'copyright-title', { title: m.title }),
      bodyType: 'frontmatter',
      body: [...frontMarkers('copyright'), withType(copyrightPage(book), 'copyright-page')],
    },
  );
  // Chapters over the size older readers manage become several files (epub/split.ts): each later
  // part has a key of its own, and every id in it (and each note placed with it) points there.
  const anchors: Record<string, string> = { ...book.anchors };
  const partFiles = new Map<string, string>();
  const taken = new Set(files.values());
  for (const c of chapterTrees) for (const start of placement?.chapters.get(c.id) ?? []) anchors[start.id] = c.id;
  const parts = chapterTrees.map((c) => {
    const pieces = chapterPieces(c, options.splitBytes);
    return pieces.map((piece, i): ChapterPart => {
      if (i === 0) return { key: c.id, first: true, ...piece };
      const key = `${c.id}\u0000${i + 1}`;
      const stem = fileOf(c.id).replace(/\.xhtml$/, '');
      let name = `${stem}-${i + 1}.xhtml`;
      for (let n = 2; taken.has(name); n++) name = `${stem}-${i + 1}-${n}.xhtml`;
      taken.add(name);
      partFiles.set(key, name);
      for (const id of [...piece.nodes.flatMap(idsIn), ...piece.notes.map((n) => n.id)]) anchors[id] = key;
      return { key, first: false, ...piece };
    });
  });
  for (const list of parts) for (const part of list) if (part.first) for (const note of part.notes) anchors[note.id] = part.key;
  const fileOfKey = (key: string) => partFiles.get(key) ?? fileOf(key);
  const links: LinkContext = { anchors, fileOf: fileOfKey };
  // Chapter files come from the disk when nothing that goes into them changed (rendered-pieces.ts).
  const pieces = RenderedPieces.open<FinishedDocument>('epub', book, options.cache !== false);
  const chapters: PackedContent[] = book.chapters.flatMap((c, i) =>
    (parts[i] ?? []).map((part) => {
      const href = fileOfKey(part.key);
      const doc = { id: `c-${href.replace(/\.xhtml$/, '')}`, href, title: c.title, bodyType: 'bodymatter' };
      const inputs = () => [m.language, m.direction, book.labels, c.id, c.title, href, part.key, part.first, part.nodes, part.notes, linkTargets(part, links)];
      const finished = pieces.piece(inputs, () => finish({ ...doc, body: chapterBody(c, book, links, part) }, book).finished);
      return { id: doc.id, href, title: c.title, finished };
    }),
  );
  pieces.save();

  const points = navPoints(book.toc, fileOf, (id) => (anchors[id] !== undefined ? fileOfKey(anchors[id]) : undefined));
  const landmarks: Landmark[] = [
    ...(resources.cover ? [{ type: 'cover' as const, title: label(book, 'cover'), href: 'cover.xhtml' }] : []),
    { type: 'toc', title: label(book, 'contents'), href: `${NAV_HREF}#toc` },
    ...(chapters[0] ? [{ type: 'bodymatter' as const, title: label(book, 'start-of-content'), href: chapters[0].href }] : []),
  ];
  const frontFile: Record<string, string> = { 'title-page': 'titlepage.xhtml', copyright: 'copyright.xhtml', contents: NAV_HREF };
  const pageList: NavPoint[] = (placement?.all ?? []).flatMap((start) => {
    const [kind, key = ''] = start.where.split(':');
    const file = kind === 'front' ? frontFile[key] : anchors[start.id] ? fileOfKey(anchors[start.id] as string) : undefined;
    return file ? [{ title: start.label, href: `${file}#${start.id}`, children: [] }] : [];
  });
  const nav: ContentDocument = {
    id: 'nav',
    href: NAV_HREF,
    title: label(book, 'contents'),
    bodyType: 'frontmatter',
    body: [
      ...frontMarkers('contents'),
      ...navBody(points, landmarks, { contents: label(book, 'contents'), landmarks: label(book, 'landmarks'), pages: label(book, 'page-list') }, pageList),
    ],
  };

  const frontPacked = front.map((d) => finish(d, book));
  const documents = [...frontPacked, { id: nav.id, href: nav.href, properties: ['nav', ...contentProperties(nav.body)] }, ...chapters];
  const manifest: ManifestItem[] = [
    { id: 'ncx', href: NCX_HREF, mediaType: 'application/x-dtbncx+xml', properties: [] },
    { id: 'css', href: CSS_HREF, mediaType: 'text/css', properties: [] },
    ...documents.map((d) => ({
      id: d.id,
      href: d.href,
      mediaType: 'application/xhtml+xml',
      properties: 'finished' in d ? d.finished.properties : d.properties,
    })),
    ...[...(resources.cover ? [resources.cover] : []), ...resources.images, ...resources.fonts].map(({ id, href, mediaType, properties }) => ({
      id,
      href,
      mediaType,
      properties,
    })),
  ];
  // Reading order as in print: cover, title page, copyright page, contents, chapters.
  const spine: SpineItem[] = documents.map((d) => ({ idref: d.id, linear: true }));
  const identifier = identifierUri(m.identifier);
  const facts = accessibilityFacts(book, { hasCover: resources.cover !== undefined, images: resources.images, printPages: pageList.length > 0 });

  const assemble = async (conformance?: Conformance): Promise<Uint8Array> => {
    const archive = await pack({
      title: m.title,
      language: m.language,
      identifier,
      css: resources.css,
      opf: packageDocument({
        metadata: m,
        manifest,
        spine,
        accessibility: accessibilityMetadata(facts, conformance),
        ...(resources.cover ? { coverImageId: resources.cover.id } : {}),
        ...(drawn ? { generatedCover: true } : {}),
        ...(pageList.length > 0 ? { pageBreakSource: identifier } : {}),
      }),
      ncx: ncx(points, identifier, m.title, pageList, label(book, 'page-list')),
      nav: xhtmlDocument({ title: nav.title, language: m.language, direction: m.direction, body: nav.body }),
      documents: [...frontPacked, ...chapters].map((d): PackedDocument => ({ fileName: d.href, title: d.title, xhtml: d.finished.xhtml })),
      resources: [...(resources.cover ? [resources.cover] : []), ...resources.images, ...resources.fonts],
    });

    // Every manifest item must be in the archive and nothing else besides the container files.
    const expected = new Set(['mimetype', 'META-INF/container.xml', OPF_PATH, ...manifest.map((i) => CONTENT_DIR + i.href)]);
    const actual = Object.values(archive.files)
      .filter((f) => !f.dir)
      .map((f) => f.name);
    const stray = actual.filter((n) => !expected.has(n));
    const missing = [...expected].filter((n) => !actual.includes(n));
    if (stray.length > 0 || missing.length > 0) {
      throw new Error(`EPUB packaging mismatch: unexpected ${JSON.stringify(stray)}, missing ${JSON.stringify(missing)}`);
    }
    return normaliseZip(archive, [OPF_PATH, ...manifest.map((i) => CONTENT_DIR + i.href)]);
  };

  const sources: Record<string, string> = Object.fromEntries(
    book.chapters.flatMap((c, i) => (parts[i] ?? []).map((part) => [CONTENT_DIR + fileOfKey(part.key), c.source])),
  );
  return { ...(await withConformance(book, facts, assemble, options)), sources };
}

/**
 * Whether the EPUB claims conformance is decided here, at build time, because the claim is part of
 * the file's bytes: it can only be made where the file is made and Ace has run on it. So the build
 * runs DAISY Ace when book.yaml asks for the claim (`accessibility.conformance`), on the EPUB exactly
 * as it would ship with the claim, and keeps the claim only when Ace finds 0 violations, every image
 * has a text alternative and someone certifies it; otherwise it ships the same EPUB without the claim
 * and warns why. Books that do not ask never wait for Ace (a novel takes minutes), and `check` runs
 * Ace on every book to say whether the claim could be made.
 */
async function withConformance(
  book: Book,
  facts: AccessibilityFacts,
  assemble: (conformance?: Conformance) => Promise<Uint8Array>,
  options: EpubOptions,
): Promise<Omit<EpubReport, 'sources'>> {
  const wanted = book.metadata.accessibility.conformance;
  const mode = options.ace ?? 'auto';
  if (mode === 'never' || (mode === 'auto' && !wanted)) return { bytes: await assemble(), blockers: [] };

  const blockers = conformanceBlockers(book, facts);
  const certifiedBy = book.metadata.accessibility.certifiedBy;
  if (wanted && blockers.length === 0 && certifiedBy) {
    const conformance: Conformance = { certifiedBy, checkedWith: `DAISY Ace ${aceVersion() ?? ''}`.trim() };
    const claimed = await assemble(conformance);
    const ace = await runAce(claimed, options.env);
    if (ace.skipped === undefined && ace.violations.length === 0) return { bytes: claimed, ace, conformance, blockers };
    const why = ace.skipped !== undefined ? `DAISY Ace could not run (${ace.skipped})` : aceSummary(ace);
    notClaimed(options, why);
    return { bytes: await assemble(), ace, blockers: [why] };
  }
  const bytes = await assemble();
  const ace = await runAce(bytes, options.env);
  const all = ace.skipped === undefined && ace.violations.length > 0 ? [...blockers, aceSummary(ace)] : blockers;
  if (wanted) notClaimed(options, ace.skipped !== undefined && all.length === 0 ? `DAISY Ace could not run (${ace.skipped})` : all.join('; '));
  return { bytes, ace, blockers: all };
}

/** What stands in the way of a conformance claim besides Ace's own verdict. */
export function conformanceBlockers(book: Book, facts: AccessibilityFacts): string[] {
  const out: string[] = [];
  const bare = facts.images - facts.imagesWithAlt;
  if (bare > 0) out.push(`${bare} of ${facts.images} image(s) have no text alternative`);
  if (!book.metadata.accessibility.certifiedBy) out.push('nobody certifies it (book.yaml has no accessibility.certified-by and no publisher)');
  return out;
}

function aceSummary(ace: AceResult): string {
  const rules = [...new Set(ace.violations.map((v) => v.rule))];
  return `DAISY Ace found ${ace.violations.length} violation(s) (${rules.slice(0, 4).join(', ')}${rules.length > 4 ? ', …' : ''})`;
}

function notClaimed(options: EpubOptions, why: string): void {
  options.warn?.(
    warning(
      'epub/a11y-not-claimed',
      `the EPUB does not claim ${CONFORMANCE}: ${why}`,
      undefined,
      '`colophon check` lists each problem; fix them, or remove accessibility.conformance from book.yaml.',
    ),
  );
}

/** The finished EPUB as bytes. */
export async function renderEpub(book: Book, options: EpubOptions = {}): Promise<Uint8Array> {
  return (await renderEpubReport(book, options)).bytes;
}

function withType(section: Element, epubType: string): Element {
  section.properties['epub:type'] = epubType;
  // EPUBCheck 4.2.6 knows DPUB-ARIA 1.0, which has no doc-titlepage role; epub:type says it instead.
  if (section.properties.role === 'doc-titlepage') delete section.properties.role;
  return section;
}

export const epub: OutputFormat = {
  name: 'epub',
  extension: 'epub',
  // With the PDF in the same build, its page map gives the print page markers and the page list.
  after: ['pdf'],
  async render(book, context) {
    const pages = context.results?.print?.pageMap;
    const report = await renderEpubReport(book, {
      warn: context.warn,
      ...(pages ? { pages } : {}),
      // Not context.browser: a catalogue lends it to other books' prints at the same time, and a
      // screenshot on one page while another page prints stalled for minutes (catalogue bench, -j 2).
      // A cover is drawn once per title (the disk cache keeps it), in the catalogue's drawing browser
      // or, in a single build, a browser of its own.
      ...(context.drawing ? { drawing: context.drawing } : {}),
      ...(context.cache === false ? { cache: false } : {}),
    });
    const claim = report.conformance ? `; claims ${CONFORMANCE} (${report.conformance.checkedWith}: 0 violations)` : '';
    context.log(`${book.chapters.length} chapter file(s)${claim}`);
    return report.bytes;
  },
};
