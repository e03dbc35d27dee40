/**
 * The files of a new book. book.yaml lists every key (see "Manuscript format" in README.md) with the
 * optional ones commented out, so an author learns what exists without reading the docs first. The
 * sample chapters show the Markdown features most books need and build with zero warnings.
 */

export interface TemplateValues {
  title: string;
  /** A fresh urn:uuid, chosen once at init so that every later build keeps the same identifier. */
  identifier: string;
  date: string;
}

export function bookYaml(v: TemplateValues): string {
  return `# The book's metadata and settings. Every key is described in Colophon's README.md under
# "Manuscript format"; remove the leading "# " to use one.

title: ${JSON.stringify(v.title)}
# subtitle: A Novel
author: Your Name
# author:                       # several creators, with roles and sort names
#   - name: Ann Author
#     file-as: Author, Ann
#   - name: Tom Translator
#     role: translator          # author, editor, translator, illustrator, contributor, foreword, introduction
language: en                    # BCP 47: en, en-GB, de, fr, …
date: ${v.date}                 # first publication of the work, ISO 8601 (2025, 2025-03, 2025-03-14)
# publisher: Small Press
# rights: © ${v.date.slice(0, 4)} Your Name. All rights reserved.
identifier: ${v.identifier}     # or your ISBN-13: 978-…
description: >-
  A short description of the book for stores and reading apps. Replace it with your blurb.
# subjects: [Fiction, Sea stories]
cover: cover.png                # PNG or JPEG, 1600×2560 px or larger for stores
# source: https://example.org/where-it-first-appeared
chapters:                       # reading order; default: every .md file here, sorted by name
  - 01-beginning.md
  - 02-ending.md
# chapter-level: 1              # single-file books only: the heading level that starts a chapter
# math: dollars                 # TeX between $ signs (Pandoc's rules), or off: every $ is text
# hyphenate: true               # hyphenation for the language (soft hyphens in print, hyphens: auto in e-books)
# french-spacing: true          # French books: narrow no-break spaces inside « » and before ; : ! ?
# labels:                       # the words Colophon writes, if your language's need changing (README: Languages)
#   contents: Contents
styles:                         # your CSS, applied after the default theme in every output
  - styles/book.css
print:
  trim: 6x9in                   # 5x8in, 5.25x8in, 5.5x8.5in, 6x9in, 7x10in, 8.5x11in, a4, a5, b5, letter, or "W H"
  # bleed: 0.125in              # only when images run to the page edge
  # marks: crop                 # crop marks outside the bleed
  # notes: footnotes            # or endnotes
edition:
  version: "1.0"                # this edition, on the copyright page and in the metadata
  date: ${v.date}               # this edition's date: the EPUB's dcterms:modified, the PDF's dates
`;
}

export const CHAPTER_1 = `# The Beginning

This is the first chapter. Write in plain Markdown: *emphasis*, **strong**, "quotes" that become
curly, dashes -- like this -- and ellipses...

A footnote goes where you cite it.[^first]

[^first]: And its text anywhere in the chapter, usually at the end.

## A Section

Sections get headings with two hashes; they appear in the table of contents.

:::epigraph
A container for an epigraph, an aside, a note, a poem or a dedication.
:::

***

A line of three asterisks is a scene break. The story continues in [the next chapter](02-ending.md).
`;

export const CHAPTER_2 = `# The Ending

Links between chapters name the file, with a heading's id when they point inside it: back to
[the section](01-beginning.md#a-section).

| Tables | work too |
|--------|---------:|
| left   |    right |

The end.
`;

export const BOOK_CSS = `/* Your styles, applied after Colophon's default theme in the web edition, the EPUB and the PDF.
   Override the theme's variables here instead of copying it (see "Themes" in Colophon's README.md):

:root {
  --text-font: 'Source Serif 4', 'Noto Serif', serif;
  --accent-color: #7a2e12;
  --line-height: 1.5;
}

   E-book readers ignore CSS variables, so the EPUB theme uses plain values; a rule such as
   h1 { color: #7a2e12; } applies everywhere. */
`;
