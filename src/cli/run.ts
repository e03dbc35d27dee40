#!/usr/bin/env node
/**
 * The installed `colophon` command (package.json "bin"), compiled to lib/cli/run.js. Development runs
 * the same main() from source through bin.mjs instead.
 */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
