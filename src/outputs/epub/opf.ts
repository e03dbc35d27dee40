/**
 * The package document (content.opf): metadata, manifest and spine. Written by Colophon rather than by
 * epub-gen-memory's template, which stamps a random identifier and the current time, writes an empty
 * dc:description, joins all authors into one creator and puts the TOC page first in the spine.
 */
import type { Element } from 'xast';
import { x } from 'xastscript';
import type { BookIdentifier, BookMetadata } from '../../model/book.ts';
import { PRODUCER } from '../parts.ts';
import type { AccessibilityMetadata } from './accessibility.ts';
import { indentXml, xmlDocument } from './xml.ts';

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties: string[];
}

export interface SpineItem {
  idref: string;
  linear: boolean;
}

export interface PackageInput {
  metadata: BookMetadata;
  manifest: ManifestItem[];
  spine: SpineItem[];
  accessibility: AccessibilityMetadata;
  /** Manifest id of the cover image, for EPUB 2 readers' `<meta name="cover">`. */
  coverImageId?: string;
  /** The cover image was drawn by Colophon from the metadata (no `cover` in book.yaml). */
  generatedCover?: boolean;
  /** Identifier of the print edition whose page numbers the EPUB marks. */
  pageBreakSource?: string;
}

/** The unique identifier as a URI: `urn:isbn:…`, the book's URI, or `urn:uuid:…` (deterministic, from the model). */
export function identifierUri(id: BookIdentifier): string {
  if (id.kind === 'isbn') return `urn:isbn:${id.value}`;
  if (id.kind === 'uuid') return `urn:uuid:${id.value}`;
  return id.value;
}

/**
 * The identifier's scheme as ONIX code list 5, which EPUB 3 names for `identifier-type` and stores
 * read: 15 ISBN-13, 06 DOI, 22 any other URN (our derived `urn:uuid:`), 01 proprietary for any
 * other URI. calibre reads the scheme from the value's own prefix instead (`urn:isbn:` → isbn).
 */
export function identifierType(id: BookIdentifier): string {
  if (id.kind === 'isbn') return '15';
  if (id.kind === 'uuid') return '22';
  if (/^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)/i.test(id.value)) return '06';
  return /^urn:/i.test(id.value) ? '22' : '01';
}

/** MARC relator codes (https://id.loc.gov/vocabulary/relators): `aui` covers forewords and introductions. */
export const MARC_RELATOR: Record<string, string> = {
  author: 'aut',
  editor: 'edt',
  translator: 'trl',
  illustrator: 'ill',
  contributor: 'ctb',
  foreword: 'aui',
  introduction: 'aui',
};

/** `YYYY-MM-DDThh:mm:ssZ`, the only form EPUB allows for dcterms:modified. */
export function modifiedStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function packageDocument(input: PackageInput): string {
  const m = input.metadata;
  const meta = (property: string, value: string, attrs: Record<string, string> = {}) => x('meta', { property, ...attrs }, value);
  const children: Element[] = [x('dc:identifier', { id: 'pub-id' }, identifierUri(m.identifier))];
  children.push(meta('identifier-type', identifierType(m.identifier), { refines: '#pub-id', scheme: 'onix:codelist5' }));
  children.push(x('dc:title', { id: 'title' }, m.title), meta('title-type', 'main', { refines: '#title' }));
  if (m.subtitle) children.push(x('dc:title', { id: 'subtitle' }, m.subtitle), meta('title-type', 'subtitle', { refines: '#subtitle' }));

  m.creators.forEach((c, i) => {
    const id = `creator-${i + 1}`;
    // Authors are creators; editors, translators and the rest contribute (Dublin Core's distinction).
    children.push(x(c.role === 'author' ? 'dc:creator' : 'dc:contributor', { id }, c.name));
    children.push(meta('role', MARC_RELATOR[c.role] ?? 'ctb', { refines: `#${id}`, scheme: 'marc:relators' }));
    if (c.fileAs) children.push(meta('file-as', c.fileAs, { refines: `#${id}` }));
    children.push(meta('display-seq', String(i + 1), { refines: `#${id}` }));
  });

  children.push(x('dc:language', m.language));
  if (m.date) children.push(x('dc:date', m.date));
  if (m.publisher) children.push(x('dc:publisher', m.publisher));
  if (m.rights) children.push(x('dc:rights', m.rights));
  // An empty dc:description is an EPUBCheck error: omit it when there is nothing to say.
  if (m.description?.trim()) children.push(x('dc:description', m.description.trim()));
  for (const subject of m.subjects) children.push(x('dc:subject', subject));
  if (m.source) children.push(x('dc:source', m.source));
  // The edition the page markers come from: the print edition Colophon paginated, whose identifier
  // is the book's (EPUB 3.2's dc:source refined by source-of "pagination"; the newer pageBreakSource
  // property is not yet known to EPUBCheck 4.2.6, which reports it as undefined).
  if (input.pageBreakSource) {
    children.push(x('dc:source', { id: 'page-source' }, input.pageBreakSource));
    children.push(meta('source-of', 'pagination', { refines: '#page-source' }));
  }
  children.push(meta('dcterms:modified', modifiedStamp(m.modified)));

  const a11y = input.accessibility;
  for (const v of a11y.accessMode) children.push(meta('schema:accessMode', v));
  for (const v of a11y.accessModeSufficient) children.push(meta('schema:accessModeSufficient', v));
  for (const v of a11y.accessibilityFeature) children.push(meta('schema:accessibilityFeature', v));
  for (const v of a11y.accessibilityHazard) children.push(meta('schema:accessibilityHazard', v));
  children.push(meta('schema:accessibilitySummary', a11y.accessibilitySummary));
  if (a11y.conformsTo) children.push(meta('dcterms:conformsTo', a11y.conformsTo));
  if (a11y.certifiedBy) children.push(meta('a11y:certifiedBy', a11y.certifiedBy));

  // EPUB 2 reading systems find the cover through this; EPUB 3 ones through properties="cover-image".
  if (input.coverImageId) children.push(x('meta', { name: 'cover', content: input.coverImageId }));
  // Says that the cover is not the publisher's artwork, in the package itself (a refinement of the
  // manifest item), so a store or an editor can tell and replace it.
  if (input.coverImageId && input.generatedCover) {
    children.push(
      meta('dcterms:description', `Typographic cover generated by ${PRODUCER} from the book's metadata (book.yaml names no cover image).`, {
        refines: `#${input.coverImageId}`,
      }),
    );
  }
  children.push(x('meta', { name: 'generator', content: PRODUCER }));
  // Apple Books shows embedded fonts only when the book asks for them; readers can still choose others.
  children.push(meta('ibooks:specified-fonts', 'true'));

  const pkg = x(
    'package',
    {
      xmlns: 'http://www.idpf.org/2007/opf',
      version: '3.0',
      'unique-identifier': 'pub-id',
      'xml:lang': m.language,
      prefix: 'ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/',
    },
    [
      x('metadata', { 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' }, children),
      x(
        'manifest',
        input.manifest.map((item) =>
          x('item', {
            id: item.id,
            href: item.href,
            'media-type': item.mediaType,
            ...(item.properties.length > 0 ? { properties: item.properties.join(' ') } : {}),
          }),
        ),
      ),
      x(
        'spine',
        // A right-to-left book turns its pages to the left: readers open it from the right.
        { toc: 'ncx', ...(m.direction === 'rtl' ? { 'page-progression-direction': 'rtl' } : {}) },
        input.spine.map((s) => x('itemref', { idref: s.idref, ...(s.linear ? {} : { linear: 'no' }) })),
      ),
    ],
  );
  return xmlDocument(indentXml(pkg));
}
