/**
 * The writing direction of a language, from ICU's data through Intl.Locale (`he`, `ar`, `fa`, `ur`,
 * `yi`… are right-to-left). A right-to-left book is right-to-left everywhere: `dir` on every document,
 * the EPUB spine's page progression, the print bound on the right.
 */
export type Direction = 'ltr' | 'rtl';

export function textDirection(language: string): Direction {
  const info = (new Intl.Locale(language) as Intl.Locale & { textInfo?: { direction?: string } }).textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}
