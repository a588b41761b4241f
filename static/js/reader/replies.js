// What a card shows of its discussion: the question's state, upvotes, the Reply button, the
// link to the discussion page, and the thread of replies nested up to MAX_DEPTH levels (then
// "Continue this thread"). Buttons carry data-thread-action; thread-actions.js runs them.
// `context` (from Threads.contextFor) holds the index, the collapsed keys and the thread's facts.

import { keyOf } from "./anchoring.js";
import { element, plural } from "./dom.js";

export const MAX_DEPTH = 4;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function threadButton(label, action, describedBy) {
  const node = element("button", "link-button card-action", label);
  node.type = "button";
  node.dataset.threadAction = action;
  if (describedBy) node.setAttribute("aria-describedby", describedBy);
  return node;
}

/** Show a count and whether the viewer upvoted on an Upvote button. */
export function setVote(button, count, voted) {
  button.setAttribute("aria-pressed", String(Boolean(voted)));
  button.setAttribute("aria-label", `Upvote, ${count}`);
  button.textContent = `▲ ${count}`;
}

/** An upvote toggle, or just the count where the viewer may not vote (their own, say). */
export function voteControl(item, describedBy) {
  const extension = item.studygroup || {};
  if (item.motivation === "highlighting" || extension.deleted) return null;
  const count = extension.votes || 0;
  if (!extension.canVote) {
    if (!count) return null;
    const span = element("span", "vote-static", `▲ ${count}`);
    span.append(element("span", "visually-hidden", count === 1 ? " upvote" : " upvotes"));
    span.dataset.voteFor = keyOf(item.id);
    return span;
  }
  const button = threadButton("", "vote", describedBy);
  button.className = "link-button vote-button";
  button.dataset.voteFor = keyOf(item.id);
  setVote(button, count, extension.voted);
  return button;
}

/** The badges a thread's root card adds to its header: open or answered, locked, edited. */
export function cardBadges(item) {
  const extension = item.studygroup || {};
  const badges = [];
  if (item.motivation === "questioning" && !extension.deleted && extension.answered !== undefined) {
    const answered = Boolean(extension.answered);
    badges.push(element("span", `thread-badge ${answered ? "badge-answered" : "badge-open"}`, answered ? "answered" : "open"));
  }
  if (extension.locked) badges.push(lockBadge());
  if (extension.edited && !extension.deleted) badges.push(element("span", "thread-badge badge-edited", "edited"));
  return badges;
}

function lockBadge() {
  const badge = element("span", "thread-badge badge-locked");
  const icon = element("span", "lock-icon", "🔒");
  icon.setAttribute("aria-hidden", "true");
  badge.append(icon, " locked");
  return badge;
}

/** For the author and facilitators, who still see a hidden body: say that it is hidden. */
export function hiddenNote(extension) {
  const reason = extension.hiddenReason ? `: “${extension.hiddenReason}”` : "";
  return element("p", "hidden-note", `Hidden by a facilitator${reason}. Other members see a placeholder.`);
}

/** A reply's text: sanitized server HTML, or the tombstone / hidden placeholder. */
function replyBody(item) {
  const extension = item.studygroup || {};
  if (extension.deleted) return [element("p", "reply-gone", "This reply was deleted.")];
  if (!extension.html) {
    const words = extension.hidden ? "Hidden by a facilitator." : "";
    return words ? [element("p", "reply-gone", words)] : [];
  }
  const body = element("div", "reply-body");
  body.innerHTML = extension.html; // sanitized by the server on write: the only HTML we inject
  return extension.hidden ? [body, hiddenNote(extension)] : [body];
}

function replyMeta(item, titleId, isAnswer) {
  const extension = item.studygroup || {};
  const header = element("header", "reply-meta");
  const title = element("span", "reply-author", (item.creator && item.creator.name) || "Someone");
  title.id = titleId;
  header.append(title);
  if (item.created) {
    const time = element("time", "reply-time", when.format(new Date(item.created)));
    time.dateTime = item.created;
    header.append(time);
  }
  if (isAnswer) header.append(element("span", "answer-mark", "✓ Answer"));
  if (extension.edited && !extension.deleted) header.append(element("span", "thread-badge badge-edited", "edited"));
  return header;
}

function replyActions(item, titleId, context, isAnswer) {
  const extension = item.studygroup || {};
  const bar = element("div", "reply-actions");
  const vote = voteControl(item, titleId);
  if (vote) bar.append(vote);
  if (extension.canReply) bar.append(threadButton("Reply", "reply", titleId));
  const answerable = !isAnswer && !extension.deleted && !extension.hidden;
  if (context.canMarkAnswer && answerable) bar.append(threadButton("Mark as answer", "answer", titleId));
  if (extension.canEdit) bar.append(threadButton("Edit", "edit", titleId));
  if (extension.canDelete) bar.append(threadButton("Delete", "delete", titleId));
  return bar;
}

function errorSlot() {
  const error = element("p", "error thread-error");
  error.setAttribute("role", "alert");
  return error;
}

/** One reply and, below it, its own replies (or a link onwards past MAX_DEPTH). */
export function replyNode(item, depth, context) {
  const extension = item.studygroup || {};
  const key = keyOf(item.id);
  const isAnswer = context.answerKey === key;
  const node = element("li", "thread-reply");
  node.id = `reply-${key}`;
  node.dataset.threadKey = key;
  node.dataset.depth = String(depth);
  node.tabIndex = -1;
  const titleId = `reply-${key}-title`;
  node.setAttribute("aria-labelledby", titleId);
  node.classList.toggle("is-answer", isAnswer);
  node.classList.toggle("is-hidden", Boolean(extension.hidden));
  node.classList.toggle("is-deleted", Boolean(extension.deleted));
  node.append(replyMeta(item, titleId, isAnswer), ...replyBody(item), replyActions(item, titleId, context, isAnswer));
  node.append(errorSlot(), element("div", "thread-editor-slot"));
  if (context.index.hasReplies(key)) {
    if (depth < MAX_DEPTH) node.append(...replyList(key, depth, context, item));
    else node.append(continueLink(context, key));
  }
  return node;
}

function continueLink(context, key) {
  const more = context.index.sizeOf(key);
  const link = element("a", "thread-continue", `Continue this thread (${plural(more, "more reply", "more replies")}) →`);
  link.href = `/readings/${context.readingId}/discussion/${key}`;
  return link;
}

export function toggleLabel(size, open) {
  return open ? `Hide ${plural(size, "reply", "replies")}` : `Show ${plural(size, "reply", "replies")}`;
}

/** The toggle and the list of replies to `key`; a collapsed list is only built when opened. */
function replyList(key, depth, context, parent) {
  const open = !context.collapsed.has(key);
  const list = element("ol", "thread-replies");
  list.id = `replies-${key}`;
  list.dataset.depth = String(depth);
  const author = (parent.creator && parent.creator.name) || "this";
  list.setAttribute("aria-label", `Replies to ${author}`);
  list.hidden = !open;
  if (open) fillReplies(list, key, context);
  const toggle = element("button", "link-button thread-toggle", toggleLabel(context.index.sizeOf(key), open));
  toggle.type = "button";
  toggle.dataset.threadAction = "toggle";
  toggle.setAttribute("aria-expanded", String(open));
  toggle.setAttribute("aria-controls", list.id);
  return [toggle, list];
}

/** Build the replies into a thread list (when it is first shown). */
export function fillReplies(list, key, context) {
  const depth = Number(list.dataset.depth);
  const fragment = document.createDocumentFragment();
  for (const child of context.index.childrenOf(key, context.answerKey)) {
    fragment.append(replyNode(child, depth + 1, context));
  }
  list.replaceChildren(fragment);
  list.dataset.filled = "yes";
}

/** The buttons a root card adds to its actions: upvote, Reply, Reopen, Open in discussion. */
export function cardThreadActions(entry, context, headingId) {
  const { item } = entry;
  const extension = item.studygroup || {};
  const parts = [];
  const vote = voteControl(item, headingId);
  if (vote) parts.push(vote);
  const discussable = item.motivation !== "highlighting" && extension.visibility !== "private";
  if (discussable && extension.canReply) parts.push(threadButton("Reply", "reply", headingId));
  if (context.canMarkAnswer && extension.answered) parts.push(threadButton("Reopen question", "reopen", headingId));
  if (item.motivation !== "highlighting" || context.index.hasReplies(entry.key)) {
    const link = element("a", "card-action discussion-link", "Open in discussion");
    link.href = `/readings/${context.readingId}/discussion#annotation-${entry.key}`;
    link.setAttribute("aria-describedby", headingId);
    parts.push(link);
  }
  return parts;
}

/** Under a root card's actions: errors, the reply editor's slot, the lock note and the thread. */
export function cardThread(entry, context) {
  const extension = entry.item.studygroup || {};
  const parts = [errorSlot(), element("div", "thread-editor-slot")];
  if (extension.locked) {
    const note = element("p", "thread-locked");
    const icon = element("span", "lock-icon", "🔒");
    icon.setAttribute("aria-hidden", "true");
    note.append(icon, " Locked by a facilitator: no new replies.");
    parts.push(note);
  }
  if (context.index.hasReplies(entry.key)) {
    const thread = element("div", "card-thread");
    thread.append(...replyList(entry.key, 0, context, entry.item));
    parts.push(thread);
  }
  return parts;
}
