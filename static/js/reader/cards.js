// One annotation as a card in the side panel: author, time, quote, body, overlap count,
// actions, and (with a thread context from thread-actions.js) its discussion: replies.js.

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
  title.append(element("span", "card-author", author), " ", element("span", "card-kind", kindOf(item)));
  header.append(title);
  if (item.created) {
    const time = element("time", "card-time", when.format(new Date(item.created)));
    time.dateTime = item.created;
    header.append(time);
  }
  if (entry.overlaps) {
    const badge = element("span", "card-badge", String(entry.overlaps));
    const words = entry.overlaps === 1 ? " annotation on this passage" : " annotations on this passage";
    badge.append(element("span", "visually-hidden", words));
    badge.title = `${entry.overlaps}${words}`;
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
  if (extension.mine) {
    const priv = extension.visibility === "private";
    bar.append(actionButton(priv ? "Share with group" : "Make private", priv ? "share" : "private", headingId));
  }
  if (extension.canDelete) bar.append(actionButton("Delete", "delete", headingId));
  return bar;
}

function body(extension) {
  if (extension.html) {
    const node = element("div", "card-body");
    node.innerHTML = extension.html; // sanitized by the server on write: the only HTML we inject
    return extension.hidden ? [node, hiddenNote(extension)] : [node];
  }
  if (extension.deleted || extension.hidden) {
    const note = extension.deleted ? "This annotation was deleted." : "Hidden by a facilitator.";
    return [element("p", "card-body card-gone", note)];
  }
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
  card.append(element("div", "card-editor-slot"), actions(entry, { orphan, pageNote, canReattach, context }, headingId));
  if (context) card.append(...cardThread(entry, context));
  return card;
}
