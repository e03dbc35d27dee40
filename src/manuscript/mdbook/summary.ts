/**
 * mdBook's SUMMARY.md: the book's chapters, their order and nesting. The grammar is mdBook's
 * (https://rust-lang.github.io/mdBook/format/summary.html): an optional `# Title`, prefix chapters
 * (links, not list items), part titles (`# Part`), numbered chapters as nested list items, separators
 * (`---`), suffix chapters, and draft chapters (a link with no target). The Markdown itself is read
 * by remark, as everywhere else; only the grammar on top of it is ours.
 */
import type { Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { type Diagnostic, type SourceLocation, warning } from '../../diagnostics.ts';

export type SummaryEntry =
  | {
      kind: 'chapter';
      title: string;
      /** The link target as written, relative to the `src` folder. */
      path: string;
      /** Nesting depth of numbered chapters (1 = top); prefix and suffix chapters are 1. */
      depth: number;
      section: 'prefix' | 'numbered' | 'suffix';
      location: SourceLocation;
    }
  | { kind: 'draft'; title: string; depth: number; location: SourceLocation }
  | { kind: 'part'; title: string /** The title's Markdown as written. */; markdown: string; location: SourceLocation }
  | { kind: 'separator'; location: SourceLocation };

export interface Summary {
  entries: SummaryEntry[];
  diagnostics: Diagnostic[];
}

const parser = unified().use(remarkParse);

export function parseSummary(text: string, file: string): Summary {
  const tree = parser.parse(text) as Root;
  const entries: SummaryEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (node: { position?: { start: { line: number; column: number } } | undefined }): SourceLocation => ({
    file,
    ...(node.position ? { line: node.position.start.line, column: node.position.start.column } : {}),
  });
  let seenContent = false;
  let seenNumbered = false;

  const chapterLinks = (paragraph: Paragraph): Link[] => paragraph.children.filter((c): c is Link => c.type === 'link');

  const addLink = (link: Link, depth: number, section: 'prefix' | 'numbered' | 'suffix') => {
    const title = mdastToString(link).trim();
    if (link.url.trim() === '') entries.push({ kind: 'draft', title, depth, location: at(link) });
    else entries.push({ kind: 'chapter', title, path: decodePath(link.url), depth, section, location: at(link) });
  };

  const walkList = (list: List, depth: number) => {
    for (const item of list.children as ListItem[]) {
      const first = item.children[0];
      const link = first?.type === 'paragraph' ? chapterLinks(first)[0] : undefined;
      if (link) addLink(link, depth, 'numbered');
      else {
        diagnostics.push(
          warning(
            'mdbook/summary-item',
            `list item "${mdastToString(item).split('\n')[0]?.trim()}" in SUMMARY.md is not a link to a chapter; it is left out`,
            at(item),
            'Write each numbered chapter as a link: `- [Title](file.md)`, or `- [Title]()` for a draft.',
          ),
        );
      }
      for (const child of item.children) if (child.type === 'list') walkList(child, depth + 1);
    }
  };

  for (const node of tree.children as RootContent[]) {
    if (node.type === 'heading') {
      // The first thing in the file, if a heading, is the summary's own title ("# Summary").
      if (!seenContent) {
        seenContent = true;
        continue;
      }
      const first = node.children[0]?.position?.start.offset;
      const last = node.children.at(-1)?.position?.end.offset;
      const markdown = first !== undefined && last !== undefined ? text.slice(first, last) : mdastToString(node);
      entries.push({ kind: 'part', title: mdastToString(node).trim(), markdown, location: at(node) });
      continue;
    }
    if (node.type === 'thematicBreak') {
      seenContent = true;
      entries.push({ kind: 'separator', location: at(node) });
      continue;
    }
    if (node.type === 'list') {
      seenContent = true;
      seenNumbered = true;
      walkList(node, 1);
      continue;
    }
    if (node.type === 'paragraph') {
      seenContent = true;
      const links = chapterLinks(node);
      for (const link of links) addLink(link, 1, seenNumbered ? 'suffix' : 'prefix');
      const stray = node.children.filter((c: PhrasingContent) => c.type !== 'link' && !(c.type === 'text' && c.value.trim() === '') && c.type !== 'break');
      if (stray.length > 0) {
        diagnostics.push(
          warning(
            'mdbook/summary-text',
            'text in SUMMARY.md that is not a chapter link is not part of the book',
            at(node),
            'SUMMARY.md lists chapters as links; put prose into a chapter file.',
          ),
        );
      }
    }
    // HTML comments and anything else mdBook itself ignores.
  }
  return { entries, diagnostics };
}

function decodePath(url: string): string {
  try {
    return decodeURI(url.trim());
  } catch {
    return url.trim();
  }
}
