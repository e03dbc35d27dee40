/**
 * Faults: a build killed with SIGKILL at any moment leaves every file in dist/ either the complete old
 * one or the complete new one, and the next build removes the temp files a killed one could not; a
 * print browser that is missing, exits, crashes or hangs ends the build with a clear error within a
 * bounded time and leaves no browser process behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { cleanupHostile, snapshot, tempDir, tempFiles } from './helpers/hostile.ts';
import { alive, descendants, processes, sleep, spawnBuild, waitFor } from './helpers/hostile-procs.ts';
import { FIXTURE_BOOK } from './helpers/temp-book.ts';

afterAll(cleanupHostile);

const FILES = ['the-compositors-handbook.epub', 'the-compositors-handbook.html', 'the-compositors-handbook.pdf'];

describe('SIGKILL during a build', () => {
  let oldDist = '';
  let newDist = '';
  let oldFiles: Record<string, string> = {};
  let newFiles: Record<string, string> = {};
  // The web edition of an html-only build: without the PDF in the same run it has no page markers.
  let newHtmlOnly = '';

  beforeAll(async () => {
    // The "earlier build": the same book with different text, so every format differs.
    const older = tempDir('colophon-older-');
    fs.cpSync(FIXTURE_BOOK, older, { recursive: true });
    fs.appendFileSync(path.join(older, '01-opening.md'), '\n\nA paragraph only the earlier edition had.\n');
    oldDist = tempDir('colophon-old-dist-');
    newDist = tempDir('colophon-new-dist-');
    const htmlDist = tempDir('colophon-new-html-');
    const [a, b, c] = await Promise.all([
      spawnBuild([older, '-o', oldDist, '-q']).done,
      spawnBuild([FIXTURE_BOOK, '-o', newDist, '-q']).done,
      spawnBuild([FIXTURE_BOOK, '-o', htmlDist, '-q', '-t', 'html']).done,
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    newHtmlOnly = snapshot(htmlDist)['the-compositors-handbook.html'] as string;
    oldFiles = snapshot(oldDist);
    newFiles = snapshot(newDist);
    expect(Object.keys(oldFiles)).toEqual(FILES);
    for (const f of FILES) expect(oldFiles[f]).not.toBe(newFiles[f]);
  }, 180_000);

  function copyOld(): string {
    const dist = tempDir('colophon-kill-');
    fs.cpSync(oldDist, dist, { recursive: true });
    return dist;
  }

  /** Each output is the old or the new file, whole; temp files may only be left by the kill itself. */
  function expectOldOrNew(dist: string): string[] {
    const now = snapshot(dist);
    for (const f of FILES) expect([oldFiles[f], newFiles[f]], f).toContain(now[f]);
    const extra = Object.keys(now).filter((n) => !FILES.includes(n));
    expect(extra.filter((n) => !/^\..+\.\d+\.tmp$/.test(n))).toEqual([]);
    return extra;
  }

  async function killAt(dist: string, when: (finished: () => boolean, pid: number) => Promise<void>) {
    const run = spawnBuild([FIXTURE_BOOK, '-o', dist, '-q']);
    const pid = run.child.pid as number;
    const tree: number[] = [];
    let finished = false;
    void run.done.then(() => (finished = true));
    // Remember the browser processes while the parent lives: once it is killed they are re-parented.
    const watcher = setInterval(() => {
      for (const p of descendants(pid)) if (!tree.includes(p.pid)) tree.push(p.pid);
    }, 50);
    await when(() => finished, pid);
    clearInterval(watcher);
    run.child.kill('SIGKILL');
    const result = await run.done;
    return { result, finished, tree };
  }

  it('at 0.5 s, 2 s, 4 s and mid-print: every file whole, old or new, and no browser left running', async () => {
    const runs = await Promise.all(
      [500, 2000, 4000].map(async (ms) => {
        const dist = copyOld();
        const r = await killAt(dist, async () => {
          await sleep(ms);
        });
        return { dist, ms, ...r };
      }),
    );
    // And once Chromium is printing: SIGKILL cannot close it, so it must quit by itself.
    const dist = copyOld();
    const printing = await killAt(dist, async (finished, pid) => {
      await waitFor(() => (finished() || descendants(pid).some((p) => /--type=renderer/.test(p.cmdline)) ? true : undefined), 60_000);
      await sleep(300);
    });
    expect(printing.tree.length, 'Chromium was running when the build was killed').toBeGreaterThan(0);
    runs.push({ dist, ms: -1, ...printing });
    for (const run of runs) {
      expectOldOrNew(run.dist);
      // Chromium reads DevTools over a pipe and quits when its parent dies.
      const left = await waitFor(() => (alive(run.tree).length === 0 ? true : undefined), 15_000);
      expect(left, `browser processes left after a kill at ${run.ms} ms: ${alive(run.tree).join(', ')}`).toBe(true);
    }
  }, 180_000);

  it('right when a temp file appears; the next build removes what the kill left', async () => {
    const dist = copyOld();
    await killAt(dist, async (finished) => {
      // inotify sees the temp file at once; polling could miss the few milliseconds it exists.
      const watcher = fs.watch(dist);
      const seen = new Promise<void>((resolve) => watcher.on('change', (_event, name) => String(name).endsWith('.tmp') && resolve()));
      await Promise.race([seen, waitFor(() => (finished() ? true : undefined), 80_000)]);
      watcher.close();
    });
    // (Under heavy load the build may finish before the kill lands: then everything is new.)
    const left = expectOldOrNew(dist);
    // A temp file of a dead writer in any case, to make the clean-up certain to be exercised. Its pid is
    // above the kernel's pid_max, so no process can have it (an exit code as pid could be a live one).
    const deadPid = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
    const stale = `.the-compositors-handbook.html.${deadPid}.tmp`;
    fs.writeFileSync(path.join(dist, stale), 'half a file');
    const next = spawnBuild([FIXTURE_BOOK, '-o', dist, '-q', '-t', 'html']);
    const done = await next.done;
    expect(done.code, done.stderr).toBe(0);
    expect(tempFiles(dist), `left by the kill: ${left.join(', ')}`).toEqual([]);
    expect(snapshot(dist)['the-compositors-handbook.html']).toBe(newHtmlOnly);
  }, 240_000);
});

describe('the print browser missing, failing, crashing or hanging', () => {
  const book = FIXTURE_BOOK;

  function fakeBrowser(script: string): string {
    const file = path.join(tempDir('colophon-fake-chrome-'), 'chrome');
    fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return file;
  }

  async function buildWith(executable: string) {
    const dist = tempDir();
    fs.writeFileSync(path.join(dist, 'the-compositors-handbook.pdf'), 'old pdf');
    const before = snapshot(dist);
    const run = spawnBuild([book, '-o', dist, '-t', 'html,pdf'], { ...process.env, PUPPETEER_EXECUTABLE_PATH: executable });
    const result = await run.done;
    expect(result.code, result.stderr).toBe(1);
    expect(snapshot(dist)).toEqual(before);
    return result;
  }

  it('missing: a clear error at once', async () => {
    const r = await buildWith('/nonexistent/chromium');
    expect(r.stderr).toMatch(/error: PUPPETEER_EXECUTABLE_PATH=\/nonexistent\/chromium is not an executable file \[browser\/env-path\]\n {2}hint: /);
  });

  it('exits at once with status 1', async () => {
    const r = await buildWith(fakeBrowser('echo "cannot open display" >&2; exit 1'));
    expect(r.stderr).toMatch(/error: the print browser failed while starting: .* \[pdf\/browser\]\n {2}hint: /);
    // "At once" means without waiting for the 30 s launch limit; a hang guard, not a speed claim.
    expect(r.ms).toBeLessThan(25_000);
  });

  it('crashes on start (SIGSEGV)', async () => {
    const r = await buildWith(fakeBrowser('kill -SEGV $$'));
    expect(r.stderr).toMatch(/the print browser failed while starting: .* \[pdf\/browser\]/);
  });

  it.each([
    ['silently', ''],
    ['after announcing DevTools', 'echo "DevTools listening on ws://127.0.0.1:9/devtools/browser/x" >&2\n'],
  ])('hangs %s: fails after the launch timeout, and the hung process is killed at once', async (_how, prelude) => {
    const marker = `${Math.floor(1000 + Math.random() * 9000)}.${process.pid}`;
    const previous = process.env.PUPPETEER_EXECUTABLE_PATH;
    // The CLI waits 30 s for a browser to start; the library call takes a shorter limit.
    process.env.PUPPETEER_EXECUTABLE_PATH = fakeBrowser(`${prelude}exec sleep ${marker}`);
    const start = performance.now();
    try {
      await expect(PrintBrowser.launch({ launchMs: 2000 })).rejects.toThrow(/the print browser failed while starting: .*2 s/);
    } finally {
      if (previous === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = previous;
    }
    // Within the 2 s limit given, not Puppeteer's default 30 s: a hang guard with room for a loaded machine.
    expect(performance.now() - start).toBeLessThan(15_000);
    const gone = await waitFor(() => (processes().some((p) => p.cmdline.includes(`sleep ${marker}`) && p.state !== 'Z') ? undefined : true), 3000);
    expect(gone, 'the hung browser process is still running').toBe(true);
  });

  it('a real Chromium killed mid-print: a clear error, exit 1, no browser process left', async () => {
    const dist = tempDir();
    const run = spawnBuild([book, '-o', dist, '-t', 'pdf']);
    const pid = run.child.pid as number;
    // Generous waits: on a loaded 2-core machine the CLI alone can take many seconds to start.
    const browser = await waitFor(() => descendants(pid).find((p) => p.ppid === pid && /chrom/i.test(p.cmdline)), 90_000);
    expect(browser, 'Chromium did not start').toBeDefined();
    const tree = new Set<number>();
    await waitFor(() => {
      for (const p of descendants(pid)) tree.add(p.pid);
      // Wait for the renderer (a page is open) before killing the browser.
      return descendants(pid).some((p) => /--type=renderer/.test(p.cmdline)) ? true : undefined;
    }, 180_000);
    process.kill(browser?.pid as number, 'SIGKILL');
    const result = await run.done;
    expect(result.code).toBe(1);
    expect(result.stderr, result.stderr).toMatch(/error: the print browser failed while .*\[pdf\/browser\]\n {2}hint: /);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(fs.readdirSync(dist)).toEqual([]);
    const gone = await waitFor(() => (alive([...tree]).length === 0 ? true : undefined), 15_000);
    expect(gone, `left: ${alive([...tree]).join(', ')}`).toBe(true);
  }, 240_000);
});
