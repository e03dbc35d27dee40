import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RebuildResult, startPreview } from '../src/preview/server.ts';
import { cleanupTempBooks, PNG_1x1, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

/** A GET with the path sent as written (no URL normalisation), as an attacker's client would. */
function get(url: string, rawPath?: string): Promise<{ status: number; body: string; type: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: rawPath ?? `${u.pathname}${u.search}` }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      })
      .on('error', reject);
  });
}

/** A GET of a binary body. */
function getBytes(url: string): Promise<{ status: number; body: Buffer; type: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: String(res.headers['content-type']) }));
      })
      .on('error', reject);
  });
}

/** Reads the SSE stream into a list of events, as a browser's EventSource would. */
function listen(url: string) {
  const events: { event: string; data: unknown }[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const req = http.get(url, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
        events.push({ event, data });
        for (const w of waiters.splice(0)) w();
      }
    });
  });
  req.on('error', () => {});
  const next = (name: string, count: number) =>
    new Promise<void>((resolve, reject) => {
      // A hang guard: a rebuild takes well under a second on an idle machine.
      const timeout = setTimeout(() => reject(new Error(`no "${name}" event #${count}; got ${JSON.stringify(events)}`)), 30_000);
      const check = () => {
        if (events.filter((e) => e.event === name).length >= count) {
          clearTimeout(timeout);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { events, next, close: () => req.destroy() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('colophon watch (preview server)', () => {
  it('rebuilds once per edit, reparses only that chapter, reloads, and keeps the last good preview on errors', async () => {
    const dir = tempBook({
      'book.yaml': 'title: Watched\nauthor: Ann Author\nhyphenate: false\n',
      '01-one.md': '# One\n\nFirst version.\n\n![A dot](dot.png)\n',
      '02-two.md': '# Two\n\nUnchanged chapter.\n',
      'dot.png': PNG_1x1,
      'dist/old.html': 'not the manuscript',
    });
    const builds: RebuildResult[] = [];
    const server = await startPreview({ input: dir, port: 0, debounceMs: 40, onBuild: (r) => builds.push(r) });
    const sse = listen(`${server.url}_colophon/events`);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      await sse.next('hello', 1);
      expect(builds).toHaveLength(1);

      const web = await get(server.url);
      expect(web.status).toBe(200);
      expect(web.body).toContain('First version.');
      expect(web.body).toContain('new EventSource');
      const print = await get(`${server.url}print`);
      expect(print.body).toContain('Unchanged chapter.');
      expect(print.body).not.toContain('file://');
      const image = /src="(\/?images\/dot-[0-9a-f]+\.png)"/.exec(web.body)?.[1];
      expect(image).toBeDefined();
      const served = await get(new URL(image as string, server.url).href);
      expect(served.status).toBe(200);
      expect(served.type).toBe('image/png');
      const font = /url\(["']?(\/fonts\/[^"')]+)/.exec(print.body)?.[1];
      expect((await get(new URL(font as string, server.url).href)).status).toBe(200);
      // No way out of the listed files.
      for (const p of ['/book.yaml', '/images/../book.yaml', '/images/%2e%2e/book.yaml', '/fonts/..%2f..%2fpackage.json', '//etc/passwd']) {
        expect((await get(server.url, p)).status, p).toBe(404);
      }

      // A change outside the manuscript proper (dist/) does not rebuild.
      fs.writeFileSync(path.join(dir, 'dist', 'old.html'), 'still not the manuscript');
      await sleep(250);
      expect(builds).toHaveLength(1);

      fs.writeFileSync(path.join(dir, '01-one.md'), '# One\n\nSecond version.\n\n![A dot](dot.png)\n');
      await sse.next('reload', 1);
      await sleep(300);
      expect(builds).toHaveLength(2);
      expect(sse.events.filter((e) => e.event === 'reload')).toHaveLength(1);
      expect(builds[1]).toMatchObject({ ok: true, parsed: 1, cached: 1 });
      expect((await get(server.url)).body).toContain('Second version.');

      fs.writeFileSync(path.join(dir, '02-two.md'), '# Two\n\nA [broken link](#nowhere).\n');
      await sse.next('error-overlay', 1);
      expect(builds.at(-1)?.ok).toBe(false);
      expect(builds.at(-1)?.errors[0]?.code).toBe('link/missing-anchor');
      const overlay = sse.events.find((e) => e.event === 'error-overlay')?.data as { html: string };
      expect(overlay.html).toContain('02-two.md:3:3: error: link');
      const kept = await get(server.url);
      expect(kept.body).toContain('Unchanged chapter.');
      expect(kept.body).toContain('id="colophon-preview-error"');

      fs.writeFileSync(path.join(dir, '02-two.md'), '# Two\n\nFixed.\n');
      await sse.next('reload', 2);
      const fixed = await get(server.url);
      expect(fixed.body).toContain('Fixed.');
      expect(fixed.body).not.toContain('id="colophon-preview-error"');
    } finally {
      sse.close();
      await server.close();
    }
  });

  it('serves the real paged PDF at /print.pdf, printed again after an edit', async () => {
    const dir = tempBook({ 'book.yaml': 'title: Paged Preview\nhyphenate: false\n', '01-one.md': '# One\n\nThe first words.\n' });
    const server = await startPreview({ input: dir, port: 0, debounceMs: 40 });
    const sse = listen(`${server.url}_colophon/events`);
    const textOf = (pdf: Buffer) => {
      const file = path.join(tempBook({}), 'preview.pdf');
      fs.writeFileSync(file, pdf);
      return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    };
    try {
      await sse.next('hello', 1);
      const first = await getBytes(`${server.url}print.pdf`);
      expect(first.status).toBe(200);
      expect(first.type).toBe('application/pdf');
      expect(first.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = textOf(first.body);
      expect(text).toContain('The first words.');
      expect(text).toContain('Paged Preview');
      fs.writeFileSync(path.join(dir, '01-one.md'), '# One\n\nThe second words.\n');
      await sse.next('reload', 1);
      expect(textOf((await getBytes(`${server.url}print.pdf`)).body)).toContain('The second words.');
    } finally {
      sse.close();
      await server.close();
    }
  }, 90_000);

  it('the CLI serves on 127.0.0.1 and stops cleanly on SIGINT', async () => {
    const dir = tempBook({ 'book.yaml': 'title: Stop Me\n', 'a.md': '# A\n\nText.\n' });
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../src/cli/bin.mjs'), 'watch', dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      // A hang guard: the CLI starts from the TypeScript sources, which takes seconds on a loaded machine.
      const timer = setTimeout(() => reject(new Error(`no preview URL; stderr: ${err}`)), 90_000);
      child.stdout.on('data', (c) => {
        out += c;
        const m = /preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
    });
    expect((await get(url)).body).toContain('Stop Me');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toMatch(/rebuilt in \d+ ms \(1 chapter\(s\) parsed, 0 cached\)/);
    expect(err).toContain('stopping');
  }, 150_000);
});
