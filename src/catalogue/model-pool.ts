/**
 * Book models made in parallel: a few worker threads each run load + book pass for one book at a
 * time (the unified pipeline is synchronous, so threads are the only way to use a second core).
 * Kept deliberately simple: one book per task, no shared cache; parallel chapter parsing inside one
 * book is a separate concern.
 */
import { Worker } from 'node:worker_threads';
import type { ConfigOverrides } from '../config/load-config.ts';
import { ColophonError, type Diagnostic } from '../diagnostics.ts';
import type { SourceFile } from '../edition/source.ts';
import type { Book } from '../model/book.ts';

export interface ModelTask {
  id: number;
  input: string;
  overrides?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  /** Read and write the chapter cache on disk (default true; `--no-cache` sets false). */
  cache?: boolean;
  /** Also list the files the build reads (the queue packs them). */
  wantSources?: boolean;
}

export type ModelReply =
  | { id: number; ok: true; book: Book; sources: SourceFile[]; ms: number }
  | { id: number; ok: false; diagnostics: Diagnostic[]; exitCode: number }
  | { id: number; ok: false; internal: string };

export interface Model {
  book: Book;
  sources: SourceFile[];
  ms: number;
}

/** The worker's entry: from the TypeScript sources it needs tsx registered in the thread (model-worker-boot.mjs). */
function spawnWorker(): Worker {
  const here = import.meta.url;
  // Beside this module: the library's .js, or the bundle's .cjs (src/cli/bundle.mjs).
  return new Worker(new URL(here.endsWith('.ts') ? './model-worker-boot.mjs' : here.endsWith('.cjs') ? './model-worker.cjs' : './model-worker.js', here));
}

interface Slot {
  worker: Worker;
  busy?: { task: ModelTask; resolve: (m: Model) => void; reject: (e: Error) => void };
}

export class ModelPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { task: ModelTask; resolve: (m: Model) => void; reject: (e: Error) => void }[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size: number) {}

  model(input: string, options: Omit<ModelTask, 'id' | 'input'> = {}): Promise<Model> {
    if (this.closed) return Promise.reject(new Error('the model pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ task: { id: this.nextId++, input, ...options }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.addSlot();
      if (!slot) return;
      const job = this.waiting.shift() as NonNullable<Slot['busy']>;
      slot.busy = job;
      slot.worker.postMessage(job.task);
    }
  }

  private addSlot(): Slot {
    const slot: Slot = { worker: spawnWorker() };
    slot.worker.on('message', (reply: ModelReply) => {
      const job = slot.busy;
      slot.busy = undefined;
      if (!job || job.task.id !== reply.id) return;
      if (reply.ok) job.resolve({ book: reply.book, sources: reply.sources, ms: reply.ms });
      else if ('diagnostics' in reply) job.reject(new ColophonError(reply.diagnostics, reply.exitCode));
      else job.reject(new Error(`internal error while modelling ${job.task.input}:\n${reply.internal}`));
      this.dispatch();
    });
    // A thread that dies (out of memory, a native crash) fails only its own book; a new thread takes its place.
    const died = (e: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.busy?.reject(e);
      slot.busy = undefined;
      if (!this.closed) this.dispatch();
    };
    slot.worker.on('error', died);
    slot.worker.on('exit', (code) => {
      if (!this.closed) died(new Error(`the model thread exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the model pool is closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
