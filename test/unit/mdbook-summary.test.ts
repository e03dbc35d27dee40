import { describe, expect, it } from 'vitest';
import { parseSummary } from '../../src/manuscript/mdbook/summary.ts';

const SUMMARY = `# Summary

[Preface](preface.md)

---

# Part One: *Basics*

- [Getting Started](start/index.md)
    - [Install](start/install.md)
        - [On Linux](start/linux.md)
    - [Drafted]()
- [Second](second.md)

---

# Part Two

1. [Third](third%20one.md)

[Appendix](appendix.md)
<!-- a comment -->
`;

describe("mdBook's SUMMARY.md", () => {
  it('reads prefix, part titles, nested numbered chapters, drafts, separators and suffix chapters in order', () => {
    const { entries, diagnostics } = parseSummary(SUMMARY, 'SUMMARY.md');
    expect(diagnostics).toEqual([]);
    expect(
      entries.map((e) => [e.kind, 'title' in e ? e.title : '', 'path' in e ? e.path : '', 'depth' in e ? e.depth : '', 'section' in e ? e.section : '']),
    ).toEqual([
      ['chapter', 'Preface', 'preface.md', 1, 'prefix'],
      ['separator', '', '', '', ''],
      ['part', 'Part One: Basics', '', '', ''],
      ['chapter', 'Getting Started', 'start/index.md', 1, 'numbered'],
      ['chapter', 'Install', 'start/install.md', 2, 'numbered'],
      ['chapter', 'On Linux', 'start/linux.md', 3, 'numbered'],
      ['draft', 'Drafted', '', 2, ''],
      ['chapter', 'Second', 'second.md', 1, 'numbered'],
      ['separator', '', '', '', ''],
      ['part', 'Part Two', '', '', ''],
      ['chapter', 'Third', 'third one.md', 1, 'numbered'],
      ['chapter', 'Appendix', 'appendix.md', 1, 'suffix'],
    ]);
    expect(entries[2]).toMatchObject({ markdown: 'Part One: *Basics*', location: { file: 'SUMMARY.md', line: 7 } });
    expect(entries[4]).toMatchObject({ location: { line: 10 } });
  });

  it('reports list items that are not links, at their line', () => {
    const { entries, diagnostics } = parseSummary('- [A](a.md)\n- Just words\n', 'SUMMARY.md');
    expect(entries).toHaveLength(1);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'mdbook/summary-item', location: { line: 2 } }]);
  });
});
