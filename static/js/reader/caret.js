// A visible caret in the text while it has keyboard focus: the article is not editable, so
// the browser draws none, and keyboard annotators could not see where Shift+arrows start.

/** Where the selection's moving end is, as a box in the page, or null. */
function focusBox(selection) {
  if (!selection.rangeCount || !selection.focusNode) return null;
  const range = document.createRange();
  range.setStart(selection.focusNode, selection.focusOffset);
  const box = range.getClientRects()[0] || range.getBoundingClientRect();
  return box && box.height ? box : null;
}

export function showCaret(article) {
  const caret = document.createElement("span");
  caret.className = "text-caret";
  caret.setAttribute("aria-hidden", "true");
  caret.hidden = true;
  document.body.append(caret);
  const place = () => {
    const selection = document.getSelection();
    const box = article.matches(":focus-visible") && article.contains(selection.focusNode) ? focusBox(selection) : null;
    caret.hidden = !box;
    if (!box) return;
    caret.style.setProperty("--caret-left", `${box.left + window.scrollX}px`);
    caret.style.setProperty("--caret-top", `${box.top + window.scrollY}px`);
    caret.style.setProperty("--caret-height", `${box.height}px`);
  };
  document.addEventListener("selectionchange", place);
  article.addEventListener("focus", place);
  article.addEventListener("blur", () => { caret.hidden = true; });
}
