/**
 * A manuscript as one content-addressed archive, so that a worker on another machine builds exactly
 * the files a local build reads (edition/source.ts's list: the config or single file, chapters,
 * images, cover, styles) without a shared disk. The archive is a zip (jszip, already used for the
 * EPUB) holding the files plus `colophon-archive.json`, the listing of every path with its SHA-256.
 * Its address is the SHA-256 of that listing, not of the zip bytes: the same manuscript has the same
 * address whichever zlib packed it. Unpacking checks every path (relative, inside the folder) and
 * every file's hash, so a damaged or hostile archive is refused with a clear error.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { ColophonError, error } from '../diagnostics.ts';
import type { SourceFile } from '../edition/source.ts';

export const LISTING = 'colophon-archive.json';
const ZIP_TIME = new Date(Date.UTC(1980, 0, 1));

export interface Listing {
  version: 1;
  /** The manuscript inside the archive: `.` for a folder with book.yaml, else the single .md file. */
  entry: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export interface Packed {
  bytes: Uint8Array;
  /** SHA-256 of the listing: the archive's content address. */
  address: string;
  listing: Listing;
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function listingText(listing: Listing): string {
  return `${JSON.stringify(listing, null, 1)}\n`;
}

/** Packs `files` (relative to `root`, forward slashes); `entry` is what a build is given. */
export async function packManuscript(root: string, files: SourceFile[], entry: string): Promise<Packed> {
  const rels = [...new Set(files.map((f) => f.rel))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const zip = new JSZip();
  const listing: Listing = { version: 1, entry, files: [] };
  for (const rel of rels) {
    const data = fs.readFileSync(path.join(root, ...rel.split('/')));
    listing.files.push({ path: rel, sha256: sha256(data), bytes: data.byteLength });
    zip.file(rel, data, { date: ZIP_TIME, createFolders: false, binary: true, compression: 'DEFLATE' });
  }
  const text = listingText(listing);
  zip.file(LISTING, text, { date: ZIP_TIME, createFolders: false, compression: 'DEFLATE' });
  const bytes = await zip.generateAsync({ type: 'uint8array', platform: 'DOS', compressionOptions: { level: 6 }, streamFiles: false });
  return { bytes, address: sha256(text), listing };
}

function malformed(what: string, hint = 'Add the book to the queue again with `colophon queue add`; if it happens again, report it.'): ColophonError {
  return new ColophonError(error('queue/bad-archive', `the manuscript archive is malformed: ${what}`, undefined, hint));
}

/** A relative path that stays inside the folder it is unpacked into. */
function safeRel(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\\') || rel.includes('\0') || /^[a-z]:/i.test(rel)) return false;
  return rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Unpacks into `dir` (which must exist and be empty) after checking the archive against `address`.
 * Returns the manuscript to build, inside `dir`.
 */
export async function unpackManuscript(bytes: Uint8Array, address: string, dir: string): Promise<string> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  } catch (e) {
    throw malformed(`not a readable zip (${(e as Error).message})`);
  }
  const listingFile = zip.file(LISTING);
  if (!listingFile) throw malformed(`no ${LISTING}`);
  const text = await listingFile.async('string');
  if (sha256(text) !== address) throw malformed(`its listing does not match the address it was queued under (${address.slice(0, 12)}…)`);
  let listing: Listing;
  try {
    listing = JSON.parse(text) as Listing;
  } catch {
    throw malformed(`${LISTING} is not JSON`);
  }
  if (listing.version !== 1 || !Array.isArray(listing.files) || typeof listing.entry !== 'string') throw malformed(`${LISTING} is not a version 1 listing`);
  // Every path is checked before anything is written: a hostile listing writes nothing.
  for (const file of listing.files) {
    if (typeof file?.path !== 'string' || !safeRel(file.path)) throw malformed(`the path "${String(file?.path)}" would lie outside the manuscript folder`);
  }
  const listed = new Set(listing.files.map((f) => f.path));
  for (const name of Object.keys(zip.files)) {
    if (!zip.files[name]?.dir && name !== LISTING && !listed.has(name)) throw malformed(`${name} is in the archive but not in its listing`);
  }
  if (listing.entry !== '.' && (!safeRel(listing.entry) || !listed.has(listing.entry))) throw malformed(`its entry "${listing.entry}" is not one of its files`);
  for (const file of listing.files) {
    const entry = zip.file(file.path);
    if (!entry) throw malformed(`${file.path} is listed but missing`);
    const data = await entry.async('uint8array');
    if (sha256(data) !== file.sha256) throw malformed(`${file.path} does not match its SHA-256`);
    const to = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, data, { flag: 'wx' });
  }
  return listing.entry === '.' ? dir : path.join(dir, ...listing.entry.split('/'));
}
