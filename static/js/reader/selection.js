// The reader's selection as a passage: code point offsets into the article's text plus the
// W3C quote (exact, and 32 code points of context either side). Also keyboard selection:
// Chromium only extends selections with Shift+arrows in editable text, so the article
// gets a small caret-browsing mode of its own.

import { showCaret } from "./caret.js";

export const CONTEXT_LENGTH = 32;

/** The selected passage inside `article`, or null; whitespace at either end is dropped. */
export function readSelection(article, map) {
  const selection = document.getSelection();
  if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(article)) return null;
  let from = map.unitOffset(range.startContainer, range.startOffset);
  let to = map.unitOffset(range.endContainer, range.endOffset);
  const text = map.text;
  while (from < to && /\s/.test(text[from])) from += 1;
  while (to > from && /\s/.test(text[to - 1])) to -= 1;
  if (from >= to) return null;
  return passageAt(map, map.toCodePoints(from), map.toCodePoints(to), range);
}

/** A passage from code point offsets: what the API's selectors need. */
export function passageAt(map, start, end, range = null) {
  return {
    start,
    end,
    exact: map.slice(start, end),
    prefix: map.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: map.slice(end, Math.min(map.codePointLength, end + CONTEXT_LENGTH)),
    range,
  };
}

const KEYS = {
  ArrowLeft: ["backward", "character"],
  ArrowRight: ["forward", "character"],
  ArrowUp: ["backward", "line"],
  ArrowDown: ["forward", "line"],
  Home: ["backward", "lineboundary"],
  End: ["forward", "lineboundary"],
};

function caretInside(article) {
  const selection = document.getSelection();
  return selection.rangeCount > 0 && article.contains(selection.focusNode);
}

/** Put the caret at the first text visible in the article (or its very start). */
function placeCaret(article) {
  const box = article.getBoundingClientRect();
  const x = Math.max(box.left + 2, 2);
  const y = Math.max(box.top + 2, 2);
  let range = document.caretRangeFromPoint ? document.caretRangeFromPoint(x, y) : null;
  if (!range || !article.contains(range.startContainer)) {
    range = document.createRange();
    range.setStart(article, 0);
  }
  document.getSelection().collapse(range.startContainer, range.startOffset);
}

function revealFocus(selection) {
  const node = selection.focusNode;
  const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  if (element) element.scrollIntoView({ block: "nearest", inline: "nearest" });
}

/**
 * Keyboard selection in the article: Tab to it, arrows move a caret, Shift+arrows select,
 * Ctrl/Alt+Left/Right go by word.
 */
export function enableKeyboardSelection(article) {
  if (!article.hasAttribute("tabindex")) article.tabIndex = 0;
  showCaret(article);
  if (!article.hasAttribute("aria-label")) {
    article.setAttribute("aria-label", "Reading text: use Shift and the arrow keys to select a passage");
  }
  article.addEventListener("focus", () => {
    // Keyboard focus only: a click places its own caret.
    if (article.matches(":focus-visible") && !caretInside(article)) placeCaret(article);
  });
  article.addEventListener("keydown", (event) => {
    const move = KEYS[event.key];
    if (!move || event.target !== article || event.metaKey) return;
    if (!caretInside(article)) placeCaret(article);
    const selection = document.getSelection();
    let [direction, granularity] = move;
    if ((event.ctrlKey || event.altKey) && granularity === "character") granularity = "word";
    selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
    revealFocus(selection);
    event.preventDefault();
  });
}
