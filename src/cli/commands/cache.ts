import { type Command, usageError } from '../command.ts';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const cacheCommand: Command = {
  name: 'cache',
  usage: ['cache [info | clear]'],
  help: `The chapter cache: each chapter as parsed, kept between builds so that a build parses
only the chapters that changed since the last one. In $XDG_CACHE_HOME/colophon/chapters
(default ~/.cache/colophon/chapters), at most 512 MiB (least recently used go first).
Generated covers and the shipped fonts' character maps are kept there too.
  info                 Where it is and how much it holds (the default)
  clear                Delete every entry (downloaded browsers stay)`,
  options: {},
  async run({ positionals }, io) {
    const [action = 'info', ...extra] = positionals;
    if (extra.length > 0 || (action !== 'info' && action !== 'clear')) return usageError(io, `cache takes info or clear, got "${positionals.join(' ')}"`);
    // Loaded only now, like every command's work (the CLI starts faster).
    const { cacheInfo, chapterCacheDir, clearCache } = await import('../../disk-cache.ts');
    const dir = chapterCacheDir();
    if (action === 'clear') {
      const { entries, bytes } = clearCache(dir);
      io.out(`cleared ${dir}: ${entries} chapter(s), ${mib(bytes)}\n`);
      return 0;
    }
    const info = cacheInfo(dir);
    io.out(`${dir}: ${info.entries} chapter(s), ${mib(info.bytes)} of at most ${mib(info.limit)}\n`);
    return 0;
  },
};
