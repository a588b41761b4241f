// Live updates: ask for the reading's list every few seconds with If-None-Match (304 when
// nothing changed). What others add or change never moves text under the reader's eyes: the
// panel offers "N new" and applies it when pressed. Upvote counts and a question's answer
// change in place. No polling while the tab is hidden.

import { isReply, keyOf } from "./anchoring.js";
import { noticeEdit } from "./edited.js";
import { setVote } from "./replies.js";

const POLL_MS = 5000;

/** What the page shows of an annotation, apart from votes and answers (updated in place). */
function fingerprint(item) {
  const s = item.studygroup || {};
  return JSON.stringify([
    Boolean(s.deleted), Boolean(s.hidden), s.editedAt || null, Boolean(s.locked), s.visibility,
    s.color || null, Boolean(s.orphaned), s.revision, item.target, Boolean(s.canReply),
  ]);
}

const votesOf = (item) => `${(item.studygroup || {}).votes || 0}/${Boolean((item.studygroup || {}).voted)}`;
const answerOf = (item) => `${(item.studygroup || {}).answerId ?? ""}/${Boolean((item.studygroup || {}).canMarkAnswer)}`;

/** How `latest` differs from `shown`: counts, the first new item, what may change in place. */
export function compare(shown, latest) {
  const known = new Map();
  for (const item of shown) known.set(item.id, item);
  const diff = { added: 0, changed: 0, first: null, votes: [], answers: [] };
  for (const item of latest) {
    const old = known.get(item.id);
    if (!old) {
      diff.added += 1;
      diff.first = diff.first || item;
      continue;
    }
    known.delete(item.id);
    if (fingerprint(old) !== fingerprint(item)) diff.changed += 1;
    else {
      if (votesOf(old) !== votesOf(item)) diff.votes.push([old, item]);
      if (answerOf(old) !== answerOf(item)) diff.answers.push([old, item]);
    }
  }
  diff.changed += known.size; // removed since
  return diff;
}

function updateVotes(aside, [old, item]) {
  const from = item.studygroup || {};
  Object.assign(old.studygroup, { votes: from.votes || 0, voted: Boolean(from.voted) });
  for (const control of aside.querySelectorAll(`[data-vote-for="${CSS.escape(keyOf(item.id))}"]`)) {
    if (control.matches("button")) setVote(control, from.votes || 0, from.voted);
    else control.firstChild.textContent = `▲ ${from.votes || 0}`;
  }
}

/** Rebuild one card after `change` to its data, unless the reader is busy inside it. */
function rebuildInPlace(reader, key, change) {
  const card = reader.panel.card(key);
  const editor = reader.editor;
  if (card && (card.contains(document.activeElement) || (editor && card.contains(editor.form)))) return false;
  change();
  const entry = reader.byKey.get(key);
  if (card && entry) {
    reader.threads.setItems(reader.items);
    reader.panel.rebuild(entry);
  }
  return true;
}

export class LiveUpdates {
  /** `reader` has items, byKey, api, panel, threads, editor and refresh(). */
  constructor(reader) {
    this.reader = reader;
    this.etag = null;
    this.timer = 0;
    this.busy = false;
    this.generation = 0; // bumped by our own writes: a poll begun before one is stale
    this.latest = null; // the list waiting behind the "N new" button
    this.first = null;
    this.shown = "";
  }

  start(etag) {
    this.etag = etag;
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) clearTimeout(this.timer);
      else this.tick();
    });
    this.schedule();
  }

  touched() {
    this.generation += 1;
  }

  schedule() {
    clearTimeout(this.timer);
    if (!document.hidden && !this.stopped) this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  async tick() {
    clearTimeout(this.timer);
    if (this.busy || this.stopped) return;
    this.busy = true;
    const generation = this.generation;
    try {
      const result = await this.reader.api.poll(this.etag);
      if (result && result.revision && result.revision !== this.reader.revision) {
        this.textEdited();
      } else if (result && generation === this.generation) {
        this.etag = result.etag;
        this.receive(result.items);
      }
    } catch (problem) {
      // Offline for a moment: the next poll tries again. Logged out or removed: stop.
      if ([401, 403, 404].includes(problem.status)) this.stopped = true;
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  /** The list is on a newer text than the page shows: nothing of it can be placed here. */
  textEdited() {
    this.stopped = true;
    this.latest = this.first = null;
    this.reader.panel.setLive("");
    noticeEdit(this.reader);
  }

  receive(items) {
    const reader = this.reader;
    const diff = compare(reader.items, items);
    for (const pair of diff.votes) updateVotes(reader.panel.aside, pair);
    for (const [old, item] of diff.answers) {
      const change = () => Object.assign(old.studygroup, pick(item));
      if (!rebuildInPlace(reader, keyOf(old.id), change)) diff.changed += 1;
    }
    // The total counts what the list holds now, even before "N new" shows the cards.
    reader.panel.setTotal(items.filter((item) => !isReply(item)).length);
    const waiting = diff.added + diff.changed > 0;
    this.latest = waiting ? items : null;
    this.first = diff.first;
    const parts = [];
    if (diff.added) parts.push(`${diff.added} new`);
    if (diff.changed) parts.push(`${diff.changed} updated`);
    const text = parts.join(" · ");
    reader.panel.setLive(text);
    if (text && text !== this.shown) reader.panel.setStatus(`${text}: press “${text}” to show.`);
    this.shown = text;
  }

  /** The "N new" button: take the waiting list, repaint, and go to the first new item. */
  apply() {
    const reader = this.reader;
    if (!this.latest) return;
    reader.items = this.latest;
    const first = this.first;
    this.latest = this.first = null;
    this.shown = "";
    reader.panel.setLive("");
    reader.refresh();
    if (first && isReply(first)) reader.threads.focusReply(keyOf(first.id));
    else if (!first || !reader.panel.reveal(keyOf(first.id))) reader.panel.focusList();
    reader.panel.setStatus("Up to date.");
  }
}

function pick(item) {
  const s = item.studygroup || {};
  return { answered: s.answered, answerId: s.answerId, canMarkAnswer: s.canMarkAnswer };
}
