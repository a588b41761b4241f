// Code point offsets <-> DOM positions in the article, from one pass over its text nodes.
// The server counts Unicode code points; the DOM counts UTF-16 units. Characters outside
// the BMP (emoji) are two units and one code point, so every offset crosses this module.

const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Index of the last value <= target in a sorted array (or -1). */
function lastAtOrBefore(sorted, target) {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= target) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

export class TextMap {
  /** Walk the root's text nodes once: their UTF-16 starts, and where the astral characters are. */
  constructor(root) {
    this.root = root;
    this.nodes = [];
    const starts = [];
    const pieces = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let length = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      this.nodes.push(node);
      starts.push(length);
      pieces.push(node.data);
      length += node.data.length;
    }
    this.starts = Int32Array.from(starts);
    this.text = pieces.join("");
    this.length = length;
    this.index = null; // node -> position in this.nodes, built on first need
    // Astral characters: their UTF-16 index, and their code point index.
    const units = [];
    const points = [];
    for (const match of this.text.matchAll(ASTRAL)) {
      points.push(match.index - units.length);
      units.push(match.index);
    }
    this.astralUnits = Int32Array.from(units);
    this.astralPoints = Int32Array.from(points);
    this.codePointLength = length - units.length;
  }

  /** UTF-16 offset of a code point offset. */
  toUnits(codePoint) {
    if (!this.astralPoints.length) return codePoint;
    return codePoint + lastAtOrBefore(this.astralPoints, codePoint - 1) + 1;
  }

  /** Code point offset of a UTF-16 offset (one inside a surrogate pair snaps to its start). */
  toCodePoints(unit) {
    if (!this.astralUnits.length) return unit;
    const before = lastAtOrBefore(this.astralUnits, unit - 1);
    if (before >= 0 && this.astralUnits[before] === unit - 1) return unit - 1 - before;
    return unit - (before + 1);
  }

  /** The text between two code point offsets. */
  slice(start, end) {
    return this.text.slice(this.toUnits(start), this.toUnits(end));
  }

  /** UTF-16 offset in the text of a DOM boundary point (container, offset), clamped to the root. */
  unitOffset(container, offset) {
    if (container.nodeType === Node.TEXT_NODE) {
      if (!this.index) this.index = new Map(this.nodes.map((node, i) => [node, i]));
      const i = this.index.get(container);
      if (i !== undefined) return this.starts[i] + Math.min(offset, container.data.length);
    }
    // An element boundary (or a text node painted since): count the text before it.
    const range = document.createRange();
    range.selectNodeContents(this.root);
    const where = range.comparePoint(container, offset);
    if (where < 0) return 0;
    if (where > 0) return this.length;
    range.setEnd(container, offset);
    return range.toString().length;
  }

  /** The DOM position of a UTF-16 offset; at a node boundary, `atEnd` picks the earlier node. */
  position(unit, atEnd = false) {
    const nodes = this.nodes;
    if (!nodes.length) return { node: this.root, offset: 0 };
    let i = lastAtOrBefore(this.starts, atEnd ? unit - 1 : unit);
    i = Math.max(0, Math.min(i, nodes.length - 1));
    if (!atEnd) {
      // Skip empty text nodes so a range never starts at the very end of a node.
      while (i < nodes.length - 1 && this.starts[i] + nodes[i].data.length <= unit) i += 1;
    }
    const offset = Math.max(0, Math.min(unit - this.starts[i], nodes[i].data.length));
    return { node: nodes[i], offset };
  }

  /** A DOM Range for code point offsets [start, end). */
  range(start, end) {
    const from = this.position(this.toUnits(start));
    const to = this.position(this.toUnits(end), true);
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }
}
