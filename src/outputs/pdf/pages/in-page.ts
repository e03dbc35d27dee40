/**
 * The code Colophon runs inside the print page, over DevTools in an isolated world (the book's own
 * page runs no script at all). `installPageCode` is serialised with toString() and run once; it
 * installs `globalThis.colophonPages` with three passes, each one DevTools call:
 *
 * 1. `hyphens()`: on the loaded document (laid out at the text block's width with the print styles,
 *    screen media emulating print), finds the soft hyphens Chromium broke lines at, turns each into
 *    a real hyphen and removes every other one. Chromium breaks justified lines greedily, so the
 *    lines stay as they were; the rare line that moves (kerning across a removed soft hyphen can
 *    widen a full line by a fraction of a pixel) is caught by the next pass.
 * 2. `measure(config)`: checks that every inserted hyphen still ends a line (a paragraph where one
 *    does not loses it, until all do), then measures the galley the page builder needs: each
 *    flow's line boxes, blocks, headings, table rows, note calls, float candidates, and each
 *    footnote at the note frame's width. DOM references stay in this world for the next pass.
 * 3. `emit(plan)`: cuts the document into one fixed-size box per page (text frame + note frame),
 *    splitting paragraphs at line boundaries with Range.extractContents (partially selected
 *    ancestors are cloned: ids removed, continuations marked), and reports where each page starts.
 *
 * Everything here runs in the page: no imports, no references to module scope (types excepted: they
 * are erased before toString()). The TypeScript loader wraps named functions in a `__name` helper, so
 * the caller defines one (see session).
 */

/** Measuring input from Node. */
export interface MeasureConfig {
  flows: { id: string; chapter?: string; start: 'recto' | 'page' }[];
  /** Footnote ids laid out in the note galley (footnotes mode). */
  notes: string[];
  /** Id of each note's first reference → note id: a note goes on the page of its first call. */
  calls: Record<string, string>;
}

export interface InPageRef {
  /** Element path from the flow root (element children only), and the text offset inside it. */
  path: number[];
  offset: number;
}

/** Page plan as the page needs it. */
export interface EmitPage {
  name: string;
  blank: boolean;
  flow: number;
  first: boolean;
  from: number;
  to: number;
  topFloats: number[];
  deferred: number[];
  notes: { id: string; from: number; to: number }[];
  /** Height of the page's notes with their separator (px). */
  notesHeight: number;
  /** Gaps to widen: the box after the gap, the gap's natural size and the space added (px). */
  stretch: { box: number; gap: number; extra: number }[];
  scale?: { box: number; factor: number };
}

export interface EmitPlan {
  pages: EmitPage[];
  /** Contents page numbers by heading id. */
  toc: Record<string, string>;
  css: string;
  /** The page boxes start hidden (display: none): a long book's parts are then printed from copies (print-parts.ts). */
  hidden?: boolean;
}

export interface EmitResult {
  /** Where each non-blank page's text starts (flow id + position), in page order; null for blank pages. */
  starts: ({ flow: string; ref: InPageRef } | null)[];
  pages: number;
  /** Pages whose cut could not be placed at the first box the builder gave them (a bug: reported). */
  misplaced: number[];
}

export function installPageCode(): void {
  type AnyRec = Record<string, unknown>;
  interface Run {
    container: Element;
    /** The run's first node (a text or an inline element): a page starting at its first line starts before it. */
    first: Node;
    texts: Text[];
    /** Top of each line's slot (line box), and the bottom of the last. */
    slots: number[];
  }
  interface Ref {
    run?: number;
    line?: number;
    node?: Node;
    /** The element that moves when this box starts a float group (a figure, a table). */
    float?: Element;
  }
  interface Measured {
    root: Element;
    boxes: AnyRec[];
    refs: Ref[];
  }

  const SHY = '\u00AD';
  const range = document.createRange();
  const styles = new Map<Element, CSSStyleDeclaration>();
  const style = (el: Element) => {
    let s = styles.get(el);
    if (!s) {
      s = getComputedStyle(el);
      styles.set(el, s);
    }
    return s;
  };
  const px = (value: string) => Number.parseFloat(value) || 0;
  const inserted = new Map<Text, number[]>();
  const runs: Run[] = [];
  const flows: Measured[] = [];
  const notes = new Map<string, Measured>();
  let frameHeight = 0;
  let gridHeight = 0;

  const textAfter = (node: Node): Text | null => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = node;
    for (let next = walker.nextNode(); next; next = walker.nextNode()) if ((next as Text).length > 0) return next as Text;
    return null;
  };

  /** Pass 1: keep the soft hyphens lines break at (as real hyphens), drop the rest. */
  function hyphens(): { softHyphens: number; used: number } {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const todo: [Text, number[], Set<number>][] = [];
    let softHyphens = 0;
    let used = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const t = node as Text;
      const v = t.data;
      if (v.indexOf(SHY) < 0) continue;
      const offsets: number[] = [];
      for (let i = v.indexOf(SHY); i >= 0; i = v.indexOf(SHY, i + 1)) offsets.push(i);
      softHyphens += offsets.length;
      const breaks = new Set<number>();
      range.selectNodeContents(t);
      const rects = range.getClientRects();
      // A line broken at a soft hyphen draws the hyphen as a fragment of its own: two rects of one
      // text node side by side on one line. Find which soft hyphen it is by bisection.
      for (let r = 1; r < rects.length; r++) {
        const a = rects[r - 1] as DOMRect;
        const h = rects[r] as DOMRect;
        if (Math.abs(a.top - h.top) > 0.5 || h.left < a.right - 0.5 || h.width <= 0) continue;
        let lo = 0;
        let hi = offsets.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const off = offsets[mid] as number;
          range.setStart(t, off);
          range.setEnd(t, off + 1);
          const p = range.getBoundingClientRect();
          if (p.top < h.top - 1 || (Math.abs(p.top - h.top) <= 1 && p.left < h.left - 0.5)) lo = mid + 1;
          else if (p.top > h.top + 1 || p.left > h.left + 0.5) hi = mid - 1;
          else {
            if (p.width > 0) breaks.add(off);
            break;
          }
        }
      }
      used += breaks.size;
      todo.push([t, offsets, breaks]);
    }
    for (const [t, offsets, breaks] of todo) {
      const v = t.data;
      let out = '';
      let last = 0;
      const at: number[] = [];
      for (const off of offsets) {
        out += v.slice(last, off);
        if (breaks.has(off)) {
          at.push(out.length);
          out += '-';
        }
        last = off + 1;
      }
      t.data = out + v.slice(last);
      if (at.length > 0) inserted.set(t, at);
    }
    return { softHyphens, used };
  }

  /** Is the inserted hyphen at t[off] the last character of its line? Returns its line top when it is. */
  function hyphenEndsLine(t: Text, off: number): number | undefined {
    range.setStart(t, off);
    range.setEnd(t, off + 1);
    const hyphen = range.getBoundingClientRect();
    // The next character that is laid out (collapsed white space has no box), in this node or later ones.
    let node: Text | null = t;
    let i = off + 1;
    for (let guard = 0; node && guard < 64; guard++) {
      if (i >= node.length) {
        node = textAfter(node);
        i = 0;
        continue;
      }
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      const r = rects[rects.length - 1];
      if (r && r.height > 0) return r.top > hyphen.bottom - 2 ? hyphen.top : undefined;
      i++;
    }
    return undefined;
  }

  /** Pass 2a: every inserted hyphen must still end a line; remove those that do not, until none. */
  function checkHyphens(): { removed: number; rounds: number; tops: Map<Text, number[]>; samples: string[] } {
    let removed = 0;
    const samples: string[] = [];
    let rounds = 0;
    for (;;) {
      const tops = new Map<Text, number[]>();
      const bad: [Text, number][] = [];
      for (const [t, offs] of inserted) {
        for (const off of offs) {
          const top = hyphenEndsLine(t, off);
          if (top === undefined) bad.push([t, off]);
          else tops.set(t, [...(tops.get(t) ?? []), top]);
        }
      }
      if (bad.length === 0 || rounds >= 20) return { removed, rounds, tops, samples };
      rounds++;
      // Remove from the end of each node first so earlier offsets stay valid.
      bad.sort((a, b) => b[1] - a[1]);
      for (const [t, off] of bad) {
        if (samples.length < 5) samples.push(t.data.slice(Math.max(0, off - 20), off + 12));
        t.deleteData(off, 1);
        const offs = (inserted.get(t) ?? []).filter((o) => o !== off).map((o) => (o > off ? o - 1 : o));
        if (offs.length > 0) inserted.set(t, offs);
        else inserted.delete(t);
        removed++;
      }
    }
  }

  const MONOLITHIC = new Set(['figure', 'img', 'svg', 'math', 'hr', 'video', 'canvas', 'picture', 'iframe', 'object', 'embed']);
  const ATOMIC_INLINE = new Set(['img', 'svg', 'math', 'video', 'canvas', 'picture', 'input', 'button', 'select', 'textarea']);

  function isInlineLevel(el: Element): boolean {
    const d = style(el).display;
    return d === 'inline' || d.startsWith('inline-') || d === 'ruby' || d === 'contents';
  }

  function lineHeightOf(el: Element): number {
    const s = style(el);
    const lh = px(s.lineHeight);
    return lh > 0 ? lh : px(s.fontSize) * 1.2;
  }

  function measureContainer(root: Element, hyphenTops: Map<Text, number[]>, calls: Record<string, string>, floatsAllowed: boolean): Measured {
    const boxes: AnyRec[] = [];
    const refs: Ref[] = [];
    let pendingBefore: number | undefined;
    const push = (box: AnyRec, ref: Ref) => {
      if (pendingBefore !== undefined && pendingBefore < (box.top as number)) box.before = pendingBefore;
      pendingBefore = undefined;
      boxes.push(box);
      refs.push(ref);
    };
    const enter = (el: Element) => {
      const top = el.getBoundingClientRect().top;
      pendingBefore = pendingBefore === undefined ? top : Math.min(pendingBefore, top);
    };
    const leave = (el: Element, count: number) => {
      const r = el.getBoundingClientRect();
      const last = boxes[boxes.length - 1];
      if (boxes.length > count && last) {
        last.after = Math.max((last.after as number | undefined) ?? (last.bottom as number), r.bottom);
      } else if (r.height > 0) {
        push({ kind: 'block', top: r.top, bottom: r.bottom }, { node: el });
      }
    };

    const lines = (container: Element, nodes: Node[], pure: boolean) => {
      const texts: Text[] = [];
      const rects: DOMRect[] = [];
      const refEls: Element[] = [];
      const visit = (node: Node) => {
        if (node.nodeType === 3) {
          const t = node as Text;
          texts.push(t);
          range.selectNodeContents(t);
          for (const r of range.getClientRects()) if (r.width > 0 || r.height > 0) rects.push(r);
          return;
        }
        if (node.nodeType !== 1) return;
        const el = node as Element;
        if (style(el).display === 'none') return;
        if (el.tagName === 'A' && el.id && calls[el.id]) refEls.push(el);
        if (ATOMIC_INLINE.has(el.tagName.toLowerCase()) || style(el).display.startsWith('inline-')) {
          rects.push(el.getBoundingClientRect());
          // Still walk inside for text (inline-block paragraphs) so splits can find it.
          for (const c of el.childNodes) if (c.nodeType === 3) texts.push(c as Text);
          return;
        }
        for (const c of el.childNodes) visit(c);
      };
      for (const n of nodes) visit(n);
      if (rects.length === 0) return;
      const lh = lineHeightOf(container);
      // Fragments in document order; a new line starts when one begins below the previous one.
      const glyph: { top: number; bottom: number }[] = [];
      let prev: DOMRect | undefined;
      for (const r of rects) {
        const cur = glyph[glyph.length - 1];
        if (!cur || !prev || r.top > prev.bottom - 0.3 * lh) glyph.push({ top: r.top, bottom: r.bottom });
        else {
          cur.top = Math.min(cur.top, r.top);
          cur.bottom = Math.max(cur.bottom, r.bottom);
        }
        prev = r;
      }
      const count = glyph.length;
      const slots: number[] = [];
      const c = container.getBoundingClientRect();
      const s = style(container);
      const contentTop = c.top + px(s.borderTopWidth) + px(s.paddingTop);
      const contentBottom = c.bottom - px(s.borderBottomWidth) - px(s.paddingBottom);
      if (pure && Math.abs(contentBottom - contentTop - count * lh) <= 0.1 + count / 64) {
        // Every line box is one line-height tall: the slots are exact.
        const h = (contentBottom - contentTop) / count;
        for (let i = 0; i <= count; i++) slots.push(contentTop + i * h);
      } else {
        const first = glyph[0] as { top: number; bottom: number };
        const last = glyph[count - 1] as { top: number; bottom: number };
        const half = Math.max(0, (lh - (first.bottom - first.top)) / 2);
        slots.push(pure ? contentTop : first.top - half);
        for (let i = 1; i < count; i++) slots.push(((glyph[i - 1]?.bottom as number) + (glyph[i]?.top as number)) / 2);
        slots.push(pure ? contentBottom : last.bottom + half);
      }
      const lineAt = (y: number) => {
        let i = 0;
        while (i < count - 1 && y >= (slots[i + 1] as number)) i++;
        return i;
      };
      const runIndex = runs.length;
      runs.push({ container, first: nodes[0] as Node, texts, slots });
      const hyphenLines = new Set<number>();
      for (const t of texts) for (const top of hyphenTops.get(t) ?? []) hyphenLines.add(lineAt(top + 1));
      const callLines = new Map<number, string[]>();
      for (const a of refEls) {
        const r = a.getBoundingClientRect();
        const i = lineAt((r.top + r.bottom) / 2);
        callLines.set(i, [...(callLines.get(i) ?? []), calls[a.id] as string]);
      }
      for (let i = 0; i < count; i++) {
        const box: AnyRec = { kind: 'line', top: slots[i], bottom: slots[i + 1], para: runIndex, line: i, lines: count };
        if (hyphenLines.has(i) && i < count - 1) box.hyphen = true;
        const called = callLines.get(i);
        if (called) box.calls = called;
        push(box, { run: runIndex, line: i });
      }
    };

    const table = (el: HTMLTableElement, float: boolean) => {
      const count = boxes.length;
      enter(el);
      const head = el.tHead;
      const headHeight = head ? head.getBoundingClientRect().height : 0;
      for (const row of Array.from(el.rows)) {
        const r = row.getBoundingClientRect();
        const inHead = row.parentElement === head;
        push({ kind: 'row', top: r.top, bottom: r.bottom, ...(inHead ? { keepWithNext: true } : head ? { carry: headHeight } : {}) }, { node: row });
      }
      leave(el, count);
      if (float && boxes.length > count) floatGroup(el, count, boxes.length - count, true);
    };

    const floatGroup = (el: Element, index: number, count: number, isTable: boolean) => {
      const r = el.getBoundingClientRect();
      const s = style(el);
      let prev = el.previousElementSibling;
      while (prev && style(prev).display === 'none') prev = prev.previousElementSibling;
      let next = el.nextElementSibling;
      while (next && style(next).display === 'none') next = next.nextElementSibling;
      const prevBottom = prev ? prev.getBoundingClientRect().bottom : r.top - px(s.marginTop);
      const nextTop = next ? next.getBoundingClientRect().top : r.bottom + px(s.marginBottom);
      const without = Math.max(prev ? px(style(prev).marginBottom) : 0, next ? px(style(next).marginTop) : 0);
      const box = boxes[index] as AnyRec;
      (refs[index] as Ref).float = el;
      box.float = { count, height: r.height, extent: nextTop - prevBottom - without, gap: px(s.marginBottom), ...(isTable ? { table: true } : {}) };
    };

    const block = (el: Element, depth: number) => {
      const tag = el.tagName.toLowerCase();
      const s = style(el);
      const floatable = floatsAllowed && depth === 0;
      if (/^h[1-6]$/.test(tag)) {
        const r = el.getBoundingClientRect();
        push({ kind: 'heading', top: r.top, bottom: r.bottom, level: Number(tag[1]), ...(el.id ? { id: el.id } : {}) }, { node: el });
        return;
      }
      if (tag === 'table' && s.breakInside !== 'avoid') {
        table(el as HTMLTableElement, floatable);
        return;
      }
      const display = s.display;
      const container = display === 'block' || display === 'list-item' || display === 'flow-root';
      if (MONOLITHIC.has(tag) || !container) {
        const r = el.getBoundingClientRect();
        if (r.height <= 0) return;
        const index = boxes.length;
        // Its element path, so a warning about it (too tall for a page) can name the source line.
        const path: number[] = [];
        for (let e: Element | null = el; e && e !== root; e = e.parentElement) {
          const parent: Element | null = e.parentElement;
          if (parent) path.unshift(Array.prototype.indexOf.call(parent.children, e));
        }
        push({ kind: 'block', top: r.top, bottom: r.bottom, path }, { node: el });
        if (floatable && (tag === 'figure' || tag === 'table')) floatGroup(el, index, 1, tag === 'table');
        return;
      }
      const count = boxes.length;
      enter(el);
      children(el, depth + 1);
      leave(el, count);
      // break-inside: avoid (a stanza, an aside): kept on one page when it fits on one, else split.
      if ((s.breakInside === 'avoid' || s.breakInside === 'avoid-page') && boxes.length - count > 1) {
        (boxes[count] as AnyRec).keep = boxes.length - count;
      }
    };

    const children = (el: Element, depth: number) => {
      const kids = Array.from(el.childNodes);
      const isBlock = (k: Node) => k.nodeType === 1 && style(k as Element).display !== 'none' && !isInlineLevel(k as Element);
      // Inline content alone in its container gets exact line slots; beside blocks it is an anonymous block.
      const pure = !kids.some(isBlock);
      let run: Node[] = [];
      const flush = () => {
        if (run.length > 0) lines(el, run, pure);
        run = [];
      };
      for (const child of kids) {
        if (child.nodeType === 3) {
          if (run.length > 0 || /\S/.test((child as Text).data)) run.push(child);
        } else if (child.nodeType === 1 && style(child as Element).display !== 'none') {
          if (isBlock(child)) {
            flush();
            block(child as Element, depth);
          } else run.push(child);
        }
      }
      flush();
    };

    children(root, 0);
    leave(root, 0);
    return { root, boxes, refs };
  }

  /** Pass 2: check hyphens, then measure flows and notes. */
  function measure(config: { flows: { id: string; chapter?: string; start: string }[]; notes: string[]; calls: Record<string, string> }): AnyRec {
    const t0 = performance.now();
    document.body.getBoundingClientRect();
    const t1 = performance.now();
    const check = checkHyphens();
    const t2 = performance.now();
    const body = document.body;
    const flowsOut: AnyRec[] = [];
    for (const f of config.flows) {
      const root = document.getElementById(f.id);
      if (!root) throw new Error(`no flow #${f.id} in the print document`);
      const m = measureContainer(root, check.tops, config.calls, !!f.chapter);
      flows.push(m);
      // Display pages (front matter) are designed against the whole frame; text fills to the grid.
      const own = f.chapter ? {} : { height: -1 };
      flowsOut.push({ id: f.id, ...(f.chapter ? { chapter: f.chapter } : {}), start: f.start, ...own, top: root.getBoundingClientRect().top, boxes: m.boxes });
    }
    const t3 = performance.now();
    const notesOut: Record<string, AnyRec> = {};
    let separator = 0;
    for (const id of config.notes) {
      const el = document.getElementById(id);
      if (!el) continue;
      const m = measureContainer(el, check.tops, {}, false);
      notes.set(id, m);
      const r = el.getBoundingClientRect();
      notesOut[id] = { id, top: r.top, bottom: r.bottom, lines: m.boxes.map((b) => ({ top: b.top, bottom: b.bottom })) };
    }
    const galleyNotes = document.querySelector('.note-galley');
    if (galleyNotes) {
      const s = style(galleyNotes);
      separator = px(s.marginTop) + px(s.paddingTop) + px(s.borderTopWidth);
    }
    // The page frame's height and the body's line box, as layout rounds them: absolutely placed
    // probes cost no relayout of the rest.
    const probe = document.createElement('div');
    probe.setAttribute('style', 'position: absolute; top: 0; left: 0; width: 1px; height: var(--block-height)');
    const lines = document.createElement('p');
    lines.setAttribute('style', 'position: absolute; top: 0; left: 0; width: 100%; margin: 0; padding: 0; border: 0');
    for (let i = 0; i < 10; i++) lines.append(i === 0 ? '' : document.createElement('br'), 'x');
    body.append(probe, lines);
    frameHeight = probe.getBoundingClientRect().height;
    const lineHeight = lines.getBoundingClientRect().height / 10;
    probe.remove();
    lines.remove();
    // Pages are filled to the last whole line: the common baseline all full pages end on.
    const pageHeight = Math.floor((frameHeight + 0.01) / lineHeight) * lineHeight;
    gridHeight = pageHeight;
    for (const f of flowsOut) if (f.height === -1) f.height = frameHeight;
    return {
      galley: { pageHeight, lineHeight, noteSeparator: separator, flows: flowsOut, notes: notesOut },
      hyphens: { removedAfterCheck: check.removed, rounds: check.rounds, samples: check.samples },
      ms: { layout: t1 - t0, hyphens: t2 - t1, flows: t3 - t2, rest: performance.now() - t3 },
    };
  }

  // ——— Pass 3: pages ———

  interface Point {
    node: Node;
    offset: number;
    /** For a point between children: the child after it (its index may change before the cut). */
    child?: Node;
    /** The paragraph whose line is split, when the point is inside a line box. */
    line?: Element;
  }

  /** First character of line `line` of a run: bisection on character rects. */
  function lineStart(run: Run, line: number): Point | undefined {
    const boundary = run.slots[line] as number;
    const texts = run.texts;
    const starts: number[] = [];
    let total = 0;
    for (const t of texts) {
      starts.push(total);
      total += t.length;
    }
    const at = (g: number): [Text, number] => {
      let i = texts.length - 1;
      while (i > 0 && (starts[i] as number) > g) i--;
      return [texts[i] as Text, g - (starts[i] as number)];
    };
    /** Vertical centre of the first laid-out character at or after g. */
    const centre = (g: number): number | undefined => {
      for (let h = g; h < total; h++) {
        const [t, o] = at(h);
        range.setStart(t, o);
        range.setEnd(t, o + 1);
        const rects = range.getClientRects();
        const r = rects[rects.length - 1];
        if (r && r.height > 0) return (r.top + r.bottom) / 2;
      }
      return undefined;
    };
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const y = centre(mid);
      if (y === undefined || y >= boundary) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= total) return undefined;
    const [t, o] = at(lo);
    return { node: t, offset: o, line: run.container };
  }

  /** Where a point is in the galley: the top of what follows it. */
  function topOf(point: Point): number | undefined {
    if (point.child) return point.child.nodeType === 1 ? (point.child as Element).getBoundingClientRect().top : undefined;
    if (point.node.nodeType === 3) {
      range.setStart(point.node, point.offset);
      range.setEnd(point.node, Math.min(point.offset + 1, (point.node as Text).length));
      const rects = range.getClientRects();
      const r = rects[rects.length - 1];
      return r ? (r.top + r.bottom) / 2 : undefined;
    }
    return undefined;
  }

  const hasContent = (n: Node | null) => !!n && (n.nodeType === 1 || (n.nodeType === 3 && /\S/.test((n as Text).data)));

  /** The outermost element starting at `node` below the root: splitting before it leaves no empty shell. */
  function before(node: Node, root: Element): Point {
    let n = node;
    for (;;) {
      const parent = n.parentNode;
      if (!parent || parent === root) break;
      let prev = n.previousSibling;
      while (prev && !hasContent(prev)) prev = prev.previousSibling;
      if (prev) break;
      n = parent;
    }
    const parent = n.parentNode as Node;
    return { node: parent, offset: Array.prototype.indexOf.call(parent.childNodes, n), child: n };
  }

  function pointAt(m: Measured, box: number): Point | undefined {
    const ref = m.refs[box];
    if (!ref) return undefined;
    if (ref.run !== undefined) {
      const run = runs[ref.run] as Run;
      if ((ref.line ?? 0) > 0) return lineStart(run, ref.line as number);
      return before(run.first, m.root);
    }
    return ref.node ? before(ref.node, m.root) : undefined;
  }

  /** Element path from the root and text offset (soft hyphens not counted) of a point, for the page map. */
  function refOf(root: Element, point: Point, texts: Text[]): { path: number[]; offset: number } {
    let el: Node | null = point.line ?? (point.node.nodeType === 1 ? ((point.node as Element).childNodes[point.offset] ?? point.node) : point.node);
    while (el && el.nodeType !== 1) el = el.parentNode;
    let offset = 0;
    if (point.line) {
      range.setStart(point.line, 0);
      range.setEnd(point.node, point.offset);
      offset = range.toString().length;
      // Inserted hyphens stand where soft hyphens were: they are not part of the text.
      for (const t of texts) {
        for (const o of inserted.get(t) ?? []) {
          if (t === point.node ? o < point.offset : range.comparePoint(t, o) === 0) offset--;
        }
      }
    }
    const path: number[] = [];
    for (let e = el as Element | null; e && e !== root; e = e.parentElement) {
      const parent: Element | null = e.parentElement;
      if (!parent) break;
      path.unshift(Array.prototype.indexOf.call(parent.children, e));
    }
    return { path, offset };
  }

  /** Moves [point, end of root) out into a fragment; marks clones and the split elements. */
  function cut(root: Element, point: Point): DocumentFragment {
    // Partially selected ancestors: from the point's container up to (not including) the root.
    const chain: Node[] = [];
    for (let n: Node | null = point.node; n && n !== root; n = n.parentNode) chain.unshift(n);
    const offset = point.child ? Array.prototype.indexOf.call(point.node.childNodes, point.child) : point.offset;
    range.setStart(point.node, offset);
    range.setEnd(root, root.childNodes.length);
    const fragment = range.extractContents();
    let clone: Node | null = fragment.firstChild;
    for (const original of chain) {
      if (!clone || original.nodeType !== 1) break;
      const c = clone as Element;
      const o = original as Element;
      c.removeAttribute('id');
      c.removeAttribute('aria-label');
      c.classList.add('cont');
      o.classList.add('split');
      if (o.tagName === 'OL') {
        // Numbering goes on: items left on the page before, minus one when the first item here continues one of them.
        const start = (o as HTMLOListElement).start || 1;
        const left = Array.from(o.children).filter((k) => k.tagName === 'LI').length;
        const continues = chain[chain.indexOf(original) + 1]?.nodeName === 'LI';
        (c as HTMLOListElement).start = start + left - (continues ? 1 : 0);
      }
      if (o.tagName === 'TABLE' && (o as HTMLTableElement).tHead) {
        const head = ((o as HTMLTableElement).tHead as HTMLTableSectionElement).cloneNode(true) as Element;
        for (const e of head.querySelectorAll('[id]')) e.removeAttribute('id');
        head.setAttribute('data-repeated', '');
        c.insertBefore(head, c.firstChild);
      }
      clone = c.firstChild && (c.firstChild.nodeType === 1 || c.firstChild.nodeType === 3) ? c.firstChild : null;
      if (clone && clone.nodeType === 1 && (clone as Element).tagName === 'THEAD' && (clone as Element).hasAttribute('data-repeated'))
        clone = clone.nextSibling;
    }
    if (point.line) {
      point.line.classList.add('split-line');
      // Justify the first part's last line as it was, unless the paragraph has forced breaks (a poem):
      // text-align-last also applies to every line before a <br>.
      if (style(point.line).textAlign === 'justify' && !point.line.querySelector('br')) point.line.classList.add('split-justify');
      const lineClone = findClone(fragment, chain, point.line);
      lineClone?.classList.add('cont-line');
    }
    return fragment;
  }

  function findClone(fragment: DocumentFragment, chain: Node[], target: Element): Element | undefined {
    let clone: Node | null = fragment.firstChild;
    for (const original of chain) {
      if (!clone) return undefined;
      if (original === target) return clone as Element;
      clone = clone.firstChild;
      if (clone && clone.nodeType === 1 && (clone as Element).hasAttribute('data-repeated')) clone = clone.nextSibling;
    }
    return undefined;
  }

  /** The page-top element chain loses its top margins: the galley measured from the border edge. */
  function zeroTopMargins(wrapper: Element) {
    for (let e = wrapper.firstElementChild; e; e = e.firstElementChild) {
      (e as HTMLElement).style.marginTop = '0';
      if (isInlineLevel(e)) break;
    }
  }

  function emit(plan: EmitPlan): AnyRec {
    // Phase A, layout still valid: split points, text positions, indents to keep.
    const splits = new Map<number, Point>();
    const misplaced: number[] = [];
    const starts: (AnyRec | null)[] = [];
    const indents: [HTMLElement, string][] = [];
    const keepIndent = (node: Node | undefined) => {
      let el: Node | null | undefined = node;
      while (el && el.nodeType !== 1) el = el.parentNode;
      if (!el) return;
      const e = el as HTMLElement;
      indents.push([e, style(e).textIndent]);
    };
    plan.pages.forEach((page, i) => {
      if (page.blank) {
        starts.push(null);
        return;
      }
      const m = flows[page.flow] as Measured;
      if (page.first || page.from >= m.boxes.length) {
        starts.push({ flow: m.root.id, ref: { path: [], offset: 0 } });
      } else {
        const point = pointAt(m, page.from);
        const box = m.boxes[page.from] as AnyRec;
        const y = point ? topOf(point) : undefined;
        // A cut in the wrong place would leave text under the page's foot, where it is clipped.
        if (!point || (y !== undefined && !(y >= ((box.before as number | undefined) ?? (box.top as number)) - 2 && y <= (box.bottom as number) + 2))) {
          misplaced.push(i);
        }
        if (point) {
          splits.set(i, point);
          const ref0 = m.refs[page.from];
          starts.push({ flow: m.root.id, ref: refOf(m.root, point, ref0?.run !== undefined ? (runs[ref0.run] as Run).texts : []) });
          const ref = m.refs[page.from];
          if (!point.line) keepIndent(ref?.node ?? (ref?.run !== undefined ? runs[ref.run]?.container : undefined));
        } else starts.push({ flow: m.root.id, ref: { path: [], offset: 0 } });
      }
      for (const d of page.deferred) {
        const el = m.refs[d]?.float;
        let next = el?.nextElementSibling;
        while (next && style(next).display === 'none') next = next.nextElementSibling;
        if (next) keepIndent(next);
      }
    });
    const spacers: [Point, number][] = [];
    for (const page of plan.pages) {
      if (page.blank) continue;
      const m = flows[page.flow] as Measured;
      for (const s of page.stretch) {
        const point = pointAt(m, s.box);
        if (point && !point.line) spacers.push([point, s.gap + s.extra]);
      }
    }
    const noteSplits = new Map<string, Point>();
    for (const page of plan.pages) {
      for (const part of page.notes) {
        if (part.from === 0) continue;
        const m = notes.get(part.id);
        const point = m ? pointAt(m, part.from) : undefined;
        if (point) noteSplits.set(`${part.id}:${part.from}`, point);
      }
    }

    // Contents numbers: the number box has a fixed width, so filling it moves no line.
    for (const link of document.querySelectorAll('nav.toc a[href^="#"]')) {
      const number = link.querySelector('.toc-page');
      if (number) number.textContent = plan.toc[(link.getAttribute('href') as string).slice(1)] ?? '';
    }
    // Phase B: mutate. Named pages belong to the page frames now; floats leave the text first, so
    // later cuts never carry them.
    for (const [e, indent] of indents) e.style.textIndent = indent;
    for (const m of flows) (m.root as HTMLElement).style.removeProperty('page');
    // A stretched gap: an empty block whose top margin collapses with the margins around it, so the
    // gap becomes exactly its margin.
    for (const [point, margin] of spacers) {
      const spacer = document.createElement('div');
      spacer.className = 'vfill';
      // As the attribute, not through the CSSOM, which writes numbers back with six significant
      // digits: the document is serialised for the tabs that print a long book's parts.
      spacer.setAttribute('style', `margin-top: ${margin}px`);
      point.node.insertBefore(spacer, point.child ?? null);
    }
    const floats = new Map<string, Element>();
    plan.pages.forEach((page) => {
      if (page.blank) return;
      const m = flows[page.flow] as Measured;
      for (const d of page.deferred) {
        const el = m.refs[d]?.float;
        if (el) {
          floats.set(`${page.flow}:${d}`, el);
          el.remove();
        }
      }
      if (page.scale) {
        const el = m.refs[page.scale.box]?.node as HTMLElement | undefined;
        if (el) el.style.zoom = String(page.scale.factor);
      }
    });
    const texts = new Map<number, Node>();
    for (let i = plan.pages.length - 1; i >= 0; i--) {
      const page = plan.pages[i] as EmitPage;
      if (page.blank) continue;
      const m = flows[page.flow] as Measured;
      const point = splits.get(i);
      if (point) {
        const wrapper = m.root.cloneNode(false) as Element;
        wrapper.removeAttribute('id');
        wrapper.removeAttribute('aria-label');
        wrapper.classList.add('cont');
        wrapper.append(cut(m.root, point));
        zeroTopMargins(wrapper);
        texts.set(i, wrapper);
      } else if (page.first) {
        texts.set(i, m.root);
      }
    }
    const noteParts = new Map<string, Node>();
    const byNote = new Map<string, { from: number; to: number }[]>();
    for (const page of plan.pages) for (const p of page.notes) byNote.set(p.id, [...(byNote.get(p.id) ?? []), p]);
    for (const [id, parts] of byNote) {
      const m = notes.get(id);
      if (!m) continue;
      const sorted = [...parts].sort((a, b) => b.from - a.from);
      for (const part of sorted) {
        const point = part.from > 0 ? noteSplits.get(`${id}:${part.from}`) : undefined;
        if (point) {
          const wrapper = m.root.cloneNode(false) as Element;
          wrapper.removeAttribute('id');
          wrapper.classList.add('cont');
          wrapper.append(cut(m.root, point));
          noteParts.set(`${id}:${part.from}`, wrapper);
        } else if (part.from === 0) noteParts.set(`${id}:0`, m.root);
      }
    }

    const frames = document.createDocumentFragment();
    plan.pages.forEach((page, i) => {
      const frame = document.createElement('div');
      frame.className = page.blank ? 'page blank' : 'page';
      frame.style.setProperty('page', page.name);
      // Hidden before the page lays them out: a tab that only hands out copies need not lay out the book again.
      if (plan.hidden) frame.style.display = 'none';
      if (!page.blank) {
        const text = document.createElement('div');
        text.className = 'page-text';
        page.topFloats.forEach((f, k) => {
          const el = floats.get(`${page.flow}:${f}`) ?? (flows[page.flow] as Measured).refs[f]?.float;
          if (!el) return;
          const h = el as HTMLElement;
          if (k === 0) h.style.marginTop = '0';
          text.append(el);
        });
        const body = texts.get(i);
        if (body) text.append(body);
        frame.append(text);
        if (page.notes.length > 0) {
          // The notes follow the text frame and end on the common baseline.
          text.setAttribute('style', `height: ${gridHeight - page.notesHeight}px`);
          const box = document.createElement('div');
          box.className = (page.notes[0]?.from ?? 0) > 0 ? 'page-notes continued' : 'page-notes';
          box.setAttribute('role', 'doc-footnote');
          for (const part of page.notes) {
            const el = noteParts.get(`${part.id}:${part.from}`);
            if (el) box.append(el);
          }
          frame.append(box);
        }
      }
      frames.append(frame);
    });
    // Keep the hidden links (named destinations for every measured id); everything else is in pages now.
    const keep = new Set(Array.from(document.body.children).filter((e) => e.matches('nav.measure')));
    for (const child of Array.from(document.body.childNodes)) if (!keep.has(child as Element)) child.remove();
    document.body.append(frames);
    const css = document.createElement('style');
    css.textContent = plan.css;
    document.head.append(css);
    document.documentElement.classList.add('paged');
    return { starts, pages: plan.pages.length, misplaced };
  }

  (globalThis as unknown as { colophonPages: unknown }).colophonPages = { hyphens, measure, emit };
}
