import type { Command } from '../command.ts';

export const setupCommand: Command = {
  name: 'setup',
  usage: ['setup [--optional] [--test-tools]'],
  help: `Find or install the Chromium the PDF stage prints with (npm install runs it).
  --optional           Never fail, only advise
  --test-tools         Also the tools the tests read books with: poppler-utils, qpdf,
                       Ghostscript, Java and EPUBCheck (npm test runs it; apt-get as root on Debian)`,
  options: { optional: { type: 'boolean' }, 'test-tools': { type: 'boolean' } },
  async run({ values }, io) {
    const { NO_BROWSER_HINT, setupBrowser } = await import('../../browser/setup-browser.ts');
    if (values['test-tools'] === true) {
      const { setupTestTools } = await import('../../browser/setup-test-tools.ts');
      const tools = setupTestTools();
      for (const step of tools.steps) io.err(`colophon setup: ${step}\n`);
      if (tools.missing.length > 0) {
        io.err(`colophon setup: the tests need ${tools.missing.join(', ')}.\n  hint: on Debian/Ubuntu: sudo apt-get install ${tools.missing.join(' ')}\n`);
        if (values.optional !== true) return 1;
      }
    }
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
