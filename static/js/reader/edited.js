// The text was edited while this reader was open: say so and offer a reload, keeping an
// unsaved note across it (sessionStorage). A note's passage, chosen on the old text, goes to
// the server with its revision, and the server moves it to the new text if it safely can.

import { element } from "./dom.js";

const COMPOSED = new Set(["comment", "question", "note"]);
// The control that opens each kind of editor inside a card or reply.
const OPENERS = {
  reply: ':scope > .card-actions [data-thread-action="reply"], :scope > .reply-actions [data-thread-action="reply"]',
  edit: ':scope > .card-actions [data-action="edit"], :scope > .reply-actions [data-thread-action="edit"]',
};

const storageKey = (reader) => `studygroup-draft-${reader.readingId}`;

/** Show the notice (once) that a newer revision of the text exists. */
export function noticeEdit(reader) {
  if (reader.editedNotice) return;
  const notice = element("div", "reader-edited");
  notice.setAttribute("role", "alert");
  const button = element("button", "button primary", "Reload");
  button.type = "button";
  button.addEventListener("click", () => reloadKeepingDraft(reader));
  notice.append(element("p", "", "The text was edited — reload to see the new version (your unsaved note is kept)."), button);
  reader.article.closest(".reader").before(notice);
  reader.editedNotice = notice;
}

function draftOf(reader) {
  const editor = reader.editor;
  if (!editor || !editor.textarea.value.trim()) return null;
  const draft = { kind: editor.kind, text: editor.textarea.value, revision: reader.revision };
  if (COMPOSED.has(editor.kind)) {
    const { start, end, exact, prefix, suffix } = editor.passage || {};
    return editor.passage ? { ...draft, passage: { start, end, exact, prefix, suffix, revision: editor.passage.revision } } : null;
  }
  const holder = editor.form.parentElement && editor.form.parentElement.closest("[data-thread-key]");
  return holder && holder.id ? { ...draft, holder: holder.id } : null;
}

export function reloadKeepingDraft(reader) {
  const draft = draftOf(reader);
  try {
    if (draft) window.sessionStorage.setItem(storageKey(reader), JSON.stringify(draft));
  } catch {
    // Storage full or off: the reload still shows the new text.
  }
  window.location.reload();
}

/** After the reload: open the kept note again where it was, with its text. */
export function restoreDraft(reader) {
  let draft = null;
  try {
    draft = JSON.parse(window.sessionStorage.getItem(storageKey(reader)) || "null");
    window.sessionStorage.removeItem(storageKey(reader));
  } catch {
    return;
  }
  if (!draft || typeof draft.text !== "string") return;
  if (COMPOSED.has(draft.kind) && draft.passage) {
    reader.compose(draft.kind, draft.passage, draft.text);
  } else if (OPENERS[draft.kind] && draft.holder) {
    const holder = document.getElementById(draft.holder);
    const opener = holder && holder.querySelector(OPENERS[draft.kind]);
    if (!opener) return reader.panel.setStatus("The note you were writing belongs to an annotation that is gone.");
    opener.click();
    if (reader.editor) reader.editor.textarea.value = draft.text;
  } else return;
  reader.panel.setStatus("Your unsaved note is back in the editor.");
}
