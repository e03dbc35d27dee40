/** The CLI's commands, in the order --help lists them. A new command is one file and one line here. */
import type { Command } from '../command.ts';
import { buildCommand } from './build.ts';
import { cacheCommand } from './cache.ts';
import { checkCommand } from './check.ts';
import { editionCommand } from './edition.ts';
import { initCommand } from './init.ts';
import { queueCommand } from './queue.ts';
import { setupCommand } from './setup.ts';
import { watchCommand } from './watch.ts';
import { workerCommand } from './worker.ts';

export const COMMANDS: Command[] = [
  buildCommand,
  watchCommand,
  checkCommand,
  initCommand,
  editionCommand,
  queueCommand,
  workerCommand,
  setupCommand,
  cacheCommand,
];
