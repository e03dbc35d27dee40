/**
 * No-break spaces by language, on text only (never code): French sets a narrow no-break space
 * (U+202F) inside « » and before ; : ! ?, and no language breaks a line between a number and its
 * unit (12 km, 5 %). Only spaces are changed or, inside guillemets, added: no other character of
 * the manuscript moves. Hand-written, because typograf and richtypo rewrite whole strings or HTML,
 * while these rules must see a paragraph's text across emphasis and links and skip its code.
 */
import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { eachTextRun, rewriteRun } from './text-runs.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const SPACE = /[ \u00a0]/;

/** French spacing of one text node, knowing the text around it in its paragraph. */
export function frenchSpaces(value: string, before = '', after = ''): string {
  let out = '';
  const chars = [...value];
  chars.forEach((ch, i) => {
    const prev = i > 0 ? (chars[i - 1] as string) : before.slice(-1);
    const next = i + 1 < chars.length ? (chars[i + 1] as string) : after.slice(0, 1);
    if (SPACE.test(ch) && (next === '»' || next === ';' || next === ':' || next === '!' || next === '?')) {
      out += NNBSP;
    } else if (SPACE.test(ch) && prev === '«') {
      out += NNBSP;
    } else if (ch === '»' && prev !== '' && !/\s/.test(prev) && prev !== NNBSP) {
      out += NNBSP + ch;
    } else if (ch === '«' && next !== '' && !/\s/.test(next) && next !== NNBSP) {
      out += ch + NNBSP;
    } else {
      out += ch;
    }
  });
  return out;
}

const UNIT = String.raw`(?:km\/h|km²|m²|m³|cm²|km|cm|mm|µm|nm|m|kg|mg|g|t|ml|mL|cl|cL|dl|l|L|ms|µs|ns|min|h|s|kHz|MHz|GHz|Hz|kW|W|mV|kV|V|mA|A|°C|°F|K|Ko|Mo|Go|To|kB|KB|MB|GB|TB|ha|px|pt|%|‰|€|£|¥|\$)`;
const NUMBER_UNIT = new RegExp(String.raw`(\d) (${UNIT})(?![\p{L}\p{N}])`, 'gu');

/** A no-break space between a number and its unit (narrow before % and ‰ in French, as CLDR writes them). */
export function bindUnits(value: string, french: boolean): string {
  return value.replace(NUMBER_UNIT, (_m, digit: string, unit: string) => `${digit}${french && (unit === '%' || unit === '‰') ? NNBSP : NBSP}${unit}`);
}

export interface SpacingOptions {
  /** French spacing (book language fr, and `french-spacing` not false). */
  french: boolean;
}

export const remarkSpacing: Plugin<[SpacingOptions], Root> = (options) => (tree) => {
  eachTextRun(tree, (run) => {
    rewriteRun(run, (value, before, after) => {
      const spaced = options.french ? frenchSpaces(value, before, after) : value;
      return bindUnits(spaced, options.french);
    });
  });
};
