#!/usr/bin/env node
// Colophon runs its TypeScript sources directly (tsx): there is no compiled copy to go stale, and
// dist/ holds only generated books.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
