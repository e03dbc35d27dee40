/**
 * TeX math between dollars, by Pandoc's `tex_math_dollars` rules, so that prices stay prices.
 *
 * Why hand-written: remark-math (micromark-extension-math) treats `$` like a code-span backtick, so
 * "from $23.44 - $14.72" became one formula and every word between two prices was lost as text. Its
 * only option (`singleDollarTextMath: false`) would drop `$x$` altogether, and its maintainers decline
 * Pandoc's rules (micromark/micromark-extension-math#6). So this module has only the tokenizer, written
 * after Pandoc's `mathInlineWith`/`mathDisplayWith` (Text.Pandoc.Parsing.Math); the tokens it makes are
 * mdast-util-math's, whose from-markdown handlers build the nodes rehype-katex renders.
 *
 * - `$…$`: the opening `$` is followed by a non-space; whitespace followed by `$` ends the attempt (so
 *   a closing `$` always follows a non-space); the closing `$` must not be followed by a digit; `\$`
 *   is a literal dollar (CommonMark's escape), and inside math `\` escapes the next character; `{…}`
 *   groups may hold `$`. If any rule fails, every `$` stays text.
 * - `$$…$$`: display math anywhere in a paragraph, never across a blank line (the paragraph ends
 *   there). A paragraph holding nothing but display math becomes a block. Unlike remark-math's
 *   fenced `$$` blocks, an unclosed `$$` leaves the text as it is instead of turning the rest of the
 *   chapter into one formula.
 */
import type { ElementContent } from 'hast';
import type { Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';
import { type InlineMath, mathFromMarkdown } from 'mdast-util-math';
import { asciiDigit, markdownLineEnding, markdownSpace } from 'micromark-util-character';
import { codes } from 'micromark-util-symbol';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';
import type { Processor } from 'unified';
import { visit } from 'unist-util-visit';

/** Token for `$$…$$` inside text; inline `$…$` uses mdast-util-math's own `mathText`. */
const DISPLAY = 'pandocMathDisplay';

// The token names mdast-util-math's handlers know (micromark-extension-math declares the same), and ours.
declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mathText: 'mathText';
    mathTextData: 'mathTextData';
    mathTextSequence: 'mathTextSequence';
    pandocMathDisplay: 'pandocMathDisplay';
  }
}

const mathText: Construct = { name: 'pandocMathText', tokenize: tokenizeMath, previous };

/** A `$` right after another `$` cannot open math (unless that one was escaped), as in remark-math. */
function previous(this: TokenizeContext, code: Code): boolean {
  return code !== codes.dollarSign || this.events.at(-1)?.[1].type === 'characterEscape';
}

function tokenizeMath(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let size = 0;
  let inData = false;
  let braces = 0;
  let content = false;
  const outer = effects.enter('mathText');
  let sequence = effects.enter('mathTextSequence');
  return open;

  function open(code: Code): State | undefined {
    if (code === codes.dollarSign) {
      effects.consume(code);
      size++;
      return open;
    }
    effects.exit('mathTextSequence');
    if (size > 2) return nok(code);
    if (size === 2) {
      outer.type = DISPLAY;
      return display(code);
    }
    // Pandoc: `notFollowedBy space` after the opening `$`.
    if (code === codes.eof || markdownLineEnding(code) || markdownSpace(code)) return nok(code);
    return inline(code);
  }

  function data(code: Code): void {
    if (!inData) effects.enter('mathTextData');
    inData = true;
    if (code !== codes.space && code !== codes.horizontalTab && code !== codes.virtualSpace) content = true;
    effects.consume(code);
  }

  function endData(): void {
    if (inData) effects.exit('mathTextData');
    inData = false;
  }

  function lineEnding(code: Code): void {
    endData();
    effects.enter('lineEnding');
    effects.consume(code);
    effects.exit('lineEnding');
  }

  function inline(code: Code): State | undefined {
    if (code === codes.eof) return nok(code);
    if (code === codes.dollarSign && braces === 0) {
      endData();
      sequence = effects.enter('mathTextSequence');
      effects.consume(code);
      return afterInline;
    }
    if (markdownLineEnding(code)) {
      lineEnding(code);
      return braces > 0 ? inline : notBeforeDollar;
    }
    if (markdownSpace(code)) {
      data(code);
      return braces > 0 ? inline : spaces;
    }
    if (code === codes.backslash) {
      data(code);
      return escaped;
    }
    if (code === codes.leftCurlyBrace) braces++;
    else if (code === codes.rightCurlyBrace && braces > 0) braces--;
    data(code);
    return inline;
  }

  function spaces(code: Code): State | undefined {
    if (markdownSpace(code)) {
      data(code);
      return spaces;
    }
    return notBeforeDollar(code);
  }

  /** Whitespace followed by `$` is no closing: Pandoc gives up on the whole span. */
  function notBeforeDollar(code: Code): State | undefined {
    return code === codes.dollarSign ? nok(code) : inline(code);
  }

  function escaped(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return inline(code);
    data(code);
    return inline;
  }

  /** `$5`: a closing `$` followed by a digit is a price after all, and so is the opening one. */
  function afterInline(code: Code): State | undefined {
    if (asciiDigit(code)) return nok(code);
    effects.exit('mathTextSequence');
    effects.exit('mathText');
    return ok(code);
  }

  function display(code: Code): State | undefined {
    if (code === codes.eof) return nok(code);
    if (code === codes.dollarSign) {
      endData();
      sequence = effects.enter('mathTextSequence');
      effects.consume(code);
      return displayClose;
    }
    if (markdownLineEnding(code)) {
      lineEnding(code);
      return display;
    }
    data(code);
    return display;
  }

  function displayClose(code: Code): State | undefined {
    if (code === codes.dollarSign) {
      if (!content) return nok(code);
      effects.consume(code);
      effects.exit('mathTextSequence');
      effects.exit(DISPLAY);
      return ok;
    }
    // A lone `$` inside display math is part of the formula.
    sequence.type = 'mathTextData';
    inData = true;
    content = true;
    return display(code);
  }
}

/** Micromark syntax extension: the `$` text construct only (no fenced `$$` blocks, see above). */
export function pandocMath(): Extension {
  return { text: { [codes.dollarSign]: mathText } };
}

/**
 * Display math in text, which mdast-util-math does not have: the same `code.language-math` node as
 * its inline math, with the `math-display` class that makes rehype-katex render a block.
 */
const displayFromMarkdown: FromMarkdownExtension = {
  enter: {
    [DISPLAY](this: CompileContext, token: Token) {
      const node: InlineMath = { type: 'inlineMath', value: '', data: { hName: 'code', hProperties: { className: ['language-math', 'math-display'] } } };
      this.enter(node, token);
      this.buffer();
    },
  },
  exit: {
    [DISPLAY](this: CompileContext, token: Token) {
      const value = this.resume().trim();
      const node = this.stack.at(-1) as InlineMath;
      this.exit(token);
      node.value = value;
      (node.data as { hChildren?: ElementContent[] }).hChildren = [{ type: 'text', value }];
    },
  },
};

/** A paragraph that holds only display math is a block formula, as a fenced `$$` block was. */
function blockDisplayMath(tree: Root): void {
  visit(tree, 'paragraph', (node: Paragraph, index, parent) => {
    if (!parent || index === undefined) return;
    const parts = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    const only = parts.length === 1 ? (parts[0] as PhrasingContent) : undefined;
    if (only?.type !== 'inlineMath' || !isDisplay(only)) return;
    const block = {
      type: 'math',
      meta: null,
      value: only.value,
      position: node.position,
      data: {
        hName: 'pre',
        hChildren: [
          { type: 'element', tagName: 'code', properties: { className: ['language-math', 'math-display'] }, children: [{ type: 'text', value: only.value }] },
        ],
      },
    } as RootContent;
    parent.children.splice(index, 1, block as (typeof parent.children)[number]);
  });
}

function isDisplay(node: PhrasingContent): boolean {
  const cls = (node.data as { hProperties?: { className?: string[] } } | undefined)?.hProperties?.className;
  return Array.isArray(cls) && cls.includes('math-display');
}

/** The remark plugin: the syntax, the mdast handlers, and display paragraphs made blocks. */
export function remarkPandocMath(this: Processor) {
  const data = this.data() as { micromarkExtensions?: Extension[]; fromMarkdownExtensions?: FromMarkdownExtension[] };
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), pandocMath()];
  data.fromMarkdownExtensions = [...(data.fromMarkdownExtensions ?? []), mathFromMarkdown(), displayFromMarkdown];
  return blockDisplayMath;
}
