// Find each annotation's passage in the page's text: trust the position when the quote agrees
// (the server re-anchors on every edit), else look for the quote nearby; else it is an orphan.

function selectors(item) {
  const found = { quote: null, position: null };
  const list = (item.target && item.target.selector) || [];
  for (const selector of Array.isArray(list) ? list : [list]) {
    if (selector.type === "TextQuoteSelector") found.quote = selector;
    if (selector.type === "TextPositionSelector") found.position = selector;
  }
  return found;
}

/** A reply targets its parent annotation (an IRI), not the text. */
export function isReply(item) {
  const extension = item.studygroup || {};
  return item.motivation === "replying" || typeof item.target === "string" || extension.parentId != null;
}

/** The quote an annotation is about (for orphans too: their old quote). */
export function quoteOf(item) {
  const { quote } = selectors(item);
  return quote ? quote.exact || "" : "";
}

/** Closest occurrence of `exact` to `hint` (UTF-16), preferring one whose context agrees. */
function search(text, quote, hint) {
  const exact = quote.exact;
  let best = -1;
  let bestScore = -Infinity;
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    const prefixOk = quote.prefix && text.slice(at - quote.prefix.length, at) === quote.prefix;
    const suffixEnd = at + exact.length;
    const suffixOk = quote.suffix && text.slice(suffixEnd, suffixEnd + quote.suffix.length) === quote.suffix;
    const score = (prefixOk ? 1e9 : 0) + (suffixOk ? 1e9 : 0) - Math.abs(at - hint);
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}

/** A note on the reading as a whole: its target is the reading, with no selector. */
function isPageNote(item) {
  const target = item.target;
  return Boolean(target) && typeof target === "object" && !target.selector && !(item.studygroup || {}).orphaned;
}

/**
 * Split the items into anchored passages, orphans and page notes (on the whole reading).
 * Anchored entries carry UTF-16 `from`/`to` (for painting) and code point `start`/`end`.
 */
export function anchorAll(items, map) {
  const anchored = [];
  const orphans = [];
  const pageNotes = [];
  for (const item of items) {
    const extension = item.studygroup || {};
    if (isReply(item)) continue; // replies belong to their thread, not to a passage
    if (isPageNote(item)) {
      pageNotes.push(entryFor(item));
      continue;
    }
    const { quote, position } = selectors(item);
    if (extension.orphaned || !quote || !quote.exact) {
      orphans.push(entryFor(item));
      continue;
    }
    let from = -1;
    if (position && position.end > position.start) {
      const start = map.toUnits(position.start);
      const end = map.toUnits(position.end);
      if (map.text.slice(start, end) === quote.exact) from = start;
    }
    if (from === -1) {
      const hint = position ? map.toUnits(position.start) : 0;
      from = search(map.text, quote, hint);
    }
    if (from === -1) {
      orphans.push(entryFor(item));
      continue;
    }
    const entry = entryFor(item, from, from + quote.exact.length);
    entry.start = map.toCodePoints(entry.from);
    entry.end = map.toCodePoints(entry.to);
    anchored.push(entry);
  }
  anchored.sort((a, b) => a.from - b.from || a.to - b.to || a.number - b.number);
  countOverlaps(anchored);
  return { anchored, orphans, pageNotes };
}

/** The short key used in data-ids and element ids: the number at the end of the id URL. */
export function keyOf(id) {
  let text = String(id);
  while (text.endsWith("/")) text = text.slice(0, -1);
  return text.slice(text.lastIndexOf("/") + 1);
}

function entryFor(item, from = -1, to = -1) {
  const key = keyOf(item.id);
  return { item, id: item.id, key, number: Number(key) || 0, from, to, start: -1, end: -1, overlaps: 0 };
}

/** For each passage, how many annotations (itself included) overlap it: two binary searches. */
function countOverlaps(anchored) {
  const starts = Float64Array.from(anchored, (a) => a.from).sort();
  const ends = Float64Array.from(anchored, (a) => a.to).sort();
  for (const entry of anchored) {
    // Overlapping b: b.from < entry.to and b.to > entry.from.
    entry.overlaps = countBelow(starts, entry.to) - countBelow(ends, entry.from + 1);
  }
}

/** How many values are < limit in a sorted array. */
function countBelow(sorted, limit) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}
