/**
 * Every path a manuscript names (chapters, images, cover, styles) must stay inside the manuscript
 * folder, also after following symlinks: a book from someone else must not be able to pull
 * /etc/passwd into its outputs.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Resolved = { ok: true; path: string } | { ok: false; reason: 'outside' | 'missing' | 'absolute' | 'url' };

export function resolveInside(root: string, from: string, ref: string): Resolved {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return { ok: false, reason: 'url' };
  if (path.isAbsolute(ref)) return { ok: false, reason: 'absolute' };
  let decoded = ref;
  try {
    decoded = decodeURIComponent(ref);
  } catch {
    // Keep the raw reference: a stray % is a plain character in a file name.
  }
  const candidate = path.resolve(from, decoded);
  if (!isInside(root, candidate)) return { ok: false, reason: 'outside' };
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (!isInside(fs.realpathSync(root), real)) return { ok: false, reason: 'outside' };
  return { ok: true, path: candidate };
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function describeRefusal(reason: Exclude<Resolved, { ok: true }>['reason']): string {
  switch (reason) {
    case 'outside':
      return 'points outside the manuscript folder';
    case 'absolute':
      return 'is an absolute path';
    case 'url':
      return 'is a URL, not a file in the manuscript';
    case 'missing':
      return 'does not exist';
  }
}
