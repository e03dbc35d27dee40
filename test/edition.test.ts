/**
 * Fixed editions. The PDF stage dominates (browser start and two prints), so the sample book is
 * built as few times as possible, all in beforeAll and in parallel where they are independent: the
 * freeze, the verify (a rebuild in another temp folder) and a plain `colophon build` in a separate
 * process, in a third folder, with another time zone and locale.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreezeResult, freezeEdition } from '../src/edition/freeze.ts';
import { readManifest } from '../src/edition/manifest.ts';
import { withEdition } from '../src/edition/source.ts';
import { formatVerifyReport, isVerified, type VerifyReport, verifyEdition } from '../src/edition/verify.ts';
import { fixPdfId } from '../src/ghostscript/ghostscript.ts';
import { loadManuscript } from '../src/manuscript/load.ts';
import { runCli } from './helpers/cli.ts';
import { cleanupTempBooks, PNG_1x1, SAMPLE_BOOK, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const BIN = path.resolve(import.meta.dirname, '../src/cli/bin.mjs');
const HAS_GS = (() => {
  try {
    execFileSync('gs', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

const run = runCli;

/** A copy of the sample manuscript in a fresh temp folder: tests never write into the repo's manuscript/. */
function sampleCopy(sub = ''): string {
  const dir = path.join(tempBook({}), sub);
  fs.cpSync(SAMPLE_BOOK, dir, { recursive: true });
  return dir;
}

/** Every path, mode and content under a folder, as one hash. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const entries = (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
  for (const rel of entries) {
    const file = path.join(dir, rel);
    const stat = fs.statSync(file);
    hash.update(`${rel}\0${stat.mode}\0`);
    if (stat.isFile()) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let book: string;
let frozen: FreezeResult;
let report: VerifyReport;
let separate: { dir: string; out: string };

beforeAll(async () => {
  book = sampleCopy('book');
  frozen = await freezeEdition({ input: book, version: '1.0', pdfa: HAS_GS });
  // A different absolute path, a different depth, another process, time zone and locale.
  const other = sampleCopy(path.join('somewhere', 'much', 'deeper'));
  const out = path.join(other, '..', 'out');
  const cli = promisify(execFile)(process.execPath, [BIN, 'build', other, '-o', out, '--quiet'], {
    env: { ...process.env, TZ: 'Pacific/Kiritimati', LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8', SOURCE_DATE_EPOCH: '' },
    cwd: path.dirname(other),
  });
  [report] = await Promise.all([verifyEdition({ input: book, version: '1.0' }), cli]);
  separate = { dir: other, out };
});

describe('edition freeze and verify', () => {
  it('archives the outputs, the source as built and a manifest, read-only', () => {
    const dir = path.join(book, 'editions', '1.0');
    expect(frozen.dir).toBe(dir);
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
    expect(files).toEqual(
      [
        'manifest.json',
        'source',
        'source/book.yaml',
        'source/the-nato-and-russia-embrace.md',
        'the-nato-and-russia-embrace.epub',
        'the-nato-and-russia-embrace.html',
        'the-nato-and-russia-embrace.pdf',
        ...(HAS_GS ? ['the-nato-and-russia-embrace.pdfa.pdf'] : []),
      ].sort(),
    );
    // The sample's book.yaml already names edition 1.0: archived byte for byte.
    expect(fs.readFileSync(path.join(dir, 'source/book.yaml'))).toEqual(fs.readFileSync(path.join(SAMPLE_BOOK, 'book.yaml')));
    expect(fs.statSync(path.join(dir, 'manifest.json')).mode & 0o222).toBe(0);
    // No temp folder left next to it.
    expect(fs.readdirSync(path.join(book, 'editions'))).toEqual(['1.0']);
  });

  it('verifies: every output rebuilt from the archived source in another folder is byte-identical', () => {
    expect(report.archive).toEqual([]);
    expect(report.rebuildProblem).toBeUndefined();
    expect(report.rebuilt?.map((r) => [r.format, r.status])).toEqual(frozen.manifest.outputs.map((o) => [o.format, 'same']));
    expect(report.ok).toBe(true);
  });

  it.runIf(HAS_GS)('does not claim to verify a PDF/A it could not check for want of Ghostscript', async () => {
    const noGs = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-nogs-'));
    const without = await verifyEdition({ input: book, version: '1.0', env: { ...process.env, PATH: noGs } });
    expect(without.unchecked.map((r) => [r.format, r.note])).toEqual([['pdfa', 'Ghostscript (gs) is not installed']]);
    expect(without.rebuilt?.filter((r) => r.format !== 'pdfa').every((r) => r.status === 'same')).toBe(true);
    expect(without.ok).toBe(false);
    expect(formatVerifyReport(without)).toMatch(/pdfa\.pdf: not checked: Ghostscript \(gs\) is not installed/);
    // Only when told to accept it, and the rest is the same, does it pass.
    expect(isVerified(without, { rebuild: true, allowUnchecked: true })).toBe(true);
    expect(isVerified({ ...without, archive: [{ path: 'x', problem: 'changed' }] }, { rebuild: true, allowUnchecked: true })).toBe(false);
  });

  it('gives the same bytes for all three formats from a build in another folder and process', () => {
    for (const format of ['html', 'epub', 'pdf']) {
      const entry = frozen.manifest.outputs.find((o) => o.format === format);
      expect(entry, format).toBeDefined();
      expect(sha(path.join(separate.out, entry?.path ?? '')), format).toBe(entry?.sha256);
    }
  });

  it('writes a manifest whose shape and source hashes are stable', () => {
    const manifest = readManifest(frozen.dir);
    const stable = {
      ...manifest,
      // Output bytes change with any change to Colophon; their reproducibility is tested above.
      // The PDF/A and Ghostscript's version are there only where gs is installed (checked above).
      outputs: manifest.outputs.filter((o) => o.format !== 'pdfa').map((o) => ({ ...o, sha256: '<sha256>', bytes: '<bytes>' })),
      tools: Object.fromEntries(
        Object.keys(manifest.tools)
          .filter((k) => k !== 'ghostscript')
          .map((k) => [k, '<version>']),
      ),
    };
    expect(stable).toMatchSnapshot();
  });

  it('refuses to freeze an existing version and changes nothing', async () => {
    const before = treeHash(path.join(book, 'editions'));
    const r = await run('edition', 'freeze', '1.0', book);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/edition 1\.0 already exists at .*editions\/1\.0; editions are never overwritten \[edition\/exists\]/);
    expect(treeHash(path.join(book, 'editions'))).toBe(before);
  });

  it('lists the edition with its date, formats and an intact archive', async () => {
    const r = await run('edition', 'list', book);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^1\\.0 +2010-10-24 +epub,html,pdf${HAS_GS ? ',pdfa' : ''} +intact, rebuild not checked`));
  });
});

describe('a tampered edition', () => {
  /** A copy of the frozen book with its edition, made writable again for the tampering. */
  function tamperedCopy(rel: string, data: string): string {
    const copy = path.join(tempBook({}), 'book');
    fs.cpSync(book, copy, { recursive: true });
    const file = path.join(copy, 'editions', '1.0', rel);
    if (fs.existsSync(file)) fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, data);
    return copy;
  }

  it('fails verify naming a changed source file, without rebuilding', async () => {
    const copy = tamperedCopy('source/the-nato-and-russia-embrace.md', '# Rewritten history\n');
    const r = await run('edition', 'verify', '1.0', copy);
    expect(r.code).toBe(1);
    expect(r.out).toContain('source/the-nato-and-russia-embrace.md: changed since the freeze');
    expect(r.out).toContain('not rebuilt: the archived source does not match the manifest');
    expect(r.out).toContain('edition 1.0 does NOT verify');
  });

  it('fails verify naming an added source file', async () => {
    const copy = tamperedCopy('source/extra.md', '# Smuggled in\n');
    const r = await run('edition', 'verify', '1.0', copy);
    expect(r.code).toBe(1);
    expect(r.out).toContain('source/extra.md: not listed in manifest.json');
  });

  it('fails the archive check naming a changed output', async () => {
    const copy = tamperedCopy('the-nato-and-russia-embrace.html', '<p>not what went to the stores</p>');
    const quick = await verifyEdition({ input: copy, version: '1.0', rebuild: false });
    expect(quick.ok).toBe(false);
    expect(quick.archive).toEqual([{ path: 'the-nato-and-russia-embrace.html', problem: 'changed' }]);
    const r = await run('edition', 'list', copy);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/damaged \(the-nato-and-russia-embrace\.html changed\)/);
  });
});

describe('edition safety', () => {
  it('leaves no edition and no temp folder when the freeze is interrupted', async () => {
    const dir = sampleCopy('book');
    await expect(
      freezeEdition({
        input: dir,
        version: '2.0',
        onStage: (stage) => {
          if (stage === 'html') throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(fs.readdirSync(path.join(dir, 'editions'))).toEqual([]);
  });

  it('refuses an edition that appeared while it was building, and leaves that one alone', async () => {
    const dir = sampleCopy('book');
    const dest = path.join(dir, 'editions', '2.0');
    const error = await freezeEdition({
      input: dir,
      version: '2.0',
      onStage: (stage) => {
        if (stage === 'load') {
          // An empty folder: rename(2) would silently replace it, so freeze must look first.
          fs.mkdirSync(dest, { recursive: true });
        }
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/edition 2\.0 already exists/);
    expect(fs.readdirSync(path.join(dir, 'editions'))).toEqual(['2.0']);
    expect(fs.readdirSync(dest)).toEqual([]);
  });

  it('refuses a manuscript that takes an image from the editions archive', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Loop\ndate: 2025-01-01\n',
      'a.md': '# A\n\n![old cover](editions/1.0/source/cover.png)\n',
      'editions/1.0/source/cover.png': PNG_1x1,
    });
    const r = await run('edition', 'freeze', '2.0', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/uses editions\/1\.0\/source\/cover\.png, which is inside the editions\/ archive \[edition\/source-in-editions\]/);
    expect(fs.readdirSync(path.join(dir, 'editions'))).toEqual(['1.0']);
  });

  it('never reads chapters from editions/ by default', () => {
    const dir = tempBook({ 'book.yaml': 'title: T\n', 'a.md': '# A\n', 'editions/1.0/source/a.md': '# Old A\n', 'editions/b.md': '# B\n' });
    expect(loadManuscript(dir).chapters.map((c) => c.relPath)).toEqual(['a.md']);
  });

  it.each([
    [['edition'], /edition needs a subcommand/],
    [['edition', 'publish'], /unknown edition subcommand "publish"/],
    [['edition', 'freeze'], /edition freeze needs a version/],
    [['edition', 'freeze', '../escape', SAMPLE_BOOK], /"\.\.\/escape" is not a usable edition version/],
    [['edition', 'verify', '1.0', '--pdfa'], /--pdfa does not apply to edition verify/],
    [['edition', 'freeze', '9.9', SAMPLE_BOOK, '--date', 'yesterday'], /--date yesterday is not an ISO 8601 date/],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exits 1 verifying an edition that does not exist', async () => {
    const r = await run('edition', 'verify', '7.0', tempBook({ 'book.yaml': 'title: T\n', 'a.md': '# A\n' }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/there is no edition 7\.0/);
  });
});

describe('edition helpers', () => {
  it('sets edition.version in book.yaml keeping comments, as text, and leaves a matching file untouched', () => {
    const yaml = '# My book\ntitle: T # the title\ndate: 2024-01-02\n';
    const out = withEdition(yaml, '1.0', '2024-01-02');
    expect(out).toBe('# My book\ntitle: T # the title\ndate: 2024-01-02\nedition:\n  version: "1.0"\n  date: "2024-01-02"\n');
    expect(withEdition(out, '1.0', '2024-01-02')).toBe(out);
    const sample = fs.readFileSync(path.join(SAMPLE_BOOK, 'book.yaml'), 'utf8');
    expect(withEdition(sample, '1.0', '2010-10-24')).toBe(sample);
    expect(withEdition(sample, '1.1', '2010-10-24')).toContain('edition:\n  version: "1.1"\n  date: 2010-10-24\n');
  });

  it('gives a PDF a file identifier derived from its content', () => {
    const pdf = (id: string) => Buffer.from(`%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<</ID [<${id}><${id}>]>>\n%%EOF\n`, 'latin1');
    const a = fixPdfId(pdf('0123456789abcdef0123456789abcdef'));
    const b = fixPdfId(pdf('fedcba9876543210fedcba9876543210'));
    expect(Buffer.from(a)).toEqual(Buffer.from(b));
    expect(a.byteLength).toBe(pdf('0123456789abcdef0123456789abcdef').byteLength);
  });
});
