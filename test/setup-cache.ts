/**
 * Every test file gets a chapter cache of its own in a temporary folder: no test reads or writes the
 * user's ~/.cache/colophon, and no file finds chapters parsed by another (tests that count parses expect
 * a cold cache). The CLI processes tests start inherit the variable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-test-cache-'));
process.env.XDG_CACHE_HOME = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
