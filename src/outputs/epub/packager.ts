/**
 * epub-gen-memory, kept for what it does well and fenced off from what it gets wrong.
 *
 * It lays out the container (mimetype stored first, META-INF/container.xml, the OEBPS folder) and
 * renders its four templates (`contentOPF`, `tocNCX`, `tocXHTML`, `chapterXHTML`, undocumented options
 * read from its source). Everything it would decide by itself is decided here instead:
 * - content: each chapter is handed over with empty `content` and its finished XHTML in an extra
 *   field that our `chapterXHTML` template prints verbatim. Its HTML clean-up would otherwise strip
 *   epub:type, role, aria-*, MathML and SVG attributes and rename images at random.
 * - templates: the package document, NCX and nav are Colophon's (opf.ts, nav.ts), passed in as data.
 * - resources: it fetches images, fonts and the cover by URL (node-fetch; a dead host hangs for a
 *   minute, a failed read becomes an empty file with a warning). It is given no URL at all, and the
 *   three download steps are overridden to place bytes Colophon has already read.
 * - randomness and time: its uuid is replaced by the book's identifier; zip entry times and order are
 *   fixed afterwards by normalise-zip.ts.
 */
import { EPub } from 'epub-gen-memory';
import type JSZip from 'jszip';
import type { Resource } from './resources.ts';

export interface PackedDocument {
  /** File name inside OEBPS/, no folders (epub-gen-memory's rule for chapters). */
  fileName: string;
  title: string;
  xhtml: string;
}

export interface PackInput {
  title: string;
  language: string;
  identifier: string;
  css: string;
  opf: string;
  ncx: string;
  nav: string;
  documents: PackedDocument[];
  resources: Resource[];
}

/** EJS that prints a field of our own verbatim (`<%-` does not escape). */
const VERBATIM = (field: string) => `<%- ${field} %>`;

class ColophonEPub extends EPub {
  readonly #resources: Resource[];

  constructor(input: PackInput) {
    super(
      {
        title: input.title,
        lang: input.language,
        css: input.css,
        // epub-gen-memory passes unknown option fields through to its templates.
        contentOPF: VERBATIM('colophonOpf'),
        tocNCX: VERBATIM('colophonNcx'),
        tocXHTML: VERBATIM('colophonNav'),
        chapterXHTML: VERBATIM('colophonXhtml'),
        fonts: [],
        verbose: false,
        ignoreFailedDownloads: false,
        colophonOpf: input.opf,
        colophonNcx: input.ncx,
        colophonNav: input.nav,
      } as ConstructorParameters<typeof EPub>[0],
      input.documents.map((d) => ({ title: d.title, filename: d.fileName, content: '', colophonXhtml: d.xhtml })),
    );
    this.uuid = input.identifier;
    this.#resources = input.resources;
    // Its own clean-up found no images in the empty contents; make sure nothing is left to fetch.
    this.images = [];
  }

  protected override async downloadAllFonts(): Promise<void> {
    const oebps = this.zip.folder('OEBPS') as JSZip;
    for (const r of this.#resources) oebps.file(r.href, r.data);
  }

  protected override async downloadAllImages(): Promise<void> {
    // Images were placed with the fonts, from memory, under their stable names.
  }

  protected override async makeCover(): Promise<void> {
    // The cover image is one of the resources; the cover page is one of the documents.
  }

  /** The archive as epub-gen-memory built it, before normalisation. */
  archive(): JSZip {
    return this.zip as unknown as JSZip;
  }
}

/** Lets epub-gen-memory assemble the container; returns its in-memory zip for normalise-zip.ts. */
export async function pack(input: PackInput): Promise<JSZip> {
  const epub = new ColophonEPub(input);
  await epub.render();
  return epub.archive();
}
