/**
 * The output formats' names, without loading the formats: the CLI's help and argument checks need
 * the names in milliseconds, the formats themselves (Puppeteer, epub-gen-memory, …) only for a build.
 * outputs/index.ts is typed against this list, so the two cannot drift apart.
 */
export const FORMAT_NAMES = ['html', 'epub', 'pdf', 'press', 'cover'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
