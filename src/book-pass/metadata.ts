/** Book metadata from the validated config: identifier, dates and print settings resolved once. */

import { createHash } from 'node:crypto';
import { textDirection } from '../config/direction.ts';
import { PAGE_THICKNESS_IN } from '../config/paper.ts';
import { type BookConfig, normaliseCreators } from '../config/schema.ts';
import { ColophonError, error } from '../diagnostics.ts';
import type { BookIdentifier, BookMetadata } from '../model/book.ts';
import { smartenText } from '../pipeline/smart-text.ts';
import { deriveFileAs } from './sort-name.ts';

// Fixed namespace for name-based (v5) UUIDs of Colophon books; never change it, or every book's id changes.
const COLOPHON_NAMESPACE = '6f1c9a52-3b0e-4c1d-9a57-0c0b0a7e6b11';

/** RFC 4122 version-5 UUID: the same metadata always gives the same identifier. */
export function uuidV5(name: string, namespace = COLOPHON_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function identifierFor(config: BookConfig): BookIdentifier {
  if (config.identifier) return config.identifier;
  const creators = normaliseCreators(config.author).map((c) => c.name);
  const key = JSON.stringify([
    config.title,
    config.subtitle ?? '',
    creators,
    config.language,
    config.date ?? '',
    config.publisher ?? '',
    config.edition?.version ?? '',
  ]);
  return { kind: 'uuid', value: uuidV5(key) };
}

function toInstant(date: string): Date {
  const full = date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
  // A bare date is midnight UTC, not local midnight: the same instant on every machine.
  return new Date(full.length === 10 ? `${full}T00:00:00Z` : full);
}

/**
 * The build's timestamp, per reproducible-builds.org: SOURCE_DATE_EPOCH when set, then the edition
 * date, then the Unix epoch. Never the clock, and never `date`: that is when the work was first
 * published (a classic's `Year: 1813`), not when this file was made, and an EPUB's dcterms:modified
 * or a PDF's CreationDate of 1813 tells stores and readers something false. The epoch is the
 * reproducible-builds "no date given" value; `check` warns when a book falls back to it.
 */
export function buildInstant(config: BookConfig, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new ColophonError(
        error(
          'env/source-date-epoch',
          `SOURCE_DATE_EPOCH="${epoch}" is not a whole number of seconds`,
          undefined,
          'Set it to a Unix timestamp such as 1287878400, or unset it.',
        ),
        2,
      );
    }
    return new Date(Number(epoch) * 1000);
  }
  const date = config.edition?.date;
  return date ? toInstant(date) : new Date(0);
}

export function metadataFromConfig(config: BookConfig, env: NodeJS.ProcessEnv = process.env): BookMetadata {
  const smart = (text: string) => smartenText(text, config.language, { frenchSpacing: config['french-spacing'] });
  const language = Intl.getCanonicalLocales(config.language)[0] as string;
  return {
    title: smart(config.title),
    ...(config.subtitle ? { subtitle: smart(config.subtitle) } : {}),
    creators: normaliseCreators(config.author).map((c) => {
      const fileAs = c.fileAs ?? deriveFileAs(c.name, language);
      return { ...c, name: smart(c.name), ...(fileAs ? { fileAs } : {}) };
    }),
    language,
    direction: textDirection(language),
    ...(config.date ? { date: config.date } : {}),
    ...(config.publisher ? { publisher: smart(config.publisher) } : {}),
    ...(config.rights ? { rights: smart(config.rights) } : {}),
    identifier: identifierFor(config),
    ...(config.description ? { description: smart(config.description) } : {}),
    subjects: config.subjects === undefined ? [] : Array.isArray(config.subjects) ? config.subjects : [config.subjects],
    ...(config.source ? { source: config.source } : {}),
    ...(config.edition ? { edition: { version: config.edition.version, ...(config.edition.date ? { date: config.edition.date } : {}) } } : {}),
    modified: buildInstant(config, env),
    hyphenate: config.hyphenate,
    accessibility: {
      conformance: config.accessibility?.conformance ?? false,
      ...((config.accessibility?.['certified-by'] ?? config.publisher)
        ? { certifiedBy: smart(config.accessibility?.['certified-by'] ?? config.publisher ?? '') }
        : {}),
    },
    print: {
      trim: config.print.trim,
      bleedPt: config.print.bleed,
      marks: config.print.marks,
      notes: config.print.notes,
      color: config.print.color,
      ...(config.print.pdfx ? { pdfx: config.print.pdfx } : {}),
      paper: config.print.paper,
      pagePt: config.print['spine-per-page'] ?? PAGE_THICKNESS_IN[config.print.paper] * 72,
      signature: config.print.signature,
      chapterStart: config.print['chapter-start'],
      runningHead: config.print['running-head'],
      float: config.print.float,
    },
  };
}
