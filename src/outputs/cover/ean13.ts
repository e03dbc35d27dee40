/**
 * EAN-13, the barcode of an ISBN on a book's back cover (GS1 General Specifications, 5.2.1): a start
 * guard, six digits in L or G code chosen by the first digit, a centre guard, six digits in R code,
 * an end guard, 95 modules in all. bwip-js and JsBarcode draw it too, but as SVG or canvas; a cover
 * drawn with pdf-lib needs only the module pattern, which is a table lookup, so it is computed here.
 */

const L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const G = L.map((code) =>
  [...code]
    .reverse()
    .map((b) => (b === '1' ? '0' : '1'))
    .join(''),
);
const R = L.map((code) => [...code].map((b) => (b === '1' ? '0' : '1')).join(''));
/** The first digit is not drawn: it picks L or G for each digit of the left half. */
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

/** The check digit of the first 12 digits (weights 1, 3, 1, 3, …). */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** "1" for a dark module, "0" for a light one: 95 characters. Throws unless 13 digits with a right check digit. */
export function ean13Modules(digits: string): string {
  if (!/^\d{13}$/.test(digits)) throw new Error(`an EAN-13 needs 13 digits, got "${digits}"`);
  if (ean13CheckDigit(digits) !== Number(digits[12])) throw new Error(`${digits} has a wrong check digit (should end in ${ean13CheckDigit(digits)})`);
  const parity = PARITY[Number(digits[0])] as string;
  let out = '101';
  for (let i = 1; i <= 6; i++) out += (parity[i - 1] === 'L' ? L : G)[Number(digits[i])];
  out += '01010';
  for (let i = 7; i <= 12; i++) out += R[Number(digits[i])];
  return `${out}101`;
}

/** Reads the 95 modules back into the 13 digits, as a scanner would; undefined if they are no EAN-13. */
export function decodeEan13(modules: string): string | undefined {
  if (modules.length !== 95 || !modules.startsWith('101') || !modules.endsWith('101') || modules.slice(45, 50) !== '01010') return undefined;
  let parity = '';
  let digits = '';
  for (let i = 0; i < 6; i++) {
    const code = modules.slice(3 + 7 * i, 10 + 7 * i);
    const l = L.indexOf(code);
    const g = G.indexOf(code);
    if (l < 0 && g < 0) return undefined;
    parity += l >= 0 ? 'L' : 'G';
    digits += String(l >= 0 ? l : g);
  }
  for (let i = 0; i < 6; i++) {
    const r = R.indexOf(modules.slice(50 + 7 * i, 57 + 7 * i));
    if (r < 0) return undefined;
    digits += String(r);
  }
  const first = PARITY.indexOf(parity);
  if (first < 0) return undefined;
  const all = `${first}${digits}`;
  return ean13CheckDigit(all) === Number(all[12]) ? all : undefined;
}

/** Dark bars as [first module, width in modules], for drawing. */
export function bars(modules: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < modules.length; i++) {
    if (modules[i] !== '1') continue;
    const start = i;
    while (modules[i + 1] === '1') i++;
    out.push([start, i - start + 1]);
  }
  return out;
}
