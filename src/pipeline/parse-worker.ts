/**
 * A worker thread of parallel-parse.ts: parses the chunks it is sent with its own pipeline and sends
 * each back as JSON (the form the caches keep), or `null` when the parse threw (the main thread then
 * parses that chunk itself and reports the error as a serial build would).
 */
import { parentPort } from 'node:worker_threads';
import type { PipelineOptions } from './processor.ts';
import { type ChapterChunk, runChapter } from './run-chapter.ts';

interface Job {
  key: string;
  chunk: ChapterChunk;
  options: PipelineOptions;
}

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');
port.on('message', (job: Job) => {
  let json: string | null = null;
  try {
    json = JSON.stringify(runChapter(job.chunk, job.options));
  } catch {
    json = null;
  }
  port.postMessage({ key: job.key, json });
});
port.postMessage({ ready: true });
