/**
 * What every step of the book pass shares: where the manuscript is, where each chapter came from,
 * the problems found so far, and the images registered so far. One object instead of out-parameters,
 * so that a step's signature says what it reads and not how the others keep their books.
 */
import path from 'node:path';
import type { Element } from 'hast';
import type { Diagnostic, SourceLocation } from '../diagnostics.ts';
import type { Asset } from '../model/book.ts';

export interface PassContext {
  /** Absolute manuscript folder: everything a book refers to must lie inside it. */
  root: string;
  /** Absolute path of a chapter's source file, by the chapter's `source` (relative path). */
  sourcePath(relPath: string): string;
  /** Errors and warnings, in the order found; the caller decides whether errors stop the build. */
  diagnostics: Diagnostic[];
  /** Images registered so far, by absolute file path: each file becomes one asset, however often used. */
  images: Map<string, Asset>;
  /** Folders an image is also looked up in after its chapter's own (Pandoc projects: the project folder). */
  resourceRoots: string[];
}

export function passContext(root: string, sourcePath: (relPath: string) => string, resourceRoots: string[] = []): PassContext {
  return { root, sourcePath, diagnostics: [], images: new Map(), resourceRoots };
}

/** Where an element was written: its chapter file, and its line and column when the tree kept them. */
export function elementLocation(file: string, node: Element): SourceLocation {
  return { file, ...(node.position ? { line: node.position.start.line, column: node.position.start.column } : {}) };
}

/** The folder a chapter's relative links and images are resolved from. */
export const chapterDir = (ctx: PassContext, source: string) => path.dirname(ctx.sourcePath(source));
