import path from 'node:path';
import { type Command, guarded, str, usageError } from '../command.ts';

export const initCommand: Command = {
  name: 'init',
  usage: ['init <dir> [--title TITLE]'],
  help: `Create a new book in dir (new or empty): book.yaml with every key explained, two sample
chapters, a placeholder cover and a stylesheet for your overrides. It builds at once.
  --title TITLE        The book's title (default: from the folder name)`,
  options: { title: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) return usageError(io, `init takes one folder, got ${positionals.length}`);
    const dir = positionals[0] as string;
    return guarded(io, 'init', async () => {
      const { scaffold } = await import('../../init/scaffold.ts');
      const title = str(values.title);
      const files = scaffold(dir, title ? { title } : {});
      for (const f of files) io.out(`${path.join(dir, f)}\n`);
      io.err(`created a new book in ${dir}; build it with: colophon build ${dir} -o ${path.join(dir, 'dist')}\n`);
      return 0;
    });
  },
};
