// The side panel: cards in document order (rendered in batches, so 10,000 stay fast),
// filters, the orphans' own section, the editor slot and the "N new" button. It owns no
// data: main gives it the anchored and orphaned entries (and, through `threadContext`, what
// a card's thread needs) and handles the actions it reports.

import { quoteOf } from "./anchoring.js";
import { buildCard } from "./cards.js";

const BATCH = 200;
const FILTERS = {
  all: () => true,
  mine: (item) => Boolean(item.studygroup && item.studygroup.mine),
  questions: (item) => item.motivation === "questioning",
  private: (item) => Boolean(item.studygroup && item.studygroup.visibility === "private"),
};

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

const noThreads = () => null;

/** A highlight with nothing to tell apart from another on the same words: shared, no thread. */
function plainHighlight(entry, index) {
  const extension = entry.item.studygroup || {};
  if (entry.item.motivation !== "highlighting" || extension.visibility !== "group" || extension.deleted) return null;
  if (index && index.hasReplies(entry.key)) return null;
  return `${entry.from}:${entry.to}:${extension.color || ""}`;
}

/**
 * Identical plain highlights of one passage become one card ("3 highlighted this"), shown
 * as the viewer's own when one is theirs (so its actions are theirs). Returns the entries to
 * show and, for each folded key, the key of the card that stands for it.
 */
export function foldHighlights(entries, threadContext) {
  const groups = new Map();
  const context = entries.length ? threadContext(entries[0]) : null; // one reply index for all
  const index = context ? context.index : null;
  for (const entry of entries) {
    const passage = plainHighlight(entry, index);
    if (!passage) continue;
    if (groups.has(passage)) groups.get(passage).push(entry);
    else groups.set(passage, [entry]);
  }
  const alias = new Map();
  const folded = new Map(); // the first entry of each group -> the card that shows the group
  const hidden = new Set(); // the rest of each group
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const shown = group.find((entry) => (entry.item.studygroup || {}).mine) || group[0];
    folded.set(group[0], { ...shown, together: group });
    for (const entry of group.slice(1)) hidden.add(entry);
    for (const entry of group) if (entry !== shown) alias.set(entry.key, shown.key);
  }
  if (!folded.size) return { list: entries, alias };
  const list = [];
  for (const entry of entries) {
    if (folded.has(entry)) list.push(folded.get(entry));
    else if (!hidden.has(entry)) list.push(entry);
  }
  return { list, alias };
}

class CardList {
  constructor(list, more, options) {
    this.list = list;
    this.more = more;
    this.options = options;
    this.entries = [];
    this.shown = 0;
    if (more) more.addEventListener("click", () => this.grow(this.shown + BATCH));
  }

  /** Replace the entries; keep at least as many rendered as before (a refresh keeps its place). */
  set(entries) {
    const keep = Math.max(BATCH, this.shown);
    this.entries = entries;
    this.shown = 0;
    this.list.replaceChildren();
    this.grow(keep);
  }

  /** Render entries up to `count`, in one DocumentFragment. */
  grow(count) {
    const target = Math.min(count, this.entries.length);
    if (target > this.shown) {
      const fragment = document.createDocumentFragment();
      for (let i = this.shown; i < target; i += 1) fragment.append(this.options.build(this.entries[i]));
      this.list.append(fragment);
      this.shown = target;
    }
    if (this.more) {
      const left = this.entries.length - this.shown;
      this.more.hidden = left <= 0;
      this.more.textContent = `Show more (${left} more)`;
    }
  }

  /** The card for `key`, rendering up to it if needed; null if it is not in this list. */
  reveal(key) {
    const index = this.entries.findIndex((entry) => entry.key === key);
    if (index === -1) return null;
    if (index >= this.shown) this.grow(index + BATCH);
    return this.list.querySelector(`#annotation-${CSS.escape(key)}`);
  }
}

export class Panel {
  /**
   * `handlers`: onAction(action, key, button), onThreadAction(action, key, button, cardKey),
   * onEmphasis(key, on), onLive(). `threadContext(entry)`: the card's thread (cards.js).
   */
  constructor(aside, { canReattach, handlers, threadContext = noThreads }) {
    this.aside = aside;
    this.handlers = handlers;
    this.canReattach = canReattach;
    this.filter = "all";
    this.threadContext = threadContext;
    this.alias = new Map(); // a folded highlight's key -> the key of the card showing it
    this.anchored = [];
    this.orphans = [];
    this.pageNotes = [];
    const find = (name) => aside.querySelector(`[data-${name}]`);
    this.status = find("panel-status");
    this.total = find("panel-total");
    this.editorSlot = find("panel-editor");
    this.orphanSection = find("panel-orphans");
    this.pageNoteSection = find("panel-page-notes");
    this.sheetToggle = aside.querySelector(".panel-sheet-toggle");
    this.liveButton = find("panel-live");
    this.cards = new CardList(find("annotation-list"), find("panel-more"), {
      build: (entry) => buildCard(entry, { quote: quoteOf(entry.item), context: threadContext(entry) }),
    });
    this.orphanCards = new CardList(find("orphan-list"), null, {
      build: (entry) => buildCard(entry, {
        orphan: true,
        canReattach: this.canReattach(entry.item),
        quote: quoteOf(entry.item),
        context: threadContext(entry),
      }),
    });
    this.pageNoteCards = new CardList(find("page-note-list"), null, {
      build: (entry) => buildCard(entry, { pageNote: true, context: threadContext(entry) }),
    });
    this.listen();
    this.autoGrow(find("panel-more"));
  }

  listen() {
    const aside = this.aside;
    aside.addEventListener("click", (event) => {
      const filter = event.target.closest("button[data-filter]");
      if (filter) return this.setFilter(filter.dataset.filter);
      if (event.target === this.sheetToggle) return this.setOpen(!aside.classList.contains("is-open"));
      if (event.target === this.liveButton) return this.handlers.onLive();
      const card = event.target.closest(".annotation-card");
      const control = event.target.closest("[data-thread-action]");
      if (control && card) {
        const holder = control.closest("[data-thread-key]");
        return this.handlers.onThreadAction(control.dataset.threadAction, holder.dataset.threadKey, control, card.dataset.key);
      }
      const action = event.target.closest("[data-action]");
      if (action && card) this.handlers.onAction(action.dataset.action, card.dataset.key, action);
    });
    const emphasis = (on) => (event) => {
      const card = event.target.closest(".annotation-card");
      if (!card) return;
      const related = event.relatedTarget;
      if (related && card.contains(related)) return; // moving inside the same card
      this.handlers.onEmphasis(card.dataset.key, on);
    };
    aside.addEventListener("mouseover", emphasis(true));
    aside.addEventListener("mouseout", emphasis(false));
    aside.addEventListener("focusin", emphasis(true));
    aside.addEventListener("focusout", emphasis(false));
  }

  /** Render the next batch when "Show more" scrolls into view. */
  autoGrow(more) {
    if (!more || !("IntersectionObserver" in window)) return;
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((entry) => entry.isIntersecting)) this.cards.grow(this.cards.shown + BATCH);
    }, { rootMargin: "400px" });
    observer.observe(more);
  }

  /** Show these entries (anchored ones in document order; notes on the whole reading on top). */
  setData(anchored, orphans, pageNotes = []) {
    this.anchored = anchored;
    this.orphans = orphans;
    this.pageNotes = pageNotes;
    this.render();
  }

  setFilter(name) {
    if (!FILTERS[name]) return;
    this.filter = name;
    for (const button of this.aside.querySelectorAll("button[data-filter]")) {
      button.setAttribute("aria-pressed", String(button.dataset.filter === name));
    }
    this.render();
  }

  render() {
    const keep = FILTERS[this.filter];
    const anchored = this.filter === "all" ? this.anchored : this.anchored.filter((e) => keep(e.item));
    const orphans = this.orphans.filter((e) => keep(e.item));
    const pageNotes = this.pageNotes.filter((e) => keep(e.item));
    this.pageNoteCards.set(pageNotes);
    this.pageNoteSection.hidden = pageNotes.length === 0;
    const { list, alias } = foldHighlights(anchored, this.threadContext);
    this.alias = alias;
    this.cards.set(list);
    this.orphanCards.set(orphans);
    this.orphanSection.hidden = orphans.length === 0;
    const count = this.anchored.length + this.orphans.length + this.pageNotes.length;
    this.setTotal(count);
    const shown = anchored.length + orphans.length + pageNotes.length;
    const filtered = this.filter === "all" ? "" : ` Showing ${shown}.`;
    this.setStatus(count ? `${plural(count, "annotation")}.${filtered}` : "No annotations yet: select some text to start.");
  }

  /** The panel's "(N)" and the sheet's "Annotations (N)": also set by live polling. */
  setTotal(count) {
    this.total.textContent = `(${count})`;
    if (this.sheetToggle) this.sheetToggle.textContent = `Annotations (${count})`;
  }

  setStatus(message) {
    this.status.textContent = message;
  }

  /** The "N new" button: its text, or hidden when there is nothing waiting. */
  setLive(text) {
    if (!this.liveButton) return;
    this.liveButton.textContent = text;
    this.liveButton.hidden = !text;
  }

  /** Where focus goes when what it was on went away: the list of cards. */
  focusList() {
    const list = this.cards.list;
    if (!list.hasAttribute("tabindex")) list.tabIndex = -1;
    list.focus({ preventScroll: true });
  }

  /** Build a rendered card again from its (changed) entry; false if it is not rendered. */
  rebuild(entry) {
    const old = this.card(entry.key);
    if (!old) return false;
    const list = [this.orphanCards, this.pageNoteCards].find((cards) => cards.list.contains(old)) || this.cards;
    old.replaceWith(list.options.build(entry));
    return true;
  }

  /** Bring a card into view and focus it, switching to "All" if the filter hides it. */
  reveal(key, { focus = true } = {}) {
    key = this.alias.get(key) || key;
    const find = () => this.cards.reveal(key) || this.orphanCards.reveal(key) || this.pageNoteCards.reveal(key);
    let card = find();
    if (!card && this.filter !== "all") {
      this.setFilter("all");
      card = find();
    }
    if (!card) return null;
    this.setOpen(true);
    card.scrollIntoView({ block: "nearest" });
    if (focus) card.focus({ preventScroll: true });
    return card;
  }

  /** On phones the panel is a bottom sheet; opening it shows the list. */
  setOpen(open) {
    this.aside.classList.toggle("is-open", open);
    if (this.sheetToggle) this.sheetToggle.setAttribute("aria-expanded", String(open));
  }

  card(key) {
    key = this.alias.get(key) || key;
    return this.aside.querySelector(`#annotation-${CSS.escape(key)}`);
  }

  /** Say something about one card on the card itself (where the reader is looking), and in the status. */
  tellCard(key, message) {
    const card = this.card(key);
    const slot = card && card.querySelector(":scope > .card-feedback");
    if (slot) slot.textContent = message;
    this.setStatus(message);
  }
}
