// Paint every anchored passage in one pass over the article's text nodes: split each node
// once at all the boundaries inside it and wrap the covered pieces in <mark class="hl">.
// Overlaps become flat segments carrying every covering id, so nothing is ever nested.

const MAX_DEPTH = 4;
// Whitespace directly inside these is layout, not text: painting it would add empty boxes.
const STRUCTURAL = new Set([
  "ARTICLE", "SECTION", "DIV", "BLOCKQUOTE", "UL", "OL", "LI", "DL", "TABLE", "THEAD",
  "TBODY", "TFOOT", "TR", "FIGURE", "DETAILS", "HEADER", "FOOTER", "ASIDE", "NAV",
]);
const BLANK = /^\s*$/;
const LOOKS = { questioning: "question", commenting: "comment" };

/** Remove our marks, leaving the article's text as the server sent it. */
export function unpaint(article) {
  const marks = article.querySelectorAll("mark.hl");
  if (!marks.length) return;
  for (const mark of marks) mark.replaceWith(...mark.childNodes);
  article.normalize();
}

/** Sorted unique UTF-16 boundaries of all passages. */
function boundaries(anchored) {
  const all = new Int32Array(anchored.length * 2);
  for (let i = 0; i < anchored.length; i += 1) {
    all[2 * i] = anchored[i].from;
    all[2 * i + 1] = anchored[i].to;
  }
  all.sort();
  let unique = 0;
  for (let i = 0; i < all.length; i += 1) if (i === 0 || all[i] !== all[i - 1]) all[unique++] = all[i];
  return all.subarray(0, unique);
}

/** What a passage contributes to a mark's look, worked out once per passage. */
function prepare(anchored) {
  for (const entry of anchored) {
    const extension = entry.item.studygroup || {};
    entry.color = extension.color || "";
    entry.look = LOOKS[entry.item.motivation] || "yellow";
    entry.private = extension.visibility === "private";
  }
}

/**
 * Sweep the boundaries: each stretch of text covered by at least one passage, with its
 * classes and data-ids. Each passage covers a run of consecutive segments, so it only
 * records its first and last segment index: no per-passage list of marks is ever built.
 */
function segments(anchored) {
  const points = boundaries(anchored);
  const byEnd = anchored.slice().sort((a, b) => a.to - b.to);
  const active = new Set();
  const result = [];
  let opening = 0;
  let closing = 0;
  for (let i = 0; i < points.length - 1; i += 1) {
    const at = points[i];
    while (closing < byEnd.length && byEnd[closing].to <= at) {
      const entry = byEnd[closing++];
      entry.lastSegment = result.length - 1;
      active.delete(entry);
    }
    while (opening < anchored.length && anchored[opening].from <= at) {
      const entry = anchored[opening++];
      entry.firstSegment = result.length;
      if (entry.to > at) active.add(entry);
    }
    if (active.size) result.push(describe(at, points[i + 1], active));
  }
  for (const entry of active) entry.lastSegment = result.length - 1;
  return result;
}

/** Classes: the innermost passage's look, how many cover the text, private if all are. */
function describe(from, to, active) {
  let look = "";
  let allPrivate = true;
  let ids = "";
  for (const entry of active) {
    look = entry.color || entry.look; // the last one opened is the innermost
    if (!entry.private) allPrivate = false;
    ids = ids ? `${ids} ${entry.key}` : entry.key;
  }
  const depth = active.size < MAX_DEPTH ? active.size : MAX_DEPTH;
  const className = `hl hl-${look} hl-d${depth}${allPrivate ? " hl-private" : ""}`;
  return { from, to, className, ids, marks: [] };
}

function markFor(text, segment) {
  const mark = document.createElement("mark");
  mark.className = segment.className;
  mark.setAttribute("data-ids", segment.ids);
  mark.textContent = text;
  segment.marks.push(mark);
  return mark;
}

/** Replace one text node by its plain and painted pieces, in one DOM write. */
function paintNode(node, start, list, first) {
  const data = node.data;
  const end = start + data.length;
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (let k = first; k < list.length && list[k].from < end; k += 1) {
    const segment = list[k];
    const from = Math.max(segment.from, start) - start;
    const to = Math.min(segment.to, end) - start;
    if (from > at) fragment.append(data.slice(at, from));
    fragment.append(markFor(data.slice(from, to), segment));
    at = to;
  }
  if (at < data.length) fragment.append(data.slice(at));
  node.replaceWith(fragment);
}

/** What was painted: the marks of any passage, found through its run of segments. */
class Painting {
  constructor(anchored, list) {
    this.list = list;
    this.byKey = new Map(anchored.map((entry) => [entry.key, entry]));
  }

  get size() {
    return this.byKey.size;
  }

  marksOf(key) {
    const entry = this.byKey.get(key);
    if (!entry || entry.firstSegment === undefined) return [];
    const marks = [];
    for (let i = entry.firstSegment; i <= entry.lastSegment; i += 1) marks.push(...this.list[i].marks);
    return marks;
  }
}

/**
 * Paint the anchored passages (each with `from`, `to` in UTF-16 and a short `key`) into the
 * article mapped by `map`, which must describe the article unpainted.
 */
export function paint(map, anchored) {
  prepare(anchored);
  const list = segments(anchored);
  const { nodes, starts } = map;
  let s = 0;
  for (let n = 0; n < nodes.length && s < list.length; n += 1) {
    const node = nodes[n];
    const start = starts[n];
    const end = start + node.data.length;
    while (s < list.length && list[s].to <= start) s += 1;
    if (s >= list.length || list[s].from >= end) continue;
    if (BLANK.test(node.data) && STRUCTURAL.has(node.parentNode.nodeName)) continue;
    paintNode(node, start, list, s);
  }
  return new Painting(anchored, list);
}

/** Toggle a class on the marks of one passage (emphasis from the panel, focus from a click). */
export function setEmphasis(painting, key, on, name = "hl-emphasis") {
  if (!painting) return;
  for (const mark of painting.marksOf(key)) mark.classList.toggle(name, on);
}

/** The keys of the passages under a mark, innermost (last opened) first. */
export function keysAt(mark) {
  const ids = mark.getAttribute("data-ids");
  return ids ? ids.split(" ").reverse() : [];
}
