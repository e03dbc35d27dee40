/**
 * One PDF from the parts of a book printed part by part (print-parts.ts says why a long book is
 * printed so). Every part comes from the same loaded page with only its own range of page boxes
 * shown, so the parts share one DOM: structure elements, named destinations and links agree
 * between them, and joining them is copying, not reconciling.
 *
 * Written here because no library joins tagged PDFs: pdf-lib's `copyPages` and qpdf's `--pages`
 * copy pages but drop the structure tree, and the structure parents (the numbers that tie a page's
 * marked content and its link annotations to their structure elements) would collide between parts.
 * What is joined:
 * - pages, in order, with their resources, contents and annotations;
 * - the structure tree: each part's document element's children go under the first part's, and its
 *   parent tree entries are renumbered after the ones before it (pages' /StructParents and
 *   annotations' /StructParent with them);
 * - named destinations (a link in one part may point into another: Chromium keeps the link's name
 *   even when its target is not shown in that part, and the part that shows the target names it).
 * - font subset names: Skia tags each document's subsets AAAAAA+, BAAAAA+, … so two parts would
 *   bring different subsets of one font under one name, which the PDF specification forbids and
 *   which a RIP or viewer that caches fonts by name draws with the wrong glyphs; the later parts'
 *   subsets get tags no earlier font uses.
 * Everything else in the catalog (language, mark info) is the first part's; the outline, page
 * labels and metadata are written afterwards for the whole book (finish.ts).
 */
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, type PDFObject, PDFObjectCopier, PDFPage, type PDFPageLeaf, PDFRef } from 'pdf-lib';

const K = PDFName.of('K');
const S = PDFName.of('S');
const DESTS = PDFName.of('Dests');
const NUMS = PDFName.of('Nums');
const KIDS = PDFName.of('Kids');
const ANNOTS = PDFName.of('Annots');
const STRUCT_TREE_ROOT = PDFName.of('StructTreeRoot');
const PARENT_TREE = PDFName.of('ParentTree');
const PARENT_TREE_NEXT_KEY = PDFName.of('ParentTreeNextKey');
const STRUCT_PARENTS = PDFName.of('StructParents');
const STRUCT_PARENT = PDFName.of('StructParent');

/** Fastest: pdf-lib otherwise yields to the event loop every 100 objects, a third of its time here. */
const load = (bytes: Uint8Array) => PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });

export async function joinPrints(parts: Uint8Array[]): Promise<PDFDocument> {
  const [first, ...rest] = parts;
  if (!first) throw new Error('joinPrints: no parts');
  const out = await load(first);
  if (rest.length === 0) return out;
  const tree = structure(out);
  const outDests = out.catalog.lookupMaybe(DESTS, PDFDict) ?? registerDests(out);
  const tags = new SubsetTags();
  for (const page of out.getPages()) tags.note(out, page.node);
  for (const bytes of rest) {
    const part = await load(bytes);
    const copier = PDFObjectCopier.for(part.context, out.context);
    const partTree = structure(part);
    const offset = tree?.nextKey ?? 0;
    if (tree && partTree) {
      // The part's root and document element are the joined document's: what points up to them (the
      // document element's children, marked content right under it) must not copy them over again.
      // PDFObjectCopier keeps this map privately; seeding it is the only way to say "already copied".
      const seeded = (copier as unknown as { traversedObjects: Map<PDFObject, PDFObject> }).traversedObjects;
      seeded.set(partTree.rootRef, tree.rootRef);
      if (partTree.documentRef && tree.documentRef) seeded.set(partTree.documentRef, tree.documentRef);
    }
    for (const page of part.getPages()) {
      const ref = copier.copy(page.ref) as PDFRef;
      const leaf = out.context.lookup(ref) as PDFPageLeaf;
      if (tree) shiftStructParents(leaf, offset);
      tags.retag(out, leaf);
      out.addPage(PDFPage.of(leaf, ref, out));
    }
    if (tree && partTree) {
      for (const kid of partTree.kids.asArray()) tree.kids.push(copier.copy(kid));
      for (const [key, value] of partTree.parentTree) tree.parentTree.push([key + offset, copier.copy(value)]);
      tree.nextKey = offset + partTree.nextKey;
    }
    for (const [name, dest] of part.catalog.lookupMaybe(DESTS, PDFDict)?.entries() ?? []) {
      if (!outDests.has(name)) outDests.set(name, copier.copy(dest));
    }
  }
  if (tree) {
    const nums = tree.parentTree.flatMap(([key, value]) => [PDFNumber.of(key), value]);
    tree.root.set(PARENT_TREE, out.context.register(out.context.obj({ Nums: nums })));
    tree.root.set(PARENT_TREE_NEXT_KEY, PDFNumber.of(tree.nextKey));
  }
  return out;
}

function registerDests(doc: PDFDocument): PDFDict {
  const dests = doc.context.obj({});
  doc.catalog.set(DESTS, doc.context.register(dests));
  return dests;
}

interface Structure {
  root: PDFDict;
  rootRef: PDFRef;
  /** Chromium's single /Document element under the root, when there is one. */
  documentRef?: PDFRef;
  /** Where top-level elements go: the document element's /K, else the root's. */
  kids: PDFArray;
  parentTree: [number, PDFObject][];
  nextKey: number;
}

function structure(doc: PDFDocument): Structure | undefined {
  const rootRef = doc.catalog.get(STRUCT_TREE_ROOT);
  const root = doc.catalog.lookupMaybe(STRUCT_TREE_ROOT, PDFDict);
  if (!(rootRef instanceof PDFRef) || !root) return undefined;
  const top = root.get(K);
  const topDict = top instanceof PDFRef ? doc.context.lookup(top) : top;
  const isDocument = topDict instanceof PDFDict && topDict.lookupMaybe(S, PDFName)?.decodeText() === 'Document';
  const holder = isDocument ? topDict : root;
  const kids = asArray(doc, holder);
  const parentTree = numberTreeEntries(root.lookupMaybe(PARENT_TREE, PDFDict));
  const nextKey = root.lookupMaybe(PARENT_TREE_NEXT_KEY, PDFNumber)?.asNumber() ?? (parentTree.at(-1)?.[0] ?? -1) + 1;
  return { root, rootRef, ...(isDocument && top instanceof PDFRef ? { documentRef: top } : {}), kids, parentTree, nextKey };
}

/** The /K of `holder` as an array (a single kid becomes an array of one), set back on `holder`. */
function asArray(doc: PDFDocument, holder: PDFDict): PDFArray {
  const k = holder.get(K);
  const looked = k instanceof PDFRef ? doc.context.lookup(k) : k;
  if (looked instanceof PDFArray) return looked;
  const array = doc.context.obj(k === undefined ? [] : [k]);
  holder.set(K, array);
  return array;
}

/** Every key → value of a number tree, flat /Nums and /Kids alike, in key order. */
function numberTreeEntries(node: PDFDict | undefined): [number, PDFObject][] {
  const entries: [number, PDFObject][] = [];
  const collect = (at: PDFDict | undefined) => {
    const nums = at?.lookupMaybe(NUMS, PDFArray);
    for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
      const key = nums.lookupMaybe(i, PDFNumber);
      const value = nums.get(i + 1);
      if (key && value) entries.push([key.asNumber(), value]);
    }
    const kids = at?.lookupMaybe(KIDS, PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) collect(kids.lookupMaybe(i, PDFDict));
  };
  collect(node);
  return entries.sort((a, b) => a[0] - b[0]);
}

/** A copied page's structure parents (its own and its annotations') after the parts before it. */
function shiftStructParents(page: PDFPageLeaf, offset: number): void {
  const shift = (dict: PDFDict, key: PDFName) => {
    const n = dict.lookupMaybe(key, PDFNumber);
    if (n) dict.set(key, PDFNumber.of(n.asNumber() + offset));
  };
  shift(page, STRUCT_PARENTS);
  const annots = page.lookupMaybe(ANNOTS, PDFArray);
  for (let i = 0; annots && i < annots.size(); i++) {
    const annot = annots.lookupMaybe(i, PDFDict);
    if (annot) shift(annot, STRUCT_PARENT);
  }
}

const SUBSET = /^([A-Z]{6})\+(.*)$/;

/** Subset tags in use, and fresh ones for the fonts of later parts (each font dictionary once). */
class SubsetTags {
  private readonly used = new Set<string>();
  /** Names already given a new tag: a part's font is on many of its pages (the first part's are never retagged). */
  private readonly done = new Set<PDFDict>();
  private next = 0;

  /** Records the tags of a page's fonts (the first part's stay as Chromium wrote them). */
  note(doc: PDFDocument, page: PDFDict): void {
    for (const named of fontNameHolders(doc, page)) {
      const tag = SUBSET.exec(named.name.decodeText())?.[1];
      if (tag) this.used.add(tag);
    }
  }

  /** Gives a copied page's subsets tags no earlier font has (one new tag for all of a font's names). */
  retag(doc: PDFDocument, page: PDFDict): void {
    const tagOf = new Map<string, string>();
    for (const named of fontNameHolders(doc, page)) {
      if (this.done.has(named.dict)) continue;
      this.done.add(named.dict);
      const match = SUBSET.exec(named.name.decodeText());
      if (!match) continue;
      let tag = tagOf.get(named.font);
      if (!tag) {
        tag = this.fresh();
        tagOf.set(named.font, tag);
      }
      named.dict.set(named.key, PDFName.of(`${tag}+${match[2]}`));
    }
  }

  private fresh(): string {
    for (;;) {
      let n = this.next++;
      let tag = '';
      for (let i = 0; i < 6; i++) {
        tag = String.fromCharCode(65 + (n % 26)) + tag;
        n = Math.floor(n / 26);
      }
      if (!this.used.has(tag)) {
        this.used.add(tag);
        return tag;
      }
    }
  }
}

/**
 * Every dictionary on a page that names a font subset: the font's /BaseFont, its descendant
 * CIDFont's /BaseFont and their descriptors' /FontName. `font` tells which font dictionary of the
 * page they belong to, so that one font's names get one new tag.
 */
function fontNameHolders(doc: PDFDocument, page: PDFDict): { dict: PDFDict; key: PDFName; name: PDFName; font: string }[] {
  const out: { dict: PDFDict; key: PDFName; name: PDFName; font: string }[] = [];
  const fonts = page.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [, ref] of fonts?.entries() ?? []) {
    const font = doc.context.lookup(ref);
    if (!(font instanceof PDFDict)) continue;
    const id = ref.toString();
    const add = (dict: PDFDict | undefined, key: string) => {
      const name = dict?.lookupMaybe(PDFName.of(key), PDFName);
      if (dict && name) out.push({ dict, key: PDFName.of(key), name, font: id });
    };
    add(font, 'BaseFont');
    add(font.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict), 'FontName');
    const descendants = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray);
    for (let i = 0; descendants && i < descendants.size(); i++) {
      const cid = descendants.lookupMaybe(i, PDFDict);
      add(cid, 'BaseFont');
      add(cid?.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict), 'FontName');
    }
  }
  return out;
}
