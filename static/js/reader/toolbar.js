// The small toolbar next to a selection: Highlight (and colours), Comment, Question,
// Note to self; or, while re-attaching an orphan, "Re-attach here". A WAI-ARIA toolbar:
// one tab stop, arrow keys between buttons, Escape to go back to the text.

export const COLORS = ["yellow", "green", "blue", "pink", "purple"];
const GAP = 8;

function button(label, action, extra = {}) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = `toolbar-button ${extra.className || ""}`.trim();
  element.dataset.action = action;
  if (extra.color) element.dataset.color = extra.color;
  if (extra.text !== undefined) {
    element.textContent = extra.text;
    element.setAttribute("aria-label", label);
    element.title = label;
  } else {
    element.textContent = label;
  }
  return element;
}

function annotateButtons() {
  const buttons = [
    button("Highlight", "highlight", { color: "yellow", className: "toolbar-primary" }),
    button("Comment", "comment"),
    button("Question", "question"),
    button("Note to self", "note"),
  ];
  for (const color of COLORS) {
    const name = `${color[0].toUpperCase()}${color.slice(1)} highlight`;
    buttons.push(button(name, "highlight", { color, text: "", className: `toolbar-swatch swatch-${color}` }));
  }
  return buttons;
}

function reattachButtons() {
  return [
    button("Re-attach here", "reattach", { className: "toolbar-primary" }),
    button("Cancel re-attaching", "cancel-reattach"),
  ];
}

export class Toolbar {
  /** `onAction(action, color)` runs when a button is chosen. */
  constructor(onAction) {
    this.onAction = onAction;
    this.element = document.createElement("div");
    this.element.className = "annotation-toolbar";
    this.element.setAttribute("role", "toolbar");
    this.element.setAttribute("aria-label", "Annotate the selected text");
    this.element.hidden = true;
    this.mode = null;
    this.setMode("annotate");
    // Keep the selection: a press on the toolbar must not move focus or clear it.
    this.element.addEventListener("mousedown", (event) => event.preventDefault());
    this.element.addEventListener("click", (event) => {
      const target = event.target.closest("button[data-action]");
      if (target) this.onAction(target.dataset.action, target.dataset.color || null);
    });
    this.element.addEventListener("keydown", (event) => this.onKeydown(event));
  }

  /** Place it in the document right after `node`, so Tab from it goes on to the panel. */
  attachAfter(node) {
    node.after(this.element);
  }

  setMode(mode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.element.replaceChildren(...(mode === "reattach" ? reattachButtons() : annotateButtons()));
    this.element.setAttribute(
      "aria-label",
      mode === "reattach" ? "Re-attach the annotation" : "Annotate the selected text",
    );
    this.roving(0);
  }

  get buttons() {
    return Array.from(this.element.querySelectorAll("button"));
  }

  roving(index) {
    this.buttons.forEach((element, i) => {
      element.tabIndex = i === index ? 0 : -1;
    });
  }

  get isOpen() {
    return !this.element.hidden;
  }

  contains(node) {
    return this.element.contains(node);
  }

  /** Show next to the selection's rectangles: above it, or below on touch screens. */
  show(range) {
    const rects = range.getClientRects();
    if (!rects.length) return;
    const first = rects[0];
    const last = rects[rects.length - 1];
    this.element.hidden = false;
    const { width, height } = this.element.getBoundingClientRect();
    const touch = window.matchMedia("(pointer: coarse)").matches;
    const below = touch || first.top - height - GAP < 0;
    const top = below ? last.bottom + GAP : first.top - height - GAP;
    const anchorX = below ? last.right : first.left;
    const maxLeft = document.documentElement.clientWidth - width - GAP;
    const left = Math.max(GAP, Math.min(anchorX - (below ? width / 2 : 0), maxLeft));
    // Wherever its containing block is: measure where (0, 0) lands, then offset from there.
    this.element.style.top = "0px";
    this.element.style.left = "0px";
    const origin = this.element.getBoundingClientRect();
    this.element.style.top = `${Math.round(top - origin.top)}px`;
    this.element.style.left = `${Math.round(left - origin.left)}px`;
  }

  hide() {
    this.element.hidden = true;
    this.roving(0);
  }

  focus() {
    const current = this.buttons.find((element) => element.tabIndex === 0) || this.buttons[0];
    if (current) current.focus();
  }

  onKeydown(event) {
    const buttons = this.buttons;
    const index = buttons.indexOf(document.activeElement);
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (index + 1) % buttons.length;
    if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (index - 1 + buttons.length) % buttons.length;
    if (event.key === "Home") next = 0;
    if (event.key === "End") next = buttons.length - 1;
    if (next !== null) {
      this.roving(next);
      buttons[next].focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.onAction("dismiss", null);
    }
  }
}
