// The reader's annotations: fetch, anchor and paint them all, list them in the panel with
// their threads, turn selections into new highlights, comments, questions and notes, and
// keep up with the group (live.js). Entry module.

import { createApi } from "./api.js";
import { anchorAll, isReply, keyOf } from "./anchoring.js";
import { finishReattaching, runCardAction, stopReattaching } from "./card-actions.js";
import { noticeEdit, restoreDraft } from "./edited.js";
import { openEditor } from "./editor.js";
import { keysAt, paint, setEmphasis, unpaint } from "./highlights.js";
import { followLinks, goToLinked } from "./linked.js";
import { LiveUpdates } from "./live.js";
import { Panel } from "./panel.js";
import { enablePrinting } from "./printing.js";
import { enableKeyboardSelection, readSelection } from "./selection.js";
import { TextMap } from "./textmap.js";
import { Threads } from "./thread-actions.js";
import { Toolbar } from "./toolbar.js";

const MOTIVATIONS = {
  comment: ["commenting", "group"],
  question: ["questioning", "group"],
  note: ["commenting", "private"],
};
const SAVED = {
  comment: "Comment saved.",
  question: "Question saved.",
  note: "Note saved: only you can see it.",
};

class Reader {
  constructor(root, article, aside) {
    this.article = article;
    this.facilitator = root.dataset.facilitator === "true";
    this.groupId = root.dataset.groupId || "";
    this.readingId = root.dataset.readingId;
    this.revision = Number(root.dataset.revision) || null; // the text this page shows
    this.api = createApi(root.dataset.annotationsUrl);
    this.items = [];
    this.byKey = new Map();
    this.marks = null; // the Painting: each passage's marks
    this.map = null; // describes the article's current DOM; null once painting replaced nodes
    this.pending = null; // the selected passage the toolbar acts on
    this.reattaching = null; // key of the orphan being re-attached
    this.editor = null;
    this.toolbar = new Toolbar((action, color) => this.onToolbar(action, color));
    this.toolbar.attachAfter(article);
    this.threads = new Threads(this, { readingId: root.dataset.readingId, groupId: this.groupId });
    this.live = new LiveUpdates(this);
    this.panel = new Panel(aside, {
      canReattach: (item) => Boolean(item.studygroup && item.studygroup.mine) || this.facilitator,
      threadContext: (entry) => this.threads.contextFor(entry),
      handlers: {
        onAction: (action, key, button) => this.onCardAction(action, key, button),
        onThreadAction: (action, key, button, cardKey) => this.threads.run(action, key, button, cardKey),
        onEmphasis: (key, on) => setEmphasis(this.marks, key, on),
        onLive: () => this.live.apply(),
      },
    });
  }

  textMap() {
    if (!this.map) this.map = new TextMap(this.article);
    return this.map;
  }

  async load() {
    performance.mark("annotations-fetch-start");
    const fetching = this.api.list();
    this.textMap(); // map the text while the request is in flight
    let etag = null;
    let revision = null;
    try {
      ({ items: this.items, etag, revision } = await fetching);
    } catch (error) {
      this.panel.setStatus(`Could not load the annotations: ${error.message}`);
      return;
    }
    performance.mark("annotations-fetched");
    this.refresh(true);
    performance.mark("annotations-painted");
    // For benchmarks: when the browser has also styled and laid out the painted page.
    requestAnimationFrame(() => setTimeout(() => performance.mark("annotations-rendered")));
    this.live.start(etag);
    goToLinked(this);
    followLinks(this);
    if (revision && revision !== this.revision) noticeEdit(this);
    restoreDraft(this);
  }

  /** Anchor and paint every annotation, then rebuild the panel: one pass each. */
  refresh(timed = false) {
    if (this.marks) {
      unpaint(this.article);
      this.map = null;
    }
    const map = this.textMap();
    const { anchored, orphans, pageNotes } = anchorAll(this.items, map);
    if (timed) performance.mark("annotations-anchored");
    this.marks = paint(map, anchored);
    if (timed) performance.mark("annotations-highlighted");
    this.map = null;
    this.byKey = new Map([...pageNotes, ...anchored, ...orphans].map((entry) => [entry.key, entry]));
    this.threads.setItems(this.items); // replies, indexed in one pass; drawn card by card
    this.renderPanel(() => this.panel.setData(anchored, orphans, pageNotes));
    this.article.dataset.anchored = String(anchored.length);
    this.article.dataset.orphaned = String(orphans.length);
  }

  /**
   * Re-render the panel (`render`, or the same entries again) without losing an open editor:
   * its draft moves into the new card, and keeps focus if it had it.
   */
  renderPanel(render = () => this.panel.render()) {
    const editor = this.editor;
    const focused = Boolean(editor && editor.form.contains(document.activeElement));
    render();
    if (!editor || editor.form.isConnected) return;
    const slot = editor.findSlot ? editor.findSlot() : null;
    if (!slot) return editor.close();
    slot.replaceChildren(editor.form);
    if (focused) editor.textarea.focus({ preventScroll: true });
  }

  /** A write of ours: a poll that began before it may not show it. */
  touched() {
    this.live.touched();
  }

  /** Show a change to `items`: anchor and paint again, or (`repaint` false) redraw the panel only. */
  redraw(repaint) {
    this.touched();
    if (repaint) return this.refresh();
    this.threads.setItems(this.items);
    this.renderPanel();
  }

  /** Forget an annotation the server no longer has, and the tombstones it alone held up. */
  dropItem(id) {
    const gone = new Set(this.threads.removedWith(keyOf(id)));
    this.items = this.items.filter((item) => !gone.has(keyOf(item.id)));
    this.redraw([...gone].some((key) => this.byKey.has(key)));
  }

  /**
   * Add or replace an annotation; `repaint: false` when its passage and look are unchanged.
   * A reply (new, edited or deleted) changes its thread, never the text.
   */
  replaceItem(updated, { repaint = true } = {}) {
    const key = keyOf(updated.id);
    const index = this.items.findIndex((item) => keyOf(item.id) === key);
    if (index === -1) this.items.push(updated);
    else this.items[index] = updated;
    const entry = this.byKey.get(key);
    if (entry) entry.item = updated;
    this.redraw(!isReply(updated) && (repaint || !entry));
    return key;
  }

  // ---- Selection and toolbar ------------------------------------------------------------

  listen() {
    let mouseDown = false;
    let scheduled = false;
    const check = () => {
      scheduled = false;
      if (!mouseDown) this.checkSelection();
    };
    document.addEventListener("selectionchange", () => {
      if (!scheduled) requestAnimationFrame(check);
      scheduled = true;
    });
    this.article.addEventListener("pointerdown", (event) => {
      if (event.pointerType === "mouse") mouseDown = true;
    });
    document.addEventListener("pointerup", () => {
      if (!mouseDown) return;
      mouseDown = false;
      requestAnimationFrame(() => this.checkSelection());
    });
    document.addEventListener("keydown", (event) => this.onKeydown(event));
    this.article.addEventListener("click", (event) => this.onArticleClick(event));
    enableKeyboardSelection(this.article);
  }

  checkSelection() {
    if (this.toolbar.contains(document.activeElement)) return;
    const passage = readSelection(this.article, this.textMap());
    this.pending = passage;
    if (!passage) return this.toolbar.hide();
    this.toolbar.setMode(this.reattaching ? "reattach" : "annotate");
    this.toolbar.show(passage.range);
  }

  /** In the text: Tab goes to the selection's toolbar; Escape puts the toolbar away. */
  onKeydown(event) {
    if (document.activeElement !== this.article) return;
    const selecting = !document.getSelection().isCollapsed;
    if (event.key === "Escape" && (selecting || this.toolbar.isOpen || this.reattaching)) {
      if (this.reattaching) stopReattaching(this, "Re-attaching cancelled.");
      else this.closeToolbar();
      return;
    }
    if (event.key !== "Tab" || event.shiftKey) return;
    this.checkSelection(); // the frame-delayed check may not have seen the last key yet
    if (!this.pending) return;
    event.preventDefault();
    this.toolbar.focus();
  }

  closeToolbar() {
    this.toolbar.hide();
    const selection = document.getSelection();
    if (selection.rangeCount) selection.collapseToEnd();
    this.pending = null;
  }

  onToolbar(action, color) {
    // The selection itself, if it is still there: `pending` may be a frame behind.
    const passage = readSelection(this.article, this.textMap()) || this.pending;
    if (action === "dismiss") {
      this.toolbar.hide();
      this.article.focus({ preventScroll: true });
      return;
    }
    if (action === "cancel-reattach") return stopReattaching(this, "Re-attaching cancelled.");
    if (!passage) return;
    this.closeToolbar();
    if (action === "highlight") {
      const request = () => this.api.create({ motivation: "highlighting", passage, color, revision: this.revision });
      return this.save(request, "Highlight saved.", false);
    }
    if (action === "reattach") return finishReattaching(this, passage);
    if (MOTIVATIONS[action]) this.compose(action, passage);
  }

  /** Write a note on `passage` (chosen on `passage.revision` of the text, or this page's). */
  compose(kind, passage, initial = "") {
    if (this.editor) this.editor.close();
    const [motivation, visibility] = MOTIVATIONS[kind];
    const revision = passage.revision || this.revision;
    this.panel.setOpen(true);
    this.editor = openEditor({
      slot: this.panel.editorSlot,
      kind,
      quote: passage.exact,
      initial,
      mentionGroup: visibility === "group" ? this.groupId : "",
      onSave: async (text) => {
        const created = await this.api.create({ motivation, passage, text, visibility, revision });
        this.panel.reveal(this.replaceItem(created));
        this.panel.setStatus(SAVED[kind]);
      },
      onClose: (saved) => {
        this.editor = null;
        if (!saved) this.article.focus({ preventScroll: true });
      },
    });
    this.editor.passage = { ...passage, revision };
  }

  async save(request, message, focusCard = true) {
    try {
      const key = this.replaceItem(await request());
      this.panel.setStatus(message);
      if (focusCard) this.panel.reveal(key);
      return key;
    } catch (error) {
      this.panel.setStatus(error.message);
      return null;
    }
  }

  // ---- Cards and highlights -------------------------------------------------------------

  onArticleClick(event) {
    const mark = event.target.closest("mark.hl");
    if (!mark || !document.getSelection().isCollapsed) return;
    const key = keysAt(mark)[0];
    if (key && this.panel.reveal(key)) this.flash(key);
  }

  flash(key) {
    setEmphasis(this.marks, key, true, "hl-flash");
    setTimeout(() => setEmphasis(this.marks, key, false, "hl-flash"), 1600);
  }

  showInText(key) {
    const marks = this.marks.marksOf(key);
    if (!marks.length) return;
    marks[0].scrollIntoView({ block: "center" });
    this.flash(key);
  }

  onCardAction(action, key, button) {
    const entry = this.byKey.get(key);
    if (!entry) return;
    if (action === "show") this.showInText(key);
    else runCardAction(this, action, entry, button);
  }
}

const root = document.getElementById("reader");
const article = document.getElementById("reading-text");
const aside = document.getElementById("annotation-panel");
if (root && article && aside) {
  const reader = new Reader(root, article, aside);
  reader.listen();
  reader.load();
  enablePrinting(reader);
}
