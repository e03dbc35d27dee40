/**
 * Connecting to the queue's Redis with clear failures: a wrong URL is a usage error, an unreachable
 * server says where it looked and what to do, within seconds instead of ioredis's endless retries.
 */
import { Redis } from 'ioredis';
import { ColophonError, error } from '../diagnostics.ts';

export const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/** The URL, checked; a usage error (exit 2) when it is not a Redis URL. */
export function redisUrl(value: string | undefined): string {
  const raw = value ?? process.env.COLOPHON_REDIS ?? DEFAULT_REDIS;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ColophonError(
      error('queue/redis-url', `"${raw}" is not a URL`, undefined, 'Give the queue as --redis redis://host:6379 (or rediss:// for TLS).'),
      2,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ColophonError(
      error(
        'queue/redis-url',
        `"${raw}" is not a Redis URL (${url.protocol.replace(/:$/, '')})`,
        undefined,
        'Give the queue as --redis redis://host:6379 (or rediss:// for TLS).',
      ),
      2,
    );
  }
  if (!url.hostname) throw new ColophonError(error('queue/redis-url', `"${raw}" names no host`, undefined, 'For example --redis redis://127.0.0.1:6379.'), 2);
  return raw;
}

const safe = (raw: string) => {
  const url = new URL(raw);
  if (url.password) url.password = '***';
  return url.toString();
};

/**
 * A connected client, or a clear error. `forWorker`: the client then retries commands forever and
 * reconnects after a lost connection (what BullMQ's workers need); the first connection must still
 * succeed within the timeout.
 */
export async function connectRedis(raw: string, options: { forWorker?: boolean; timeoutMs?: number } = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let connected = false;
  const client = new Redis(raw, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: options.forWorker ? null : 1,
    // Before the first connection: fail at once. After it: a worker waits for Redis to come back.
    retryStrategy: (times) => (connected && options.forWorker ? Math.min(times * 200, 5000) : null),
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    connected = true;
  } catch (e) {
    client.disconnect();
    const reason = (e as Error).message.split('\n')[0];
    throw new ColophonError(
      error(
        'queue/no-redis',
        `cannot reach Redis at ${safe(raw)}: ${reason}`,
        undefined,
        'Start it (`redis-server`, Debian package redis-server) or pass the right --redis redis://host:port; check the password and that the port is open to this machine.',
      ),
    );
  }
  return client;
}
