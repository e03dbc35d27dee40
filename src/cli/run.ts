#!/usr/bin/env node
/**
 * The installed `colophon` command (package.json "bin"): bundled with every module it loads into
 * lib/bundle/run.js (src/cli/bundle.mjs). Development runs the same main() from source through bin.mjs instead.
 */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
