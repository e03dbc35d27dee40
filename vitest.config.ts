import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A chapter cache per test file, never the user's (test/setup-cache.ts).
    setupFiles: ['test/setup-cache.ts'],
    // Two cores: files run in two forks; PDF tests share one browser per fork.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
