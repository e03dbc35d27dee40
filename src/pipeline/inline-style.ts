/**
 * Inline `style` attributes, read with style-to-object (the unified collective's parser). Raw HTML
 * loses its inline styles when sanitised; the few declarations a book needs from them (page breaks,
 * image sizes) are taken out first by the plugins that give them a safe meaning.
 */
import parseStyle from 'style-to-object';

export type Declarations = [property: string, value: string][];

/** The declarations of a style attribute, property names in lower case; undefined if unreadable. */
export function readStyle(style: unknown): Declarations | undefined {
  if (typeof style !== 'string') return undefined;
  try {
    const object = parseStyle(style);
    return object ? Object.entries(object).map(([k, v]) => [k.toLowerCase(), v.trim()]) : [];
  } catch {
    return undefined;
  }
}

export function writeStyle(declarations: Declarations): string {
  return declarations.map(([k, v]) => `${k}: ${v}`).join('; ');
}

/** Puts the remaining declarations back, or removes the attribute when none are left. */
export function setStyle(properties: Record<string, unknown>, declarations: Declarations): void {
  if (declarations.length === 0) delete properties.style;
  else properties.style = writeStyle(declarations);
}
