/**
 * The normalising pass: rewrites an EPUB archive so that the same book gives the same bytes on every
 * machine and every run. `mimetype` comes first and is stored (the OCF rule readers sniff), then
 * META-INF, the package document, and the rest in a fixed order; every entry has the same time, no
 * extra fields and no folder entries. Already-compressed media (images, woff2) are stored, not
 * deflated again.
 *
 * The archive is written by yazl, which deflates with Node's own zlib: JSZip's pure-JavaScript
 * deflate (pako, level 9) was 175 ms of a 1.7 s warm `build -t html,epub` of Pride and Prejudice.
 * JSZip still reads (the packager's in-memory archive, or bytes).
 */
import JSZip from 'jszip';
import { ZipFile } from 'yazl';

/**
 * Zip times are MS-DOS times and cannot go before 1980, while a book's own date (P&P: 1813) easily
 * does; the archive therefore carries one constant time and the book's date lives in the OPF.
 */
export const ZIP_TIME = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
/**
 * yazl turns a Date into MS-DOS fields with the local-time getters: this Date reads 1980-01-01 00:00
 * in every time zone, so the bytes do not depend on TZ (ZIP_TIME itself would be 1979 west of UTC).
 */
const DOS_EPOCH = new Date(1980, 0, 1, 0, 0, 0);

const STORED = /\.(?:png|jpe?g|gif|webp|woff2?|mp3|mp4|m4a)$/i;

function rank(name: string, order: Map<string, number>): [number, number, string] {
  if (name === 'mimetype') return [0, 0, name];
  if (name.startsWith('META-INF/')) return [1, 0, name];
  const i = order.get(name);
  return i === undefined ? [3, 0, name] : [2, i, name];
}

/**
 * @param order paths in the order they should appear after META-INF (package document, then the
 * manifest in order); anything else follows, sorted by name.
 */
export async function normaliseZip(source: JSZip | Uint8Array, order: string[] = []): Promise<Uint8Array> {
  const zip = source instanceof Uint8Array ? await JSZip.loadAsync(source) : source;
  const position = new Map(order.map((p, i) => [p, i]));
  const names = Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => f.name)
    .sort((a, b) => {
      const [ra, ia, na] = rank(a, position);
      const [rb, ib, nb] = rank(b, position);
      return ra - rb || ia - ib || (na < nb ? -1 : na > nb ? 1 : 0);
    });
  if (names[0] !== 'mimetype') throw new Error('normaliseZip: the archive has no mimetype entry');

  const out = new ZipFile();
  for (const name of names) {
    const data = Buffer.from(await (zip.file(name) as JSZip.JSZipObject).async('uint8array'));
    out.addBuffer(data, name, {
      mtime: DOS_EPOCH,
      mode: 0o100644,
      // 0 stores the entry (yazl refuses `compress` beside a level).
      compressionLevel: name === 'mimetype' || STORED.test(name) ? 0 : 9,
      // No Info-ZIP timestamp field: it would carry the time zone's offset, and mimetype must have no extra field.
      forceDosTimestamp: true,
    });
  }
  out.end();
  const chunks: Buffer[] = [];
  for await (const chunk of out.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
