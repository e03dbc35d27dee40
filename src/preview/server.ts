/**
 * `colophon watch`: rebuild the book model when the manuscript or the theme changes, and serve the
 * web edition (/) and a print preview (/print, /print.pdf) on 127.0.0.1 with live reload over
 * Server-Sent Events. Chapters are cached by content hash (pipeline/chapters.ts), so a rebuild after
 * editing one chapter reparses only that chapter. A failed rebuild keeps the last good pages and
 * shows the errors over them.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildBook } from '../book-pass/build-book.ts';
import { ColophonError, type Diagnostic, error } from '../diagnostics.ts';
import { loadManuscript } from '../manuscript/load.ts';
import type { Book } from '../model/book.ts';
import { renderPdf } from '../outputs/pdf.ts';
import { STYLES_DIR } from '../outputs/theme.ts';
import { cacheStats } from '../pipeline/chapters.ts';
import { EVENTS_PATH, overlayHtml, type PreviewPages, renderPages, withPreviewChrome } from './pages.ts';

export interface PreviewOptions {
  /** Manuscript folder or single .md file. */
  input: string;
  /** 0 picks a free port. */
  port?: number;
  /** Quiet time after the last change before rebuilding: editors save in several writes. */
  debounceMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Read and write the chapter cache on disk (default true); edited chapters are cached in memory either way. */
  cache?: boolean;
  /** Called after every rebuild attempt (terminal output, tests). */
  onBuild?: (result: RebuildResult) => void;
}

export interface RebuildResult {
  ok: boolean;
  /** Sequence number of the attempt, from 1. */
  build: number;
  ms: number;
  /** Chapters parsed by this rebuild vs. taken from the cache. */
  parsed: number;
  cached: number;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface PreviewServer {
  url: string;
  port: number;
  /** Rebuild now (the watcher calls this after a change). */
  rebuild(): Promise<RebuildResult>;
  close(): Promise<void>;
}

/** Folders whose changes are not the manuscript: outputs, editions, version control, editor litter. */
const IGNORED = /(^|[/\\])(dist|editions|node_modules|\.git)([/\\]|$)|(^|[/\\])\.[^/\\]*$|~$|\.swp$/;

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const input = path.resolve(options.input);
  // A missing manuscript is a usage mistake, not an edit in progress: say so instead of watching nothing.
  if (!fs.existsSync(input)) loadManuscript(input);
  let pages: PreviewPages | undefined;
  let book: Book | undefined;
  let errors: Diagnostic[] = [];
  let buildCount = 0;
  let pdfCache: { build: number; bytes: Promise<Uint8Array> } | undefined;
  const clients = new Set<http.ServerResponse>();

  const send = (event: string, data: unknown) => {
    for (const res of clients) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const rebuild = async (): Promise<RebuildResult> => {
    const started = performance.now();
    const before = cacheStats();
    const build = ++buildCount;
    let warnings: Diagnostic[] = [];
    try {
      const next = await buildBook(loadManuscript(input), {
        ...(options.env ? { env: options.env } : {}),
        ...(options.cache === false ? { cache: false } : {}),
      });
      pages = renderPages(next);
      book = next;
      warnings = next.diagnostics;
      errors = [];
    } catch (e) {
      // Anything but a manuscript error is a bug; show it all the same rather than stop watching.
      errors = e instanceof ColophonError ? e.diagnostics : [error('preview/internal', (e as Error).stack ?? String(e))];
    }
    const after = cacheStats();
    const result: RebuildResult = {
      ok: errors.length === 0,
      build,
      ms: performance.now() - started,
      parsed: after.misses - before.misses,
      cached: after.hits - before.hits,
      errors,
      warnings,
    };
    if (result.ok) send('reload', { build });
    else send('error-overlay', { build, html: overlayHtml(errors) });
    options.onBuild?.(result);
    return result;
  };

  // Rebuilds run one at a time; changes during a rebuild schedule exactly one more.
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = rebuild().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule();
        }
      });
    }, options.debounceMs ?? 25);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === EVENTS_PATH) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`event: hello\ndata: ${JSON.stringify({ build: buildCount, ok: errors.length === 0 })}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/' || url.pathname === '/print') {
      if (!pages) {
        const body = withPreviewChrome('<!doctype html><html><body><p>No good build yet.</p></body></html>', errors);
        res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
        return;
      }
      const page = url.pathname === '/' ? pages.web : pages.print();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(withPreviewChrome(page, errors));
      return;
    }
    if (url.pathname === '/print.pdf' && book) {
      // The real paged output, printed on demand (seconds), once per good build.
      if (pdfCache?.build !== buildCount) pdfCache = { build: buildCount, bytes: renderPdf(book).then((r) => r.bytes) };
      pdfCache.bytes.then(
        (bytes) => res.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' }).end(bytes),
        (e) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(e instanceof ColophonError ? e.message : String(e)),
      );
      return;
    }
    // Only files the book model lists (checked to be inside the manuscript) and the shipped fonts, by
    // exact URL: a path such as /images/../../etc/passwd matches nothing.
    const file = pages?.files.get(url.pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': mediaType(file), 'cache-control': 'no-store' }).end(data);
    });
  });

  await rebuild();

  const wanted = options.port ?? 4173;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new ColophonError(
          error(
            'preview/port',
            `cannot serve on 127.0.0.1:${wanted} (${e.code ?? e.message})`,
            undefined,
            'Pick another port with --port, or 0 for any free one.',
          ),
        ),
      ),
    );
    // Loopback only: the preview serves manuscript files and must not be reachable from the network.
    server.listen(wanted, '127.0.0.1', () => resolve());
  });
  const watchRoot = fs.statSync(input).isDirectory() ? input : path.dirname(input);
  const watchers = [watchRoot, STYLES_DIR].map((dir) =>
    fs.watch(dir, { recursive: true }, (_event, name) => {
      if (name && IGNORED.test(String(name))) return;
      schedule();
    }),
  );

  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    rebuild,
    async close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const res of clients) res.end();
      clients.clear();
      await running;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep idle connections open; without this close() would wait for them.
      server.closeAllConnections();
      await closed;
    },
  };
}

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.css': 'text/css',
};

function mediaType(file: string): string {
  return MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
