// What the thread controls in the panel do: show and hide replies, reply (with @mention
// suggestions and a live preview), edit or delete one's own reply, upvote, mark a reply as its
// question's answer, reopen it. It owns the reply index and which threads are collapsed;
// main's Reader owns the list.

import { keyOf } from "./anchoring.js";
import { confirmDelete } from "./deleting.js";
import { threadHolder } from "./dom.js";
import { openEditor } from "./editor.js";
import { fillReplies, setVote, toggleLabel } from "./replies.js";
import { ThreadIndex } from "./threads.js";

const FORBIDDEN_ANSWER = "Only the person who asked, or a facilitator, can choose the answer.";

/** Show an API error next to the control that failed (in its card or reply). */
function showError(button, message) {
  const holder = button.closest("[data-thread-key]");
  const slot = holder && holder.querySelector(":scope > .thread-error");
  if (slot) slot.textContent = message;
}

export class Threads {
  constructor(reader, { readingId, groupId }) {
    this.reader = reader;
    this.readingId = readingId;
    this.groupId = groupId;
    this.index = new ThreadIndex();
    this.collapsed = new Set(); // keys whose replies the reader hid: kept across refreshes
  }

  /** Index every reply in the list: one pass. */
  setItems(items) {
    this.index = new ThreadIndex(items);
  }

  /** What replies.js needs to draw the thread under a root card. */
  contextFor(entry) {
    const extension = entry.item.studygroup || {};
    const question = entry.item.motivation === "questioning";
    return {
      index: this.index,
      collapsed: this.collapsed,
      readingId: this.readingId,
      answerKey: question && extension.answerId != null ? keyOf(extension.answerId) : null,
      canMarkAnswer: question && Boolean(extension.canMarkAnswer),
    };
  }

  itemOf(key) {
    const entry = this.reader.byKey.get(key);
    return entry ? entry.item : this.index.replies.get(key) || null;
  }

  /** A thread control was pressed: `key` is its card's or reply's, `cardKey` the thread's root. */
  run(action, key, button, cardKey) {
    const item = this.itemOf(key);
    const root = this.reader.byKey.get(cardKey);
    if (!item || !root) return;
    showError(button, "");
    if (action === "toggle") this.toggle(key, button, root);
    else if (action === "reply") this.reply(item, cardKey);
    else if (action === "edit") this.edit(item, cardKey);
    else if (action === "delete") this.remove(item, button);
    else if (action === "vote") this.vote(item, button);
    else if (action === "answer") this.setAnswer(root, item, button);
    else if (action === "reopen") this.setAnswer(root, null, button);
  }

  toggle(key, button, root) {
    const list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    const open = list.hidden;
    if (open) {
      this.collapsed.delete(key);
      if (!list.dataset.filled) fillReplies(list, key, this.contextFor(root)); // built when first shown
    } else {
      this.collapsed.add(key);
    }
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = toggleLabel(this.index.sizeOf(key), open);
  }

  slotFor(key) {
    const holder = threadHolder(this.reader.panel.aside, key);
    return holder && holder.querySelector(":scope > .thread-editor-slot");
  }

  /** Open the editor under `key` (a card or a reply); cancelling goes back to its `action` button. */
  openIn(key, action, options) {
    const reader = this.reader;
    const slot = this.slotFor(key);
    if (!slot) return;
    if (reader.editor) reader.editor.close();
    reader.editor = openEditor({
      slot,
      mentionGroup: this.groupId,
      preview: (text) => reader.api.preview(text, Number(this.groupId)),
      ...options,
      onClose: (saved) => {
        reader.editor = null;
        if (!saved) this.focusControl(key, action);
      },
    });
    reader.editor.findSlot = () => this.slotFor(key);
  }

  reply(parent, cardKey) {
    const author = (parent.creator && parent.creator.name) || "this comment";
    this.openIn(keyOf(parent.id), "reply", {
      kind: "reply",
      label: `Reply to ${author}`,
      onSave: async (text) => {
        const created = await this.reader.api.reply(parent.id, text);
        this.reader.replaceItem(created);
        this.focusReply(keyOf(created.id), cardKey);
        this.reader.panel.setStatus("Reply posted.");
      },
    });
  }

  /** Edit one's own reply where it stands: its Markdown in, its new HTML (and "edited") out. */
  edit(reply, cardKey) {
    const text = (reply.body || []).find((body) => body.purpose !== "tagging");
    this.openIn(keyOf(reply.id), "edit", {
      kind: "edit",
      label: "Edit reply",
      initial: text ? text.value : "",
      onSave: async (value) => {
        const updated = await this.reader.api.update(reply.id, { text: value });
        this.reader.replaceItem(updated);
        this.focusReply(keyOf(updated.id), cardKey);
        this.reader.panel.setStatus("Changes saved.");
      },
    });
  }

  remove(reply, button) {
    confirmDelete(this.reader, reply, button, (message) => showError(button, message));
  }

  /** `key` and the tombstones above it left holding nothing: what deleting it removes, as on the server. */
  removedWith(key) {
    const keys = [key];
    for (const above of this.index.ancestorsOf(key)) {
      const extension = (this.itemOf(above) || {}).studygroup || {};
      if (!extension.deleted || this.index.childrenOf(above).length > 1) break;
      keys.push(above);
    }
    return keys;
  }

  /** A card's or reply's own `action` button (back from a closed editor), else the card or reply. */
  focusControl(key, action) {
    const holder = threadHolder(this.reader.panel.aside, key);
    if (!holder) return;
    const own = `[data-thread-action="${action}"]`;
    const button = holder.querySelector(`:scope > .reply-actions ${own}, :scope > .card-actions ${own}`);
    (button || holder).focus();
  }

  /** Open every level above a reply, bring its card into view and focus the reply. */
  focusReply(key, cardKey = null) {
    const ancestors = this.index.ancestorsOf(key);
    let opened = false;
    for (const above of ancestors) opened = this.collapsed.delete(above) || opened;
    if (opened) this.reader.renderPanel();
    const root = cardKey || ancestors[ancestors.length - 1];
    const card = root && this.reader.panel.reveal(root, { focus: false });
    const node = document.getElementById(`reply-${key}`);
    const target = node || card;
    if (!target) return;
    target.scrollIntoView({ block: "nearest" });
    target.focus({ preventScroll: true });
  }

  async vote(item, button) {
    const extension = item.studygroup || {};
    if (button.dataset.busy) return;
    button.dataset.busy = "yes";
    try {
      const result = await this.reader.api.vote(item.id, !extension.voted);
      this.reader.touched();
      extension.votes = result.votes;
      extension.voted = result.voted;
      setVote(button, result.votes, result.voted);
      this.reader.panel.setStatus(result.voted ? "Upvoted." : "Upvote taken back.");
    } catch (problem) {
      showError(button, problem.message);
    } finally {
      delete button.dataset.busy;
    }
  }

  /** Mark `reply` as the question's answer, or (reply null) reopen the question. */
  async setAnswer(root, reply, button) {
    const api = this.reader.api;
    let question;
    try {
      question = reply ? await api.markAnswer(root.item.id, reply.id) : await api.reopen(root.item.id);
    } catch (problem) {
      showError(button, problem.status === 403 ? FORBIDDEN_ANSWER : problem.message);
      return;
    }
    this.reader.replaceItem(question, { repaint: false });
    if (reply) this.focusReply(keyOf(reply.id), root.key);
    else this.reader.panel.reveal(root.key);
    this.reader.panel.setStatus(reply ? "Marked as the answer." : "The question is open again.");
  }
}
