/** The ColophonError a call throws; anything else it throws is rethrown, and not throwing fails the test. */
import { ColophonError } from '../../src/diagnostics.ts';

export function colophonErrorOf(fn: () => unknown): ColophonError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ColophonError) return e;
    throw e;
  }
  throw new Error('expected a ColophonError');
}
