// One annotation as a card in the side panel: author, time, quote, body, overlap count,
// actions, and (with a thread context from thread-actions.js) its discussion: replies.js.

import { keyOf } from "./anchoring.js";
import { element, plural } from "./dom.js";
import { cardBadges, cardThread, cardThreadActions, hiddenNote } from "./replies.js";

const QUOTE_LIMIT = 280;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** What kind of annotation this is, in words. */
export function kindOf(item) {
  const extension = item.studygroup || {};
  if (extension.deleted) return "Deleted";
  if (item.motivation === "questioning") return "Question";
  if (item.motivation === "highlighting") return extension.visibility === "private" ? "Private highlight" : "Highlight";
  return extension.visibility === "private" ? "Note to self" : "Comment";
}

function actionButton(label, action, describedBy) {
  const node = element("button", "link-button card-action", label);
  node.type = "button";
  node.dataset.action = action;
  node.setAttribute("aria-describedby", describedBy);
  return node;
}

function meta(entry, headingId, context) {
  const { item } = entry;
  const extension = item.studygroup || {};
  const header = element("header", "card-meta");
  const title = element("h3", "card-title");
  title.id = headingId;
  const author = (item.creator && item.creator.name) || "Someone";
  if (extension.deleted) title.append(element("span", "card-kind", kindOf(item))); // no author left to name
  else title.append(element("span", "card-author", author), " ", element("span", "card-kind", kindOf(item)));
  header.append(title);
  if (item.created) {
    const time = element("time", "card-time", when.format(new Date(item.created)));
    time.dateTime = item.created;
    header.append(time);
  }
  if (entry.together) {
    const names = entry.together.map(({ item: other }) => (other.creator && other.creator.name) || "Someone");
    const together = element("span", "card-together", `${entry.together.length} highlighted this`);
    together.title = names.join(", ");
    header.append(together);
  }
  if (entry.overlaps) {
    // Labelled in words: a bare number said nothing about what it counts.
    const words = `${plural(entry.overlaps, "annotation", "annotations")} on this passage`;
    const badge = element("span", "card-badge", `${entry.overlaps} on this passage`);
    badge.title = words;
    header.append(badge);
  }
  // Counted from the replies we hold, so a reply we just posted counts at once.
  const replies = context ? context.index.threadSize(entry.key) : extension.replyCount;
  if (replies) header.append(element("span", "card-replies", plural(replies, "reply", "replies")));
  if (extension.visibility === "private") header.append(element("span", "card-private", "Only you"));
  if (context) header.append(...cardBadges(item));
  return header;
}

function actions(entry, { orphan, pageNote, canReattach, context }, headingId) {
  const { item } = entry;
  const extension = item.studygroup || {};
  const bar = element("div", "card-actions");
  if (context) bar.append(...cardThreadActions(entry, context, headingId));
  if (!orphan && !pageNote) bar.append(actionButton("Show in text", "show", headingId));
  if (orphan && canReattach) bar.append(actionButton("Re-attach", "reattach", headingId));
  if (extension.canEdit && item.motivation !== "highlighting") bar.append(actionButton("Edit", "edit", headingId));
  const priv = extension.visibility === "private";
  if (extension.mine && (priv || !othersReplied(entry.key, context))) {
    bar.append(actionButton(priv ? "Share with group" : "Make private", priv ? "share" : "private", headingId));
  }
  if (extension.canDelete) bar.append(actionButton("Delete", "delete", headingId));
  return bar;
}

/** Whether anyone but the author replied in this thread: then it stays with the group. */
function othersReplied(key, context) {
  if (!context) return false;
  const pending = [...context.index.childrenOf(key)];
  while (pending.length) {
    const reply = pending.pop();
    if (!(reply.studygroup || {}).mine) return true;
    pending.push(...context.index.childrenOf(keyOf(reply.id)));
  }
  return false;
}

function body(extension) {
  if (extension.html) {
    const node = element("div", "card-body");
    node.innerHTML = extension.html; // sanitized by the server on write: the only HTML we inject
    return extension.hidden ? [node, hiddenNote(extension)] : [node];
  }
  // A deleted card says "Deleted" once, in its title (kindOf); a hidden one says why it is empty.
  if (extension.hidden && !extension.deleted) return [element("p", "card-body card-gone", "Hidden by a facilitator.")];
  return [];
}

/**
 * Build the card for an anchored or orphaned entry (`entry.item` is the W3C annotation).
 * `context`, when given, adds the discussion: badges, votes, Reply, the thread.
 */
export function buildCard(entry, { orphan = false, pageNote = false, canReattach = false, quote = "", context = null } = {}) {
  const { item } = entry;
  const extension = item.studygroup || {};
  const card = element("li", `annotation-card card-${item.motivation}`);
  if (extension.visibility === "private") card.classList.add("card-private-note");
  if (extension.color) card.classList.add(`card-color-${extension.color}`);
  card.id = `annotation-${entry.key}`;
  card.dataset.key = entry.key;
  card.dataset.threadKey = entry.key;
  card.tabIndex = -1;
  const headingId = `annotation-${entry.key}-title`;
  card.setAttribute("aria-labelledby", headingId);
  card.append(meta(entry, headingId, context));
  const text = quote.length > QUOTE_LIMIT ? `${quote.slice(0, QUOTE_LIMIT)}…` : quote;
  if (!pageNote) {
    const blockquote = element("blockquote", "card-quote", text);
    if (!orphan) blockquote.dataset.action = "show";
    card.append(blockquote);
  }
  card.append(...body(extension));
  const feedback = element("p", "card-feedback");
  feedback.setAttribute("role", "status");
  card.append(element("div", "card-editor-slot"), actions(entry, { orphan, pageNote, canReattach, context }, headingId), feedback);
  if (context) card.append(...cardThread(entry, context));
  return card;
}
