/**
 * The book pass's side of the furniture labels (config/labels.ts): the warning for labels the book's
 * language has no words for, and the furniture's own characters, which need fonts like the text's
 * (目次 in a Japanese book, dates written by Intl in Arabic digits).
 */
import { formatDate, joinNames, type LabelKey, type Labels } from '../config/labels.ts';
import { type Diagnostic, type SourceLocation, warning } from '../diagnostics.ts';
import type { BookMetadata } from '../model/book.ts';

export function missingLabelsWarning(language: string, missing: LabelKey[], at: SourceLocation): Diagnostic {
  let name = language;
  try {
    name = new Intl.DisplayNames('en', { type: 'language' }).of(language) ?? language;
  } catch {}
  const example = missing.slice(0, 2).map((k) => `${k}: "…"`);
  return warning(
    'config/missing-labels',
    `Colophon has no ${name} (${language}) words for the label(s) ${missing.join(', ')}; English is used in the title, copyright and contents pages`,
    at,
    `Give them under \`labels:\` in book.yaml, e.g. labels: { ${example.join(', ')} } (README.md lists every label).`,
  );
}

/** Every character the furniture can show: the labels without their placeholders, dates, the word joining names. */
export function furnitureText(metadata: BookMetadata, labels: Labels): string {
  const dates = [metadata.date, metadata.edition?.date].flatMap((d) => (d ? [formatDate(d, metadata.language)] : []));
  const labelText = Object.values(labels).map((l) => l.replace(/\{[a-z]+\}/g, ''));
  return [...labelText, ...dates, joinNames(['', '', ''], metadata.language)].join(' ');
}
