/**
 * The bundled program (lib/bundle/run.cjs, made by src/cli/bundle.mjs), which the installed command
 * lib/bundle/colophon.cjs runs with a code cache. Development runs the same main() from source through
 * bin.mjs instead. CommonJS, so no top-level await.
 */
import { main } from './main.ts';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
