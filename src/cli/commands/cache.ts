import fs from 'node:fs';
import path from 'node:path';
import type { EntryKind } from '../../disk-cache.ts';
import { type Command, usageError } from '../command.ts';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** How many entries, and of which kind: the folder holds more than parsed chapters. */
function contents(info: { entries: number; kinds: Record<EntryKind, number> }): string {
  const labels: [EntryKind, string][] = [
    ['chapter', 'parsed chapter(s)'],
    ['rendered', 'set(s) of serialised chapters'],
    ['font', 'font fact(s)'],
    ['cover', 'drawn cover(s)'],
  ];
  const kinds = labels.filter(([kind]) => info.kinds[kind] > 0).map(([kind, label]) => `${info.kinds[kind]} ${label}`);
  return `${info.entries} ${info.entries === 1 ? 'entry' : 'entries'}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
}

export const cacheCommand: Command = {
  name: 'cache',
  usage: ['cache [info | clear]'],
  help: `The chapter cache: each chapter as parsed, kept between builds so that a build parses
only the chapters that changed since the last one. In $XDG_CACHE_HOME/colophon/chapters
(default ~/.cache/colophon/chapters), at most 512 MiB (least recently used go first).
Generated covers, the shipped fonts' character maps and chapters already serialised for
the EPUB and the web edition are kept there too; the command's own compiled code beside it
(colophon/code).
  info                 Where it is and how much it holds (the default)
  clear                Delete every entry and the compiled code (downloaded browsers stay)`,
  options: {},
  async run({ positionals }, io) {
    const [action = 'info', ...extra] = positionals;
    if (extra.length > 0 || (action !== 'info' && action !== 'clear')) return usageError(io, `cache takes info or clear, got "${positionals.join(' ')}"`);
    // Loaded only now, like every command's work (the CLI starts faster).
    const { cacheInfo, chapterCacheDir, clearCache } = await import('../../disk-cache.ts');
    const dir = chapterCacheDir();
    if (action === 'clear') {
      const cleared = clearCache(dir);
      // The bin's V8 code caches (src/cli/colophon.cjs): made again by the next run of each command.
      fs.rmSync(path.join(path.dirname(dir), 'code'), { recursive: true, force: true });
      io.out(`cleared ${dir}: ${contents(cleared)}, ${mib(cleared.bytes)}\n`);
      return 0;
    }
    const info = cacheInfo(dir);
    io.out(`${dir}: ${contents(info)}, ${mib(info.bytes)} of at most ${mib(info.limit)}\n`);
    return 0;
  },
};
