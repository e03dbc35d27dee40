/** The output formats, by name. A new format is one new file in this folder and one line here. */
import { epub } from './epub.ts';
import { html } from './html.ts';
import type { OutputFormat } from './output.ts';
import { pdf } from './pdf.ts';

export const FORMATS: Record<string, OutputFormat> = { html, epub, pdf };
export type { OutputFormat };
