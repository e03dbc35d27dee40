/**
 * The order in which the shipped families are tried for a character, per book language: the CSS
 * font stacks every output declares, and the same order the font selection simulates (coverage.ts),
 * so the subsets a book carries are the ones its pages really use.
 *
 * - Source Serif 4 first, Noto Serif for what it lacks; then symbols and emoji before the CJK faces,
 *   which also hold ★ ① and box drawing, but full-width; Fira Code's box drawing before them too.
 * - A Chinese, Japanese or Korean book puts its own CJK face first: Han characters take that
 *   language's forms (one code point, different shapes), and punctuation such as “ ” is set
 *   full-width, as those books set it. Elsewhere Simplified Chinese, then Japanese, then Korean.
 * - STIX Two Math last before CJK, for arrows (→ ⇒) no text face has.
 */
const SCRIPTS = ['Noto Serif Hebrew', 'Noto Naskh Arabic', 'Noto Serif Devanagari', 'Noto Serif Bengali', 'Noto Serif Thai'];
const CJK: Record<string, string> = { zh: 'Noto Serif SC', ja: 'Noto Serif JP', ko: 'Noto Serif KR' };
const CJK_ORDER = ['Noto Serif SC', 'Noto Serif JP', 'Noto Serif KR'];

export function textStack(language: string): string[] {
  const own = CJK[language.split('-')[0]?.toLowerCase() ?? ''];
  const latin = ['Source Serif 4', 'Noto Serif', 'Noto Sans Symbols 2', 'Noto Emoji', 'Fira Code', ...SCRIPTS, 'STIX Two Math'];
  return own ? [own, ...latin, ...CJK_ORDER.filter((f) => f !== own)] : [...latin, ...CJK_ORDER];
}

/** Code: JetBrains Mono, Fira Code's box drawing at the same advance, then the text stack. */
export function codeStack(language: string): string[] {
  return ['JetBrains Mono', 'Fira Code', ...textStack(language).filter((f) => f !== 'Fira Code')];
}

/** A CSS font-family value. */
export function familyList(families: string[], generic?: string): string {
  return [...families.map((f) => `'${f}'`), ...(generic ? [generic] : [])].join(', ');
}
