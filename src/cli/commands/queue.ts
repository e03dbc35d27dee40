import { type Command, guarded, type Io, type ParsedArgs, printDiagnostics, str, usageError } from '../command.ts';
import { jobsOption } from '../jobs.ts';

const SUBCOMMANDS = ['add', 'status', 'results'];

export const queueCommand: Command = {
  name: 'queue',
  usage: [
    'queue add <manuscript…> [--redis URL] [-t FORMATS] [-j N] [--json]',
    'queue status [--redis URL] [--json]',
    'queue results <dir> [--redis URL] [--json]',
  ],
  help: `Build a catalogue on several machines through a BullMQ queue on Redis; run
\`colophon worker\` on each machine that builds. Jobs carry the manuscript (exactly the files
its build reads, as a content-addressed archive), so workers need no shared disk.
  add MANUSCRIPT…      One job per book (folders, .md files or a catalogue.yaml). A job is keyed
                       by the manuscript's content, Colophon's version and the options: adding an
                       unchanged book again keeps its stored result; a failed one is queued again
  status               Every title with its state, tries, worker, pages and time
  results DIR          Writes each built title's files to DIR/<slug>/ and DIR/report.json;
                       exit 0 only when every title is built
      --redis URL      The queue's Redis (default: $COLOPHON_REDIS, else redis://127.0.0.1:6379)
      --queue NAME     Queue name, to keep catalogues apart on one Redis (default: colophon)
  -t, --to FORMATS     (add) Formats for titles that name none (default: a build's defaults)
  -j, --jobs N         (add) Books read and packed at a time (default: the number of cores)
      --json           Print the result as JSON (for CI)`,
  options: {
    redis: { type: 'string' },
    queue: { type: 'string' },
    to: { type: 'string', short: 't' },
    jobs: { type: 'string', short: 'j' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    if (sub === undefined) return usageError(io, `queue needs a subcommand: ${SUBCOMMANDS.join(', ')}`);
    if (!SUBCOMMANDS.includes(sub)) return usageError(io, `unknown queue subcommand "${sub}" (choose from ${SUBCOMMANDS.join(', ')})`);
    const misplaced = (['to', 'jobs'] as const).find((o) => sub !== 'add' && args.values[o] !== undefined);
    if (misplaced) return usageError(io, `--${misplaced} applies to queue add only`);
    const name = str(args.values.queue) ?? 'colophon';
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) return usageError(io, `--queue takes a plain name (letters, digits, . _ -), got "${name}"`);
    if (sub === 'add') {
      if (rest.length === 0) return usageError(io, 'queue add needs at least one manuscript (a folder, a .md file or a catalogue.yaml)');
      const jobs = jobsOption(args.values.jobs);
      if (typeof jobs === 'string') return usageError(io, jobs);
      return add(rest, name, jobs, args, io);
    }
    if (sub === 'status') {
      if (rest.length > 0) return usageError(io, `queue status takes no arguments, got: ${rest.join(' ')}`);
      return status(name, args, io);
    }
    if (rest.length !== 1) return usageError(io, 'queue results takes one folder to write the results to, e.g. `colophon queue results dist`');
    return results(rest[0] as string, name, args, io);
  },
};

/** Opens the queue (a clear error for a wrong URL or no Redis), runs `body`, and always disconnects. */
async function withQueue<T>(args: ParsedArgs, name: string, body: (q: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const opened = await open(args, name);
  try {
    return await body(opened);
  } finally {
    await opened.queue.close();
    opened.redis.disconnect();
  }
}

async function open(args: ParsedArgs, name: string) {
  const { connectRedis, redisUrl } = await import('../../queue/redis.ts');
  const { openQueue } = await import('../../queue/jobs.ts');
  const redis = await connectRedis(redisUrl(str(args.values.redis)));
  return { redis, queue: openQueue(redis, name) };
}

function add(manuscripts: string[], name: string, jobs: number, args: ParsedArgs, io: Io): Promise<number> {
  return guarded(io, 'queue add', async () => {
    const formats = str(args.values.to)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const { checkFormats } = await import('../../build.ts');
    if (formats) checkFormats(formats);
    const { resolveTitles } = await import('../../catalogue/titles.ts');
    const titles = resolveTitles(manuscripts);
    const { addTitles } = await import('../../queue/add.ts');
    const added = await withQueue(args, name, ({ redis, queue }) => addTitles(redis, queue, titles, { jobs, ...(formats ? { formats } : {}) }));
    const refused = added.filter((a) => a.outcome === 'refused');
    if (args.values.json === true) io.out(`${JSON.stringify({ ok: refused.length === 0, titles: added }, null, 2)}\n`);
    else {
      const words = {
        queued: 'queued',
        stored: 'already built (stored result kept)',
        pending: 'already queued',
        retried: 'had failed: queued again',
        refused: 'REFUSED',
      };
      for (const a of added) io.out(`  ${words[a.outcome]}: ${a.title ?? a.label}${a.jobId ? `  (${a.jobId})` : ''}\n`);
      for (const a of refused) printDiagnostics(io, a.errors);
      io.err(
        `${added.length} title(s): ${added.filter((a) => a.outcome === 'queued' || a.outcome === 'retried').length} to build, ${refused.length} refused\n`,
      );
    }
    return refused.length > 0 ? 1 : 0;
  });
}

function status(name: string, args: ParsedArgs, io: Io): Promise<number> {
  return guarded(io, 'queue status', async () => {
    const { listJobs } = await import('../../queue/collect.ts');
    const rows = (await withQueue(args, name, ({ queue }) => listJobs(queue))).filter((r) => !r.superseded);
    if (args.values.json === true) {
      io.out(`${JSON.stringify({ titles: rows }, null, 2)}\n`);
      return 0;
    }
    const { formatSummary } = await import('../../catalogue/summary.ts');
    const table = rows.map((r) => ({
      name: r.title,
      status:
        r.state === 'completed'
          ? `built (${r.report?.worker ?? '?'})`
          : r.state === 'failed'
            ? 'FAILED'
            : `${r.state}${r.attempts > 0 ? `, try ${r.attempts}` : ''}`,
      ...(r.report?.pages === undefined ? {} : { pages: r.report.pages }),
      ms: r.report?.ms ?? 0,
      warnings: r.report?.warnings.length ?? 0,
      errors: r.errors,
    }));
    if (rows.length === 0) io.out(`queue "${name}" holds no titles (add some with \`colophon queue add <manuscript…>\`)\n`);
    else {
      const count = (s: string) => rows.filter((r) => r.state === s).length;
      const waiting = rows.length - count('completed') - count('failed') - count('active');
      io.out(formatSummary(table));
      io.out(`${rows.length} title(s): ${count('completed')} built, ${count('active')} building, ${waiting} waiting, ${count('failed')} failed\n`);
    }
    return 0;
  });
}

function results(dir: string, name: string, args: ParsedArgs, io: Io): Promise<number> {
  return guarded(io, 'queue results', async () => {
    const { collectResults } = await import('../../queue/collect.ts');
    const collected = await withQueue(args, name, ({ redis, queue }) => collectResults(redis, queue, dir));
    if (args.values.json === true) io.out(`${JSON.stringify({ ok: collected.ok, written: collected.written }, null, 2)}\n`);
    else {
      for (const file of collected.written) io.out(`${file}\n`);
      for (const r of collected.rows.filter((x) => x.state !== 'completed')) {
        io.err(`${r.state === 'failed' ? 'FAILED' : `not built yet (${r.state})`}: ${r.title}\n`);
        printDiagnostics(io, r.errors);
      }
    }
    return collected.ok ? 0 : 1;
  });
}
