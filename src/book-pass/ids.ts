/**
 * Unique element ids across the book. Every chapter is parsed on its own (and cached), so two
 * chapters may both have a `#introduction`; in one EPUB or web page, and in the print document, ids
 * must be unique. The first keeps its id, later ones get `-1`, `-2`…, and links are later resolved
 * through the per-chapter rename table. Footnote ids are already chapter-prefixed.
 *
 * Ids are put in Unicode NFC (links are too, links.ts): a heading typed decomposed (é as e + U+0301,
 * as some editors save it) and a link typed composed then name the same element.
 */
import type { Element } from 'hast';
import { chapterTrees, eachElement } from '../model/trees.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';

export interface BookIds {
  /** Every element id in the book → the chapter that holds it. */
  anchors: Record<string, string>;
  /** Per chapter id: id as written in that chapter → id in the book. */
  renames: Map<string, Map<string, string>>;
}

/** Makes ids unique in place (trees and footnotes of `parsed`) and returns where each one lives. */
export function makeIdsUnique(parsed: ParsedChapter[]): BookIds {
  const anchors: Record<string, string> = {};
  const used = new Set<string>(parsed.map((c) => c.id));
  for (const c of parsed) anchors[c.id] = c.id;
  const renames = new Map<string, Map<string, string>>();

  for (const chapter of parsed) {
    const map = new Map<string, string>();
    renames.set(chapter.id, map);
    const claim = (id: string): string => {
      let candidate = id;
      for (let n = 1; used.has(candidate); n++) candidate = `${id}-${n}`;
      used.add(candidate);
      anchors[candidate] = chapter.id;
      if (!map.has(id)) map.set(id, candidate);
      return candidate;
    };
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
        if (node.properties.id !== undefined && node.properties.id !== '') node.properties.id = claim(String(node.properties.id).normalize('NFC'));
      });
    }
    for (const note of chapter.footnotes) {
      note.id = map.get(note.id) ?? claim(note.id);
      note.refIds = note.refIds.map((r) => map.get(r) ?? r);
    }
  }
  return { anchors, renames };
}
