import { describe, expect, it } from 'vitest';
import { deriveFileAs } from '../../src/book-pass/sort-name.ts';

describe('sort names (file-as)', () => {
  it.each([
    ['Herman Melville', 'en', 'Melville, Herman'],
    ['Jane Austen', 'en-GB', 'Austen, Jane'],
    ['H. G. Wells', 'en', 'Wells, H. G.'],
    ['Flann O’Brien', 'en', 'O’Brien, Flann'],
    ['Jean-Paul Sartre', 'fr', 'Sartre, Jean-Paul'],
    ['Лев Толстой', 'ru', 'Толстой, Лев'],
  ])('derives %s → %s', (name, language, expected) => {
    expect(deriveFileAs(name, language)).toBe(expected);
  });

  it.each([
    ['Henry David Thoreau', 'en'],
    ['Ludwig van Beethoven', 'de'],
    ['Martin Luther King Jr.', 'en'],
    ['Molnár Ferenc', 'hu'],
    ['Murakami Haruki', 'ja'],
    ['村上 春樹', 'en'],
    ['Plato', 'en'],
    ['bell hooks', 'en'],
  ])('leaves %s alone: it could be wrong', (name, language) => {
    expect(deriveFileAs(name, language)).toBeUndefined();
  });
});
