/**
 * Finishing Chromium's PDF with pdf-lib: print boxes (bleed, crop marks), metadata (Info and XMP),
 * the outline and page labels, and a byte-identical result for the same manuscript. The page
 * content is never re-drawn: bleed enlarges each page's MediaBox around the unchanged trim area
 * (negative origin), so text, tags, links and destinations stay where Chromium put them.
 */
import { createHash } from 'node:crypto';
import {
  cmyk,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  PDFRef,
  PDFString,
  ReadingDirection,
} from 'pdf-lib';
import type { Book, TocEntry } from '../../model/book.ts';
import { creatorsLine, PRODUCER } from '../parts.ts';
import { pdfDestinationName } from './destinations.ts';

/** Space outside the bleed for crop marks: an offset from the bleed, then the mark itself. */
export const MARK_OFFSET_PT = 6;
export const MARK_LENGTH_PT = 15;

export interface FinishOptions {
  /** Contents entries (h1, h2) for the outline, each with a destination named by its id. */
  outline: TocEntry[];
  contentsId: string;
  contentsTitle: string;
  /** 0-based index of the first chapter page: roman page labels before it, arabic from it. */
  firstChapterPage: number;
}

export function slugMarginPt(book: Book): number {
  const { bleedPt, marks } = book.metadata.print;
  return bleedPt + (marks === 'crop' ? MARK_OFFSET_PT + MARK_LENGTH_PT : 0);
}

function box(x0: number, y0: number, x1: number, y1: number, doc: PDFDocument): PDFArray {
  return doc.context.obj([x0, y0, x1, y1].map((n) => Math.round(n * 1000) / 1000));
}

export function setPrintBoxes(doc: PDFDocument, book: Book): void {
  const { bleedPt, marks } = book.metadata.print;
  const slug = slugMarginPt(book);
  for (const page of doc.getPages()) {
    const { width, height } = page.getMediaBox();
    page.node.set(PDFName.of('MediaBox'), box(-slug, -slug, width + slug, height + slug, doc));
    page.node.delete(PDFName.of('CropBox'));
    page.node.set(PDFName.of('BleedBox'), box(-bleedPt, -bleedPt, width + bleedPt, height + bleedPt, doc));
    page.node.set(PDFName.of('TrimBox'), box(0, 0, width, height, doc));
    if (marks === 'crop') drawCropMarks(page, width, height, bleedPt);
  }
}

/** Eight hairlines in registration colour, outside the bleed so they never show on the trimmed page. */
function drawCropMarks(page: PDFPage, width: number, height: number, bleedPt: number): void {
  const start = bleedPt + MARK_OFFSET_PT;
  const end = start + MARK_LENGTH_PT;
  const line = (x0: number, y0: number, x1: number, y1: number) =>
    page.drawLine({ start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness: 0.25, color: cmyk(1, 1, 1, 1) });
  page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContent, [PDFName.of('Artifact')]));
  for (const x of [0, width]) {
    for (const y of [0, height]) {
      const sx = x === 0 ? -1 : 1;
      const sy = y === 0 ? -1 : 1;
      line(x + sx * start, y, x + sx * end, y);
      line(x, y + sy * start, x, y + sy * end);
    }
  }
  page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
}

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A UUID from a hash, so XMP ids are stable across builds of the same book. */
function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function xmpPacket(book: Book): string {
  const m = book.metadata;
  const date = m.modified.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const authors = m.creators.filter((c) => c.role === 'author').map((c) => c.name);
  const seq = (items: string[]) => `<rdf:Seq>${items.map((i) => `<rdf:li>${xml(i)}</rdf:li>`).join('')}</rdf:Seq>`;
  const bag = (items: string[]) => `<rdf:Bag>${items.map((i) => `<rdf:li>${xml(i)}</rdf:li>`).join('')}</rdf:Bag>`;
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xml(text)}</rdf:li></rdf:Alt>`;
  const id = `${m.identifier.kind}:${m.identifier.value}`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<dc:format>application/pdf</dc:format>
<dc:title>${alt(m.title)}</dc:title>
${authors.length > 0 ? `<dc:creator>${seq(authors)}</dc:creator>` : ''}
${m.description ? `<dc:description>${alt(m.description)}</dc:description>` : ''}
${m.subjects.length > 0 ? `<dc:subject>${bag(m.subjects)}</dc:subject>` : ''}
<dc:language>${bag([m.language])}</dc:language>
<dc:identifier>${xml(id)}</dc:identifier>
${m.publisher ? `<dc:publisher>${bag([m.publisher])}</dc:publisher>` : ''}
${m.rights ? `<dc:rights>${alt(m.rights)}</dc:rights>` : ''}
<pdf:Producer>${xml(PRODUCER)}</pdf:Producer>
${m.subjects.length > 0 ? `<pdf:Keywords>${xml(m.subjects.join(', '))}</pdf:Keywords>` : ''}
<xmp:CreatorTool>${xml(PRODUCER)}</xmp:CreatorTool>
<xmp:CreateDate>${date}</xmp:CreateDate>
<xmp:ModifyDate>${date}</xmp:ModifyDate>
<xmp:MetadataDate>${date}</xmp:MetadataDate>
<xmpMM:DocumentID>${stableUuid(id)}</xmpMM:DocumentID>
<xmpMM:InstanceID>${stableUuid(id, m.edition?.version ?? '', date)}</xmpMM:InstanceID>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>`;
}

export function setMetadata(doc: PDFDocument, book: Book): void {
  const m = book.metadata;
  doc.setTitle(m.subtitle ? `${m.title}: ${m.subtitle}` : m.title, { showInWindowTitleBar: true });
  const author = creatorsLine(book);
  if (author) doc.setAuthor(author);
  if (m.description) doc.setSubject(m.description);
  if (m.subjects.length > 0) doc.setKeywords(m.subjects);
  doc.setLanguage(m.language);
  // Viewers show a right-to-left book's spreads with the first page on the right.
  if (m.direction === 'rtl') doc.catalog.getOrCreateViewerPreferences().setReadingDirection(ReadingDirection.R2L);
  doc.setCreator(PRODUCER);
  doc.setProducer(`${PRODUCER} (Chromium, pdf-lib)`);
  doc.setCreationDate(m.modified);
  doc.setModificationDate(m.modified);
  const stream = doc.context.stream(Buffer.from(xmpPacket(book), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}

/** Bookmarks from the contents entries, nested h1 → h2, pointing at the same named destinations as the links. */
export function setOutline(doc: PDFDocument, options: FinishOptions): void {
  const ctx = doc.context;
  const rootRef = ctx.nextRef();
  type Node = { title: string; dest: string; children: Node[] };
  const tree: Node[] = [{ title: options.contentsTitle, dest: options.contentsId, children: [] }];
  const build = (entries: TocEntry[]): Node[] =>
    entries.map((e) => ({ title: e.title, dest: e.id, children: build(e.children.filter((c) => options.outline.includes(c))) }));
  tree.push(...build(options.outline.filter((e) => e.depth === 1)));
  const add = (nodes: Node[], parent: PDFRef): { first?: PDFRef; last?: PDFRef; count: number } => {
    const refs = nodes.map(() => ctx.nextRef());
    let count = 0;
    nodes.forEach((node, i) => {
      const dict = ctx.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(node.title));
      dict.set(PDFName.of('Parent'), parent);
      // The name Chromium gave the destination, which differs from the id outside ASCII.
      dict.set(PDFName.of('Dest'), PDFName.of(pdfDestinationName(node.dest)));
      const prev = refs[i - 1];
      const next = refs[i + 1];
      if (prev) dict.set(PDFName.of('Prev'), prev);
      if (next) dict.set(PDFName.of('Next'), next);
      const self = refs[i] as PDFRef;
      const kids = add(node.children, self);
      if (kids.first && kids.last) {
        dict.set(PDFName.of('First'), kids.first);
        dict.set(PDFName.of('Last'), kids.last);
        // Negative: chapters start closed, so a long book's outline stays readable.
        dict.set(PDFName.of('Count'), PDFNumber.of(-kids.count));
      }
      ctx.assign(self, dict);
      count += 1;
    });
    return { ...(refs[0] ? { first: refs[0] } : {}), ...(refs.at(-1) ? { last: refs.at(-1) as PDFRef } : {}), count };
  };
  const top = add(tree, rootRef);
  const root = ctx.obj({ Type: 'Outlines' }) as PDFDict;
  if (top.first && top.last) {
    root.set(PDFName.of('First'), top.first);
    root.set(PDFName.of('Last'), top.last);
    root.set(PDFName.of('Count'), PDFNumber.of(top.count));
  }
  ctx.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** Page labels, so a viewer's page box shows the printed folio (iv, 12), not the sheet count. */
export function setPageLabels(doc: PDFDocument, firstChapterPage: number): void {
  const nums: (number | PDFDict)[] = [0, doc.context.obj({ S: 'r' }) as PDFDict];
  if (firstChapterPage > 0 && firstChapterPage < doc.getPageCount()) nums.push(firstChapterPage, doc.context.obj({ S: 'D', St: 1 }) as PDFDict);
  doc.catalog.set(PDFName.of('PageLabels'), doc.context.obj({ Nums: nums }));
}

/**
 * Chromium names tagged elements after renderer DOM node ids (`node00000168`), which differ from one
 * browser start to the next. Renames them in structure-tree order and rebuilds the /IDTree, so the
 * same book gives the same bytes.
 */
export function normaliseStructureIds(doc: PDFDocument): void {
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (!root) return;
  const ctx = doc.context;
  const renamed: [string, PDFRef | PDFDict][] = [];
  const newId = new Map<string, string>();
  const elements: PDFDict[] = [];
  const seen = new Set<PDFDict>();
  const visit = (value: unknown, ref?: PDFRef) => {
    const node = value instanceof PDFRef ? ctx.lookup(value) : value;
    if (node instanceof PDFArray) {
      for (let i = 0; i < node.size(); i++) {
        const item = node.get(i);
        visit(item, item instanceof PDFRef ? item : undefined);
      }
      return;
    }
    if (!(node instanceof PDFDict) || seen.has(node)) return;
    seen.add(node);
    elements.push(node);
    const old = node.get(PDFName.of('ID'));
    if (old instanceof PDFString || old instanceof PDFHexString) {
      const id = `e${String(renamed.length + 1).padStart(6, '0')}`;
      newId.set(old.decodeText(), id);
      node.set(PDFName.of('ID'), PDFString.of(id));
      renamed.push([id, ref ?? node]);
    }
    const kids = node.get(PDFName.of('K'));
    if (kids) visit(kids, kids instanceof PDFRef ? kids : undefined);
  };
  visit(root.get(PDFName.of('K')));
  // Table cells name their header cells by ID (/A << /O /Table /Headers [(node…)] >>): follow the renames.
  for (const element of elements) {
    const attributes = element.get(PDFName.of('A'));
    const list = attributes instanceof PDFArray ? attributes.asArray() : attributes ? [attributes] : [];
    for (const item of list) {
      const dict = item instanceof PDFRef ? ctx.lookup(item) : item;
      if (!(dict instanceof PDFDict)) continue;
      const headers = dict.get(PDFName.of('Headers'));
      if (!(headers instanceof PDFArray)) continue;
      const mapped = headers.asArray().map((h) => {
        const text = h instanceof PDFString || h instanceof PDFHexString ? h.decodeText() : undefined;
        return text !== undefined && newId.has(text) ? PDFString.of(newId.get(text) as string) : h;
      });
      dict.set(PDFName.of('Headers'), ctx.obj(mapped));
    }
  }
  const oldTree = root.get(PDFName.of('IDTree'));
  if (oldTree) {
    // The old name tree (and its kids) would stay in the file as orphans holding the run's node ids.
    const drop = (value: unknown) => {
      if (!(value instanceof PDFRef)) return;
      const node = ctx.lookup(value);
      ctx.delete(value);
      const kids = node instanceof PDFDict ? node.get(PDFName.of('Kids')) : undefined;
      const list = kids instanceof PDFRef ? ctx.lookup(kids) : kids;
      if (kids instanceof PDFRef) ctx.delete(kids);
      if (list instanceof PDFArray) for (const kid of list.asArray()) drop(kid);
    };
    drop(oldTree);
    const names: (PDFString | PDFRef | PDFDict)[] = renamed.flatMap(([id, target]) => [PDFString.of(id), target]);
    root.set(PDFName.of('IDTree'), ctx.register(ctx.obj({ Names: ctx.obj(names) })));
  }
}

const ZERO_ID = '0'.repeat(32);

/**
 * Saves with a file identifier derived from the content: written as zeros, hashed, then replaced in
 * place (same length), so the /ID is stable for the same book and differs for different ones.
 */
export async function saveDeterministic(doc: PDFDocument): Promise<Uint8Array> {
  const placeholder = PDFHexString.of(ZERO_ID);
  doc.context.trailerInfo.ID = doc.context.obj([placeholder, placeholder]);
  // objectsPerTick: pdf-lib otherwise yields to the event loop every 50 objects, most of its save time.
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY });
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32).toUpperCase();
  const out = Buffer.from(bytes);
  const marker = Buffer.from(`<${ZERO_ID}>`, 'latin1');
  const at = out.lastIndexOf(marker);
  const second = out.lastIndexOf(marker, at - 1);
  for (const pos of [at, second]) if (pos >= 0) out.write(`<${id}>`, pos, 'latin1');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
