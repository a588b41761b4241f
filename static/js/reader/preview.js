// A live preview under an editor: the server renders the Markdown (mentions included) with
// the same code that stores comments, a moment after typing stops; we show its sanitized HTML.

import { element } from "./dom.js";

const DELAY_MS = 350;

/** A preview box for `textarea`; `render(text)` resolves to sanitized HTML. Returns the box. */
export function attachPreview(textarea, render) {
  const box = element("section", "editor-preview");
  box.setAttribute("aria-label", "Preview");
  box.hidden = true;
  const heading = element("p", "editor-preview-label", "Preview");
  heading.setAttribute("aria-hidden", "true");
  const output = element("div", "editor-preview-body");
  box.append(heading, output);
  let timer = 0;
  let asked = 0;
  const update = async () => {
    const text = textarea.value;
    const ticket = ++asked;
    if (!text.trim()) {
      box.hidden = true;
      output.replaceChildren();
      return;
    }
    try {
      const html = await render(text);
      if (ticket !== asked) return; // a newer request answers for newer text
      output.innerHTML = html; // sanitized by the server's comment renderer
    } catch (problem) {
      if (ticket !== asked) return;
      output.replaceChildren(element("p", "error", `No preview: ${problem.message}`));
    }
    box.hidden = false;
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  });
  return box;
}
