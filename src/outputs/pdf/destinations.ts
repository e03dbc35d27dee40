/**
 * The name Chromium gives the PDF destination of an element id. Chromium names each destination
 * after the fragment of the link that points at it, as its URL parser serialised it: non-ASCII
 * characters, spaces, quotes and angle brackets are percent-encoded as UTF-8 (`#été` → `%C3%A9t%C3%A9`),
 * tabs and line breaks are dropped, and nothing is normalised. Node's WHATWG URL parser follows the
 * same standard, so it gives the same name for every script; measuring and the outline look up
 * destinations through this one function.
 */
const BASE = 'file:///';

export function destinationName(id: string): string {
  return new URL(`#${id}`, BASE).hash.slice(1);
}
