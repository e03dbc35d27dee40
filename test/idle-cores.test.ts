import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freeCores } from '../src/pipeline/idle-cores.ts';

describe('cores other processes leave free', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts idle time and this process’s own time over the span, capped at the usable cores', () => {
    const at = (ms: number, idleMs: number, ownMs: number) => ({ at: ms, idleMs, ownMs });
    // Two cores over 500 ms: one idle, one busy with this process.
    expect(freeCores(at(0, 1000, 50), at(500, 1500, 550), 2)).toBeCloseTo(2);
    // This process on one core, another process on the other.
    expect(freeCores(at(0, 1000, 50), at(500, 1000, 550), 2)).toBeCloseTo(1);
    // Others keep most of both cores busy (the shared machine at load 19).
    expect(freeCores(at(0, 1000, 0), at(500, 1040, 60), 2)).toBeCloseTo(0.2);
    // Sixteen idle host cores seen from a container allowed two.
    expect(freeCores(at(0, 0, 0), at(100, 1600, 0), 2)).toBe(2);
    expect(freeCores(at(100, 0, 0), at(100, 50, 0), 2)).toBe(0);
  });

  it('reads the kernel’s counters: every core idle, or every core busy with another process', async () => {
    const real = os.cpus;
    const cpus = (idle: () => number) => () => real().map((c) => ({ ...c, times: { ...c.times, idle: idle() } }));
    // The module takes its first sample when it loads: loaded afresh under each mock.
    const fresh = async () => {
      vi.resetModules();
      return (await import('../src/pipeline/idle-cores.ts')).coresFreeOfOthers();
    };
    vi.spyOn(os, 'cpus').mockImplementation(cpus(() => performance.now()));
    expect(await fresh()).toBe(Math.min(os.availableParallelism(), real().length));
    vi.spyOn(os, 'cpus').mockImplementation(cpus(() => 0));
    // Waiting for the span, this process uses next to nothing of any core.
    expect(await fresh()).toBeLessThan(0.5);
  });
});
