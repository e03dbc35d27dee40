/**
 * A worker thread that makes book models: load + book pass, the synchronous CPU part of a build, so
 * that several books are parsed at once while the main thread prints. The model travels back by
 * structured clone (it is plain data: hast trees, Dates, arrays), and so do errors, as diagnostics.
 */
import { parentPort } from 'node:worker_threads';
import { buildBook } from '../book-pass/build-book.ts';
import { ColophonError } from '../diagnostics.ts';
import { sourceFiles } from '../edition/source.ts';
import { loadManuscript } from '../manuscript/load.ts';
import type { ModelReply, ModelTask } from './model-pool.ts';

const port = parentPort;
if (!port) throw new Error('model-worker.ts runs only as a worker thread');

port.on('message', async (task: ModelTask) => {
  const started = performance.now();
  let reply: ModelReply;
  try {
    const manuscript = loadManuscript(task.input, task.overrides ? { overrides: task.overrides } : {});
    const book = await buildBook(manuscript, { ...(task.env ? { env: task.env } : {}), ...(task.cache === false ? { cache: false } : {}) });
    reply = { id: task.id, ok: true, book, sources: task.wantSources ? sourceFiles(manuscript, book) : [], ms: performance.now() - started };
  } catch (e) {
    reply =
      e instanceof ColophonError
        ? { id: task.id, ok: false, diagnostics: e.diagnostics, exitCode: e.exitCode }
        : { id: task.id, ok: false, internal: (e as Error).stack ?? String(e) };
  }
  port.postMessage(reply);
});
