import { type Command, guarded, str, usageError } from '../command.ts';
import { jobsOption } from '../jobs.ts';

export const workerCommand: Command = {
  name: 'worker',
  usage: ['worker [--redis URL] [-j N] [--lock SECONDS] [--quiet]'],
  help: `Build books from the queue (see \`colophon queue\`) until stopped with Ctrl-C or SIGTERM,
which lets the books in progress finish. Run one per machine; each builds -j books at a time
with one shared Chromium. A worker that is killed loses nothing: its job is taken over by
another worker (or by it, restarted) once its lock expires, and tried at most twice.
      --redis URL      The queue's Redis (default: $COLOPHON_REDIS, else redis://127.0.0.1:6379)
      --queue NAME     Queue name (default: colophon)
  -j, --jobs N         Books built at a time (default: the number of cores)
      --lock SECONDS   How long a job stays claimed by a worker that stopped answering
                       before another takes it over (default: 30)
  -q, --quiet          Print only failures`,
  options: {
    redis: { type: 'string' },
    queue: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    lock: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) return usageError(io, `worker takes no arguments, got: ${positionals.join(' ')}`);
    const jobs = jobsOption(values.jobs);
    if (typeof jobs === 'string') return usageError(io, jobs);
    const lockText = str(values.lock) ?? '30';
    const lockSeconds = Number(lockText);
    if (!/^\d+(\.\d+)?$/.test(lockText) || lockSeconds < 1 || lockSeconds > 3600)
      return usageError(io, `--lock takes seconds from 1 to 3600, got "${lockText}"`);
    const name = str(values.queue) ?? 'colophon';
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) return usageError(io, `--queue takes a plain name (letters, digits, . _ -), got "${name}"`);
    const quiet = values.quiet === true;
    return guarded(io, 'worker', async () => {
      const { connectRedis, redisUrl } = await import('../../queue/redis.ts');
      const { startWorker } = await import('../../queue/worker.ts');
      const url = redisUrl(str(values.redis));
      const connection = await connectRedis(url, { forWorker: true });
      const worker = await startWorker({
        connection,
        queue: name,
        jobs,
        lockMs: Math.round(lockSeconds * 1000),
        onEvent: ({ kind, job, message }) => {
          const title = job.returnvalue?.title ?? job.name;
          if (kind === 'start' && !quiet) io.err(`building ${title} (${job.id}, try ${job.attemptsStarted ?? job.attemptsMade + 1})\n`);
          if (kind === 'done' && !quiet) io.err(`built ${title} in ${((job.returnvalue?.ms ?? 0) / 1000).toFixed(1)} s\n`);
          if (kind === 'failed') io.err(`FAILED ${title}: ${message ?? 'unknown error'}\n`);
        },
      });
      io.err(`worker ${worker.id} on queue "${name}", ${jobs} book(s) at a time; Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      io.err('stopping: letting the books in progress finish…\n');
      await worker.close();
      connection.disconnect();
      return 0;
    });
  },
};
