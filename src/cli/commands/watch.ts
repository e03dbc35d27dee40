import { type Command, guarded, printDiagnostics, str, usageError } from '../command.ts';

export const watchCommand: Command = {
  name: 'watch',
  usage: ['watch [manuscript] [--port 4173] [--no-cache]'],
  help: `Serve a live preview on 127.0.0.1 and rebuild on every change to the manuscript or the
theme: the web edition at /, the print layout at /print (one sheet per page-level block) and the
real PDF at /print.pdf (printed on demand). Only edited chapters are parsed again. Errors show in
the terminal and over the last good preview. Ctrl-C stops it.
  -p, --port PORT      Port (default: 4173; 0 picks a free one)
  --no-cache           Parse every chapter at start and neither read nor write the chapter cache
                       on disk (edited chapters are still reparsed alone)`,
  options: { port: { type: 'string', short: 'p' }, 'no-cache': { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) return usageError(io, `watch takes one manuscript, got ${positionals.length}: ${positionals.join(' ')}`);
    const portText = str(values.port) ?? '4173';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) return usageError(io, `--port must be a number from 0 to 65535, got "${portText}"`);
    return guarded(io, 'watch', async () => {
      const { startPreview } = await import('../../preview/server.ts');
      const server = await startPreview({
        input: positionals[0] ?? 'manuscript',
        port,
        ...(values['no-cache'] === true ? { cache: false } : {}),
        onBuild: (r) => {
          if (r.ok) {
            printDiagnostics(io, r.warnings, { grouped: true });
            io.err(`rebuilt in ${r.ms.toFixed(0)} ms (${r.parsed} chapter(s) parsed, ${r.cached} cached), ${r.warnings.length} warning(s)\n`);
          } else {
            printDiagnostics(io, r.errors);
            io.err(`build failed: ${r.errors.length} error(s); the preview keeps the last good build\n`);
          }
        },
      });
      io.out(`preview: ${server.url} (web)  ${server.url}print (print)  ${server.url}print.pdf (PDF)\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      io.err('stopping…\n');
      await server.close();
      return 0;
    });
  },
};
