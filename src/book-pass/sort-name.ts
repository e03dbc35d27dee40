/**
 * A creator's sort name (`file-as`) when book.yaml gives none: calibre and stores file a book
 * without one under "Unknown". Derived only where it cannot be wrong: a plain two-part name
 * ("Herman Melville" → "Melville, Herman"), or initials before a surname ("H. G. Wells" → "Wells,
 * H. G."), in a language whose names put the family name last. Anything else (particles such as
 * "van", three names, "Jr.", family-name-first languages) is left for the author to write.
 */

/** Languages whose personal names usually put the family name first. */
const FAMILY_FIRST = new Set(['hu', 'ja', 'ko', 'zh', 'vi', 'mn']);

/** A capitalised name of letters, with inner apostrophes or hyphens (O'Brien, Jean-Paul), in Latin, Greek or Cyrillic script. */
const NAME = /^\p{Lu}[\p{Ll}\p{M}]*(?:['’-]\p{L}[\p{Ll}\p{M}]*)*$/u;
const isName = (word: string) => word.length > 1 && NAME.test(word);
const INITIAL = /^\p{Lu}\.$/u;
const WESTERN_SCRIPT = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\s.'’-]+$/u;

export function deriveFileAs(name: string, language: string): string | undefined {
  if (FAMILY_FIRST.has(language.toLowerCase().split('-')[0] as string)) return undefined;
  if (!WESTERN_SCRIPT.test(name)) return undefined;
  const parts = name.trim().split(/\s+/);
  const surname = parts.at(-1) as string;
  const given = parts.slice(0, -1);
  if (!isName(surname)) return undefined;
  const plain = given.length === 1 && isName(given[0] as string);
  const initials = given.length >= 1 && given.every((g) => INITIAL.test(g));
  return plain || initials ? `${surname}, ${given.join(' ')}` : undefined;
}
