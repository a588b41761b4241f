// Small DOM helpers shared by the panel's modules: text only, never HTML.

/** A new element with a class and text content (both optional). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "1 reply", "3 replies". */
export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/** An element by `[data-thread-key]` inside `root`: a card or a reply. */
export function threadHolder(root, key) {
  return root.querySelector(`[data-thread-key="${CSS.escape(String(key))}"]`);
}
