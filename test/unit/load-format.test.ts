/** The lazy format table (outputs/load-format.ts) says of each format what its module says. */
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/outputs/format-names.ts';
import { FORMATS } from '../../src/outputs/index.ts';
import { FORMAT_TABLE } from '../../src/outputs/load-format.ts';

describe('lazy output formats', () => {
  it.each(FORMAT_NAMES)('%s: same extension, needs and order as its module, and loads it', async (name) => {
    const entry = FORMAT_TABLE[name];
    const format = FORMATS[name];
    expect(entry.extension).toBe(format.extension);
    expect(entry.needs).toEqual(format.needs ?? []);
    expect(entry.after ?? []).toEqual(format.after ?? []);
    expect(await entry.load()).toBe(format);
  });

  it('lists the formats in the order of the static table', () => {
    expect(Object.keys(FORMAT_TABLE)).toEqual(Object.keys(FORMATS));
  });
});
