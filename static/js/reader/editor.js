// The comment / question / note / reply editor: a labelled textarea; Esc cancels,
// Ctrl/Cmd+Enter saves. Optionally @mention suggestions and a live preview.

import { attachMentions } from "../mentions.js";
import { element } from "./dom.js";
import { attachPreview } from "./preview.js";

let counter = 0;

const LABELS = {
  comment: "Comment",
  question: "Question",
  note: "Note to self",
  edit: "Edit",
  reply: "Reply",
};

const SAVE_LABELS = { edit: "Save changes", reply: "Post reply" };

const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const MAX_LENGTH = 10_000; // the server's limit (services/annotations.py)
const count = new Intl.NumberFormat();

/** "123 / 10,000 characters" under the textarea, and a warning past the limit. */
function attachCounter(textarea) {
  const counter = element("p", "help editor-count");
  counter.id = `${textarea.id}-count`;
  const update = () => {
    const length = textarea.value.length;
    const over = length > MAX_LENGTH;
    counter.textContent = over
      ? `${count.format(length)} / ${count.format(MAX_LENGTH)} characters: ${count.format(length - MAX_LENGTH)} too many.`
      : `${count.format(length)} / ${count.format(MAX_LENGTH)} characters`;
    counter.classList.toggle("is-over", over);
  };
  textarea.addEventListener("input", update);
  update();
  return counter;
}

/** The form's parts: quote, label, textarea, help, preview, error line, Save and Cancel. */
function buildForm({ kind, quote, initial, labelText, mentionGroup, preview }) {
  counter += 1;
  const id = `annotation-editor-${counter}`;
  const form = element("form", `annotation-editor editor-${kind}`);
  form.noValidate = true;
  const label = element("label", "editor-label", labelText || LABELS[kind] || "Comment");
  label.htmlFor = id;
  const textarea = element("textarea", "editor-text");
  textarea.id = id;
  textarea.value = initial;
  textarea.rows = 4;
  const help = element("p", "help editor-help");
  // Keyboard shortcuts mean nothing on a touch screen: CSS hides them there.
  help.append(element("span", "kbd-hint", `${MAC ? "⌘" : "Ctrl"}+Enter to save, Esc to cancel. `), "Markdown works.");
  help.id = `${id}-help`;
  textarea.setAttribute("aria-describedby", help.id);
  const error = element("p", "error editor-error");
  error.setAttribute("role", "alert");
  const save = element("button", "button primary", SAVE_LABELS[kind] || "Save");
  save.type = "submit";
  const cancel = element("button", "button", "Cancel");
  cancel.type = "button";
  const actions = element("div", "actions");
  actions.append(save, cancel);
  if (quote) form.append(element("blockquote", "editor-quote", quote.length > 240 ? `${quote.slice(0, 240)}…` : quote));
  form.append(label, textarea, help, attachCounter(textarea));
  if (preview) form.append(attachPreview(textarea, preview));
  form.append(error, actions);
  if (mentionGroup) {
    textarea.dataset.mentionGroup = String(mentionGroup);
    attachMentions(textarea); // its listbox goes right after the textarea
    help.append(" Type @ and a name to mention a member.");
  }
  return { form, textarea, error, save, cancel };
}

/**
 * Open an editor inside `slot`. `onSave(text)` may throw (its message is shown);
 * `onClose(saved)` runs once the editor is gone. `mentionGroup` (a group id) turns on
 * @mention suggestions; `preview(text)`, resolving to sanitized HTML, a live preview.
 */
export function openEditor({ slot, kind, quote = "", initial = "", label = "", mentionGroup = "", preview = null, onSave, onClose }) {
  const { form, textarea, error, save, cancel } = buildForm({ kind, quote, initial, labelText: label, mentionGroup, preview });
  let closed = false;
  const close = (saved) => {
    if (closed) return;
    closed = true;
    form.remove();
    onClose(saved);
  };
  const submit = async () => {
    if (save.disabled) return;
    if (textarea.value.length > MAX_LENGTH) {
      error.textContent = `Keep it under ${count.format(MAX_LENGTH)} characters.`;
      textarea.focus();
      return;
    }
    if (!textarea.value.trim()) {
      error.textContent = "Write something first, or press Esc to cancel.";
      textarea.focus();
      return;
    }
    save.disabled = true;
    error.textContent = "";
    try {
      await onSave(textarea.value);
      close(true);
    } catch (problem) {
      error.textContent = problem.message || "Could not save. Please try again.";
      save.disabled = false;
      textarea.focus();
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  cancel.addEventListener("click", () => close(false));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(false);
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  });
  slot.replaceChildren(form);
  textarea.focus();
  form.scrollIntoView({ block: "nearest" });
  return { close: () => close(false), form, textarea, kind };
}
