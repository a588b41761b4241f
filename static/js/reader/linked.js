// A link to one annotation (#annotation-16, as notifications send): its card open in the
// panel (a reply's whole thread opened down to it) and its passage in view in the text.

import { keyOf } from "./anchoring.js";

const LINK = /^#annotation-([0-9]+)$/;

/** The thread root's key for `key` (itself for a card), or null if we do not hold it. */
function rootOf(reader, key) {
  if (reader.byKey.has(key)) return key;
  const ancestors = reader.threads.index.ancestorsOf(key);
  const root = ancestors[ancestors.length - 1];
  return root && reader.byKey.has(root) ? root : null;
}

/** Go to the annotation the address names, if any; say so when it is gone. */
export function goToLinked(reader) {
  const match = LINK.exec(window.location.hash);
  if (!match) return;
  const key = keyOf(match[1]);
  const root = rootOf(reader, key);
  if (!root) {
    reader.panel.setStatus("The annotation this link points to was deleted or is not yours to see.");
    return;
  }
  if (key === root) reader.panel.reveal(root);
  else reader.threads.focusReply(key, root);
  const target = document.getElementById(key === root ? `annotation-${key}` : `reply-${key}`);
  if (target) target.classList.add("is-linked");
  reader.showInText(root);
}

export function followLinks(reader) {
  window.addEventListener("hashchange", () => goToLinked(reader));
}
