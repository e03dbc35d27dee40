import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { fileDiagnostics, report } from '../../src/pipeline/messages.ts';

describe('messages', () => {
  it('turns plugin reports into diagnostics with file, line, column, code and hint', () => {
    const file = new VFile({ value: 'x' });
    const node = { type: 'text', position: { start: { line: 4, column: 2 }, end: { line: 4, column: 5 } } };
    report(file, 'error', 'html/active-content', 'bad', node, 'Remove it.');
    report(file, 'warning', 'link/empty', 'odd', undefined);
    expect(fileDiagnostics(file, '/book/ch.md')).toEqual([
      { severity: 'error', code: 'html/active-content', message: 'bad', location: { file: '/book/ch.md', line: 4, column: 2 }, hint: 'Remove it.' },
      { severity: 'warning', code: 'link/empty', message: 'odd', location: { file: '/book/ch.md' } },
    ]);
  });

  it('names messages from other plugins by their source', () => {
    const file = new VFile({ value: 'x' });
    file.message('unknown language', { ruleId: 'missing-language', source: 'rehype-highlight' });
    expect(fileDiagnostics(file, 'c.md')[0]?.code).toBe('rehype-highlight/missing-language');
  });
});
