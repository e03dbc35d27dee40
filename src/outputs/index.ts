/**
 * The output formats, by name. A new format is a module (or a folder of them) here exporting an
 * OutputFormat, and one entry in this table; it reads only the book model.
 */
import { cover } from './cover.ts';
import { epub } from './epub.ts';
import type { FormatName } from './format-names.ts';
import { html } from './html.ts';
import type { OutputFormat } from './output.ts';
import { pdf } from './pdf.ts';
import { press } from './press.ts';

/** In the order the build renders them: the press file and the cover reuse the PDF rendered before them. */
export const FORMATS: Record<FormatName, OutputFormat> & Record<string, OutputFormat | undefined> = { html, epub, pdf, press, cover };
export type { OutputFormat };
