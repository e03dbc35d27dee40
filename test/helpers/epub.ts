/** Test helpers for EPUB output: build a book's EPUB, read entries, run both EPUBCheck validators. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import JSZip from 'jszip';
import { buildBook } from '../../src/book-pass/build-book.ts';
import { loadManuscript } from '../../src/manuscript/load.ts';
import type { Book } from '../../src/model/book.ts';

export const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';
/** Quick-start JIT and the serial collector: EPUBCheck runs once per book, and halves its CPU time so. */
const JAVA_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export async function modelOf(input: string): Promise<Book> {
  return buildBook(await loadManuscript(input));
}

export interface CheckCounts {
  fatals: number;
  errors: number;
  warnings: number;
  /** The messages themselves, so a failing assertion shows what is wrong. */
  messages: string[];
}

/** W3C EPUBCheck (Java). Writes the bytes to a temp file, since the CLI takes a path. */
export async function javaEpubcheck(data: Uint8Array, name: string): Promise<CheckCounts> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-epubcheck-'));
  const file = path.join(dir, `${name}.epub`);
  fs.writeFileSync(file, data);
  try {
    const output = await new Promise<string>((resolve) => {
      // EPUBCheck exits 1 when it finds errors; the counts line is what matters.
      execFile('java', [...JAVA_FLAGS, '-jar', EPUBCHECK_JAR, file], { maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) =>
        resolve(`${stdout}\n${stderr}`),
      );
    });
    const counts = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output);
    const noIssues = /No errors or warnings detected/.test(output);
    if (!counts && !noIssues) throw new Error(`EPUBCheck gave no summary:\n${output}`);
    return {
      fatals: Number(counts?.[1] ?? 0),
      errors: Number(counts?.[2] ?? 0),
      warnings: Number(counts?.[3] ?? 0),
      messages: output.split('\n').filter((l) => /^(FATAL|ERROR|WARNING)/.test(l)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** @likecoin/epubcheck-ts, the second opinion (a TypeScript port of EPUBCheck 5). */
export async function tsEpubcheck(data: Uint8Array): Promise<CheckCounts> {
  const result = await EpubCheck.validate(data);
  const relevant = result.messages.filter((m) => ['fatal', 'error', 'warning'].includes(String(m.severity).toLowerCase()));
  return {
    fatals: relevant.filter((m) => String(m.severity).toLowerCase() === 'fatal').length,
    errors: result.errorCount,
    warnings: result.warningCount,
    messages: relevant.map((m) => `${m.severity} ${m.id ?? ''} ${m.location?.path ?? ''}: ${m.message}`),
  };
}

export interface EpubEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  size: number;
  date: Date;
}

/** Entries in archive order, read from the local file headers (what readers and EPUBCheck see first). */
export function zipEntries(data: Uint8Array): EpubEntry[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const entries: EpubEntry[] = [];
  let offset = 0;
  while (buf.readUInt32LE(offset) === 0x04034b50) {
    const method = buf.readUInt16LE(offset + 8);
    const time = buf.readUInt16LE(offset + 10);
    const day = buf.readUInt16LE(offset + 12);
    const compressed = buf.readUInt32LE(offset + 18);
    const size = buf.readUInt32LE(offset + 22);
    const nameLength = buf.readUInt16LE(offset + 26);
    const extraLength = buf.readUInt16LE(offset + 28);
    const name = buf.toString('utf8', offset + 30, offset + 30 + nameLength);
    const date = new Date(Date.UTC((day >> 9) + 1980, ((day >> 5) & 15) - 1, day & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2));
    entries.push({ name, method, size, date, ...(extraLength > 0 ? { extraLength } : {}) });
    offset += 30 + nameLength + extraLength + compressed;
  }
  return entries;
}

export async function readEntries(data: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(data);
  const out = new Map<string, string>();
  for (const file of Object.values(zip.files)) {
    if (!file.dir && /\.(xhtml|opf|ncx|xml|css)$/.test(file.name)) out.set(file.name, await file.async('string'));
  }
  return out;
}

/** A copy of a manuscript folder in a temp dir, to delete files from. */
export function copyManuscript(dir: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-epub-ms-'));
  fs.cpSync(dir, target, { recursive: true });
  return target;
}
