// Replies, indexed in one pass over the reading's list: each annotation's replies (oldest
// first, as the server sends them) and each thread's size. The panel draws a thread from
// this index only when it renders that thread's card (replies.js), so 10,000 stay cheap.

import { isReply, keyOf } from "./anchoring.js";

const NONE = [];

function parentKeyOf(item) {
  const extension = item.studygroup || {};
  if (extension.parentId != null) return keyOf(extension.parentId);
  return typeof item.target === "string" ? keyOf(item.target) : null;
}

export class ThreadIndex {
  constructor(items = NONE) {
    this.children = new Map(); // parent key -> its reply items, oldest first
    this.replies = new Map(); // reply key -> reply item
    this.counts = new Map(); // root key -> replies in its whole thread
    this.sizes = new Map(); // memo: key -> replies under it, at any depth
    for (const item of items) if (isReply(item)) this.add(item);
  }

  add(item) {
    const parent = parentKeyOf(item);
    if (parent === null) return;
    const extension = item.studygroup || {};
    const root = extension.rootId != null ? keyOf(extension.rootId) : parent;
    this.replies.set(keyOf(item.id), item);
    const siblings = this.children.get(parent);
    if (siblings) siblings.push(item);
    else this.children.set(parent, [item]);
    this.counts.set(root, (this.counts.get(root) || 0) + 1);
    this.sizes.clear();
  }

  hasReplies(key) {
    return this.children.has(key);
  }

  /** The replies to `key`; a question's answer goes first, as on the discussion page. */
  childrenOf(key, answerKey = null) {
    const list = this.children.get(key) || NONE;
    if (!answerKey || list.length < 2) return list;
    const at = list.findIndex((item) => keyOf(item.id) === answerKey);
    if (at <= 0) return list;
    return [list[at], ...list.slice(0, at), ...list.slice(at + 1)];
  }

  /** How many replies a thread's root has, at any depth. */
  threadSize(rootKey) {
    return this.counts.get(rootKey) || 0;
  }

  /** How many replies sit under `key`, at any depth. */
  sizeOf(key) {
    if (this.sizes.has(key)) return this.sizes.get(key);
    let size = 0;
    for (const child of this.children.get(key) || NONE) size += 1 + this.sizeOf(keyOf(child.id));
    this.sizes.set(key, size);
    return size;
  }

  /** The keys from `key` up to its thread's root (to open every level above a reply). */
  ancestorsOf(key) {
    const keys = [];
    for (let item = this.replies.get(key); item; ) {
      const parent = parentKeyOf(item);
      if (parent === null) break;
      keys.push(parent);
      item = this.replies.get(parent);
    }
    return keys;
  }
}
