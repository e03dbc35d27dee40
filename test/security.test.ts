/**
 * Nothing from the manuscript reaches outside it: a book that tries to pull in /etc/passwd or to make
 * the build (or a later reader) contact a local server gets neither into any output (HTML, EPUB, PDF),
 * and the server, which counts requests, receives none. Routes that are sanitised away must build;
 * routes that cannot be silently dropped must fail the build with a located error.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHostile, errorLines, oldDist, runCli, snapshot, tempDir } from './helpers/hostile.ts';
import { PNG_1x1 } from './helpers/temp-book.ts';

let server: http.Server;
let requests: string[] = [];
let origin = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end('leaked');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  cleanupHostile();
});

function book(files: Record<string, string | Buffer>): string {
  const dir = tempDir('colophon-sec-');
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0] as string;

/** Every text an output holds: the HTML file, each EPUB entry, the PDF bytes (latin1). */
async function outputTexts(dist: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const name of fs.readdirSync(dist)) {
    const bytes = fs.readFileSync(path.join(dist, name));
    if (name.endsWith('.epub')) {
      const zip = await JSZip.loadAsync(bytes);
      for (const entry of Object.values(zip.files)) if (!entry.dir) texts.set(`${name}!${entry.name}`, (await entry.async('nodebuffer')).toString('latin1'));
    } else if (name.endsWith('.pdf')) {
      // The raw bytes hold link URIs and metadata; the page text is in compressed streams.
      texts.set(name, bytes.toString('latin1'));
      texts.set(`${name} (text)`, execFileSync('pdftotext', ['-q', path.join(dist, name), '-'], { encoding: 'utf8' }));
    } else texts.set(name, bytes.toString('latin1'));
  }
  return texts;
}

describe('active content in raw HTML fails the build at its line, with zero requests', () => {
  it('scripts, handlers, frames, objects, external stylesheets, base, refresh, forms', async () => {
    const routes = [
      `<link rel="stylesheet" href="${origin}/link.css">`,
      `<object data="${origin}/object"></object>`,
      `<object data="/etc/passwd"></object>`,
      `<embed src="${origin}/embed">`,
      `<iframe src="${origin}/iframe"></iframe>`,
      `<iframe src="file:///etc/passwd"></iframe>`,
      `<img src="p.png" alt="p" onerror="fetch('${origin}/onerror')">`,
      `<script>fetch('${origin}/script')</script>`,
      `<base href="${origin}/">`,
      `<meta http-equiv="refresh" content="0; url=${origin}/refresh">`,
      `<form action="${origin}/form"><button>go</button></form>`,
      `<a href="file:///etc/passwd">local file</a>`,
    ];
    const md = `# Routes\n\n${routes.map((r) => `${r}\n\nText after.\n`).join('\n')}`;
    const dir = book({ 'book.yaml': 'title: T\n', 'a.md': md, 'p.png': PNG_1x1 });
    const dist = oldDist();
    const before = snapshot(dist);
    requests = [];
    const r = await runCli('build', dir, '-o', dist);
    expect(r.code, r.err).toBe(1);
    const lines = errorLines(r.err).filter((e) => e.code === 'html/active-content');
    // One error per route, each at the route's own line (routes are four lines apart from line 3).
    expect(lines.map((e) => e.where)).toEqual(routes.map((_, i) => expect.stringMatching(new RegExp(`a\\.md:${3 + 4 * i}:\\d+$`))));
    expect(snapshot(dist)).toEqual(before);
    expect(requests).toEqual([]);
  }, 60_000);
});

describe('routes that are removed: the book builds, and nothing of them is left', () => {
  it('in HTML, EPUB and PDF, with zero requests to the local server', async () => {
    const port = origin.split(':')[2];
    const routes = [
      `<video poster="${origin}/poster.png" src="${origin}/video.mp4"></video>`,
      `<audio src="${origin}/audio.mp3"></audio>`,
      `<picture><source srcset="${origin}/source.png"><img src="p.png" alt="p"></picture>`,
      `<img src="p.png" srcset="${origin}/srcset.png 2x" alt="p">`,
      `<style>@import url(${origin}/style-import.css); body { background: url(/etc/passwd) }</style>`,
      `<p style="background: url(${origin}/inline-style.png)">styled</p>`,
      `<svg><image href="${origin}/inline-svg.png"/></svg>`,
      `<input type="image" src="${origin}/input.png">`,
      `<table background="${origin}/table.png"><tr><td>x</td></tr></table>`,
      `<a href="p.png" ping="${origin}/ping">ping</a>`,
    ];
    const md = `# Routes\n\n${routes.map((r) => `${r}\n\nText after.\n`).join('\n')}`;
    const dir = book({ 'book.yaml': 'title: T\n', 'a.md': md, 'p.png': PNG_1x1 });
    const dist = tempDir();
    requests = [];
    // --verbose: each removal on its own line (by default warnings of one kind share a line).
    const r = await runCli('build', dir, '-o', dist, '--quiet', '--verbose');
    expect(r.code, r.err).toBe(0);
    // Removals of what an author may have meant (styles, resources) are reported at their line.
    for (const what of ['<style>', 'inline style', '<source>']) {
      expect(r.err).toMatch(new RegExp(`a\\.md:\\d+:\\d+: warning: .*${what}`));
    }
    const texts = await outputTexts(dist);
    expect([...texts.keys()].some((k) => k.endsWith('.pdf'))).toBe(true);
    for (const [name, text] of texts) {
      expect(
        text.split('\n').filter((l) => l.includes(`127.0.0.1:${port}`)),
        name,
      ).toEqual([]);
      expect(text, name).not.toContain('/etc/passwd');
      expect(text, name).not.toContain(passwd);
      expect(text, name).not.toMatch(/<script|onerror|<iframe|<object|<embed|srcset|poster=/i);
    }
    expect(requests).toEqual([]);
  }, 60_000);
});

describe('routes that fail the build, naming file and line, with zero requests', () => {
  const cases: [string, () => Record<string, string | Buffer>, RegExp, RegExp][] = [
    ['markdown image from the local server', () => ({ 'a.md': `# A\n\n![x](${origin}/md.png)\n` }), /a\.md:3:1$/, /remote image/],
    ['raw img from the local server', () => ({ 'a.md': `# A\n\n<img src="${origin}/raw.png" alt="x">\n` }), /a\.md:3:1$/, /remote image/],
    ['markdown image /etc/passwd', () => ({ 'a.md': '# A\n\n![x](/etc/passwd)\n' }), /a\.md:3:1$/, /absolute path/],
    ['raw img file:///etc/passwd', () => ({ 'a.md': '# A\n\n<img src="file:///etc/passwd" alt="x">\n' }), /a\.md:3:1$/, /not a file of the manuscript/],
    [
      'SVG image with an external href',
      () => ({ 'a.md': '# A\n\n![x](p.svg)\n', 'p.svg': `<svg xmlns="http://www.w3.org/2000/svg"><image href="${origin}/svg.png"/></svg>` }),
      /a\.md:3:1$/,
      /reference to another file or the network/,
    ],
    [
      'SVG image with a stylesheet import',
      () => ({ 'a.md': '# A\n\n![x](p.svg)\n', 'p.svg': `<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(${origin}/svg.css);</style></svg>` }),
      /p\.svg:1:\d+$|a\.md:3:1$/,
      /SVG/,
    ],
    ['styles: @import from the server', () => ({ 's.css': `p { color: red }\n@import url(${origin}/import.css);\n` }), /s\.css:2:1$/, /@import/],
    ['styles: url() on the server', () => ({ 's.css': `body {\n  background: url(${origin}/bg.png);\n}\n` }), /s\.css:2:15$/, /url\(http/],
    ['styles: url(/etc/passwd)', () => ({ 's.css': 'body { background: url("/etc/passwd") }\n' }), /s\.css:1:20$/, /url\(\/etc\/passwd\)/],
    ['styles: escaped url', () => ({ 's.css': `body { background: \\75 rl(${origin}/esc.png) }\n` }), /s\.css:1:\d+$/, /url\(http/],
    ['styles: a font from the server', () => ({ 's.css': `@font-face { font-family: X; src: url(${origin}/font.woff2) }\n` }), /s\.css:1:\d+$/, /url\(http/],
    ['cover from the server', () => ({ 'book.yaml': `title: T\ncover: ${origin}/cover.png\n` }), /book\.yaml:2:1$/, /is a URL/],
  ];

  it.each(cases)('%s', async (_name, files, where, message) => {
    const dir = book({ 'book.yaml': 'title: T\nstyles: [s.css]\n', 'a.md': '# A\n\nText.\n', 's.css': 'p { color: black }\n', ...files() });
    const dist = oldDist();
    const before = snapshot(dist);
    requests = [];
    const r = await runCli('build', dir, '-o', dist, '-t', 'html,epub,pdf');
    expect(r.code, r.err).toBe(1);
    const errors = errorLines(r.err);
    const hit = errors.find((e) => message.test(e.message));
    expect(hit, r.err).toBeDefined();
    expect(hit?.where).toMatch(where);
    expect(hit?.hint).toBeTruthy();
    expect(snapshot(dist)).toEqual(before);
    expect(requests).toEqual([]);
  });
});
