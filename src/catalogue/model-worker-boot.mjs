// The model thread's entry when Colophon runs from its TypeScript sources (node src/cli/bin.mjs, the
// tests): loader hooks registered in the main thread do not reach worker threads on Node 20, so the
// thread registers tsx itself, as bin.mjs does. Compiled (lib/), model-worker.js is started directly.
import { register } from 'tsx/esm/api';

register();
await import('./model-worker.ts');
