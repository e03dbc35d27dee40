import { NO_BROWSER_HINT, setupBrowser } from '../../browser/setup-browser.ts';
import type { Command } from '../command.ts';

export const setupCommand: Command = {
  name: 'setup',
  usage: ['setup [--optional]'],
  help: `Find or install the Chromium the PDF stage prints with (npm install runs it).
  --optional           Never fail, only advise`,
  options: { optional: { type: 'boolean' } },
  async run({ values }, io) {
    const report = await setupBrowser();
    for (const step of report.steps) io.err(`colophon setup: ${step}\n`);
    if (report.found) {
      io.out(`colophon setup: PDF stage will print with ${report.found.executablePath} (${report.found.source})\n`);
      return 0;
    }
    io.err(`colophon setup: no Chromium or Chrome found; the PDF stage will not work until one is installed.\n  hint: ${NO_BROWSER_HINT}\n`);
    return values.optional === true ? 0 : 1;
  },
};
