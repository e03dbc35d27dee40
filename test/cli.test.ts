import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { cleanupTempBooks, SAMPLE_BOOK, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

const run = runCli;

const BIN = path.resolve(import.meta.dirname, '../src/cli/bin.mjs');

describe('colophon CLI', () => {
  it('prints help and version', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('colophon build [manuscript…] [-o dist]');
    expect(help.out).toContain('colophon queue add <manuscript…> [--redis URL]');
    expect(help.out).toContain('colophon worker [--redis URL] [-j N]');
    const version = await run('--version');
    expect(version.out.trim()).toBe(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')).version);
  });

  it.each([
    [['build', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['publish'], /unknown command "publish"/],
    [[], /no command given/],
    [['build', '-t', 'html,docx', SAMPLE_BOOK], /unknown output format "docx"/],
    [['build', '-j', '0', 'a', 'b'], /-j takes a whole number of jobs from 1 to 64, got "0"/],
    [['check', '-j', 'two', 'a'], /-j takes a whole number of jobs/],
    [['queue', 'publish'], /unknown queue subcommand "publish"/],
    [['queue', 'add'], /queue add needs at least one manuscript/],
    [['queue', 'status', '--redis', 'http://localhost:6379'], /"http:\/\/localhost:6379" is not a Redis URL \(http\)/],
    [['worker', '--lock', '0'], /--lock takes seconds from 1 to 3600/],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('builds the web edition with progress per stage and the warning', async () => {
    const out = tempBook({});
    const r = await run('build', SAMPLE_BOOK, '-o', out, '-t', 'html');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/load\s+\d+ ms/);
    expect(r.err).toMatch(/model\s+\d+ ms/);
    expect(r.err).toMatch(/html\s+\d+ ms/);
    expect(r.err).toMatch(/the-nato-and-russia-embrace\.md:3:4: warning: link "Anders Fogh Rasmussen" points nowhere/);
    expect(fs.existsSync(path.join(out, 'the-nato-and-russia-embrace.html'))).toBe(true);
  });

  it('prints one line per kind of warning with a count and the first places; --verbose prints each', async () => {
    const blocks = [3, 7, 11, 15, 19].map((n) => `Block ${n}.\n\n\`\`\`klingon\nqapla'\n\`\`\``).join('\n\n');
    const dir = tempBook({ 'book.yaml': 'title: Codes\n', 'a.md': `# Codes\n\n${blocks}\n` });
    const grouped = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'html');
    expect(grouped.code).toBe(0);
    const lines = grouped.err.split('\n').filter((l) => l.includes('[rehype-highlight/'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/a\.md:5:1: warning: .*\(5 like this at \/\S*a\.md:5:1, 11:1, 17:1 and 2 more; --verbose shows each\)$/);
    const verbose = await runCli('build', dir, '-o', path.join(dir, 'dist'), '-t', 'html', '--verbose');
    expect(verbose.err.split('\n').filter((l) => l.includes('[rehype-highlight/'))).toHaveLength(5);
  });

  it('is silent with --quiet except for warnings', async () => {
    const r = await run('build', SAMPLE_BOOK, '-o', tempBook({}), '-t', 'html', '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/ms/);
    expect(r.err).toMatch(/warning:/);
  });

  it('exits 1 with file:line:column and a hint on manuscript errors, leaving earlier output intact', async () => {
    const book = tempBook({ 'book.yaml': 'title: Broken\n', 'a.md': '# A\n\n[x](#missing)\n' });
    const out = tempBook({ 'broken.html': 'previous good build' });
    const r = await run('build', book, '-o', out, '-t', 'html');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a\.md:3:1: error: link "#missing" points to an anchor that does not exist \[link\/missing-anchor\]\n {2}hint: /);
    expect(r.err).toContain('nothing was written');
    expect(fs.readdirSync(out)).toEqual(['broken.html']);
    expect(fs.readFileSync(path.join(out, 'broken.html'), 'utf8')).toBe('previous good build');
  });

  it('exits 1 when the manuscript does not exist', async () => {
    const r = await run('build', '/nonexistent/book');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no manuscript at \/nonexistent\/book/);
  });

  it('reports an unwritable output folder without leaving temp files', async () => {
    const out = tempBook({ blocker: 'a file where a folder should be' });
    const r = await run('build', SAMPLE_BOOK, '-o', path.join(out, 'blocker', 'dist'), '-t', 'html');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error: cannot write .*the-nato-and-russia-embrace\.html/);
    expect(fs.readdirSync(out)).toEqual(['blocker']);
  });

  it('runs as the installed bin script', () => {
    const version = execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync(process.execPath, [BIN, 'build', '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
