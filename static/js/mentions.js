// @mention suggestions for <textarea data-mention-group="<group id>">: type "@" and a letter,
// pick a member with the arrow keys and Enter or Tab (or the mouse), Esc closes the list.
// The textarea stays a textbox: aria-autocomplete, aria-controls and aria-activedescendant
// point screen readers at the listbox; a live region says how many names were found.

const DEBOUNCE_MS = 180;
// "@" at the start or after a non-word character, then a letter and up to 40 name characters.
const TRIGGER = /(?:^|[^\p{L}\p{N}_@])@(\p{L}[^@\n]{0,39})$/u;

let instances = 0;

function create(tag, attributes = {}) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

class MentionBox {
  constructor(textarea) {
    this.textarea = textarea;
    this.url = `/api/groups/${encodeURIComponent(textarea.dataset.mentionGroup)}/members/search`;
    this.id = `mention-listbox-${++instances}`;
    this.members = [];
    this.active = -1;
    this.query = null;
    this.timer = 0;
    this.controller = null;
    this.fruitless = new Set(); // queries that found nobody: longer ones will not either
    this.inserting = false;

    this.listbox = create("ul", { id: this.id, role: "listbox", class: "mention-listbox", "aria-label": "Members" });
    this.listbox.hidden = true;
    this.status = create("p", { class: "visually-hidden", role: "status" });
    textarea.after(this.listbox, this.status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.id);

    textarea.addEventListener("input", () => {
      if (!this.inserting) this.schedule();
    });
    textarea.addEventListener("keydown", (event) => this.onKey(event));
    textarea.addEventListener("blur", () => this.close());
    // mousedown, not click: the textarea keeps focus and its caret.
    this.listbox.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      this.pick(Number(option.dataset.index));
    });
  }

  currentQuery() {
    const { value, selectionStart, selectionEnd } = this.textarea;
    if (selectionStart !== selectionEnd) return null;
    const lineStart = value.lastIndexOf("\n", selectionStart - 1) + 1;
    const match = TRIGGER.exec(value.slice(lineStart, selectionStart));
    return match ? match[1] : null;
  }

  schedule() {
    clearTimeout(this.timer);
    const query = this.currentQuery();
    const known = query && [...this.fruitless].some((miss) => query.toLowerCase().startsWith(miss));
    if (!query || known) {
      this.close();
      return;
    }
    this.timer = setTimeout(() => this.search(query), DEBOUNCE_MS);
  }

  async search(query) {
    this.controller?.abort();
    this.controller = new AbortController();
    let members;
    try {
      const response = await fetch(`${this.url}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.controller.signal,
      });
      if (!response.ok) throw new Error(`member search answered ${response.status}`);
      members = (await response.json()).members;
    } catch (error) {
      if (error.name !== "AbortError") this.close();
      return;
    }
    if (this.currentQuery() !== query) return; // the text moved on while we waited
    if (members.length === 0) this.fruitless.add(query.toLowerCase());
    this.show(query, members);
  }

  show(query, members) {
    this.query = query;
    this.members = members;
    this.listbox.replaceChildren(
      ...members.map((member, index) => {
        const option = create("li", { id: `${this.id}-${index}`, role: "option", "aria-selected": "false" });
        option.dataset.index = String(index);
        option.textContent = member.display_name;
        return option;
      }),
    );
    if (members.length === 0) {
      this.close();
      this.status.textContent = "No member matches.";
      return;
    }
    this.listbox.style.top = `${this.textarea.offsetTop + this.textarea.offsetHeight}px`;
    this.listbox.style.left = `${this.textarea.offsetLeft}px`;
    this.listbox.hidden = false;
    this.status.textContent = `${members.length} member${members.length === 1 ? "" : "s"} found; use the arrow keys and Enter to choose.`;
    this.activate(0);
  }

  activate(index) {
    const options = this.listbox.querySelectorAll("[role=option]");
    if (options.length === 0) return;
    this.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === this.active)));
    const current = options[this.active];
    this.textarea.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  close() {
    clearTimeout(this.timer);
    this.listbox.hidden = true;
    this.listbox.replaceChildren();
    this.members = [];
    this.active = -1;
    this.textarea.removeAttribute("aria-activedescendant");
  }

  get isOpen() {
    return !this.listbox.hidden && this.members.length > 0;
  }

  onKey(event) {
    if (!this.isOpen || event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      this.activate(this.active + moves[event.key]);
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && this.active >= 0) {
      this.pick(this.active);
    } else if (event.key === "Escape") {
      this.close();
      this.status.textContent = "";
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  pick(index) {
    const member = this.members[index];
    if (!member || this.query === null) return;
    const end = this.textarea.selectionStart;
    const start = end - this.query.length - 1; // from the "@"
    this.textarea.setRangeText(`@${member.display_name} `, start, end, "end");
    this.close();
    this.status.textContent = `${member.display_name} mentioned.`;
    this.textarea.focus();
    // Editors that track the text (drafts, previews) hear of the change; we skip our own search.
    this.inserting = true;
    this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
    this.inserting = false;
  }
}

const attached = new WeakMap();

/** Give a textarea @mention suggestions; attaching twice is harmless. */
export function attachMentions(textarea) {
  if (!attached.has(textarea)) attached.set(textarea, new MentionBox(textarea));
  return attached.get(textarea);
}

function attachAll() {
  for (const textarea of document.querySelectorAll("textarea[data-mention-group]")) {
    attachMentions(textarea);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", attachAll);
} else {
  attachAll();
}
