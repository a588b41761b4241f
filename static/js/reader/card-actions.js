// What a card's buttons do to its annotation: edit the text, change who sees it, delete it,
// re-attach an orphan (started from its card, finished from the selection toolbar).

import { confirmDelete } from "./deleting.js";
import { openEditor } from "./editor.js";

function editCard(reader, entry) {
  const card = reader.panel.card(entry.key);
  if (!card) return;
  if (reader.editor) reader.editor.close();
  const text = (entry.item.body || []).find((body) => body.purpose !== "tagging");
  const shared = (entry.item.studygroup || {}).visibility === "group";
  reader.editor = openEditor({
    slot: card.querySelector(".card-editor-slot"),
    kind: "edit",
    initial: text ? text.value : "",
    mentionGroup: shared ? reader.groupId : "",
    onSave: async (value) => {
      const updated = await reader.api.update(entry.item.id, { text: value });
      reader.panel.reveal(reader.replaceItem(updated));
      reader.panel.setStatus("Changes saved.");
    },
    onClose: (saved) => {
      reader.editor = null;
      const current = reader.panel.card(entry.key);
      if (!saved && current) current.focus();
    },
  });
  // After a re-render (live updates, say) the draft moves into the card's new slot.
  reader.editor.findSlot = () => {
    const current = reader.panel.card(entry.key);
    return current && current.querySelector(".card-editor-slot");
  };
}

async function setVisibility(reader, entry, visibility) {
  const message = visibility === "private" ? "Now only you can see it." : "Shared with the group.";
  try {
    const key = reader.replaceItem(await reader.api.update(entry.item.id, { visibility }));
    reader.panel.reveal(key);
    reader.panel.tellCard(key, message);
  } catch (error) {
    reader.panel.tellCard(entry.key, error.message); // a refusal, next to the button that asked
  }
}

function startReattaching(reader, key) {
  reader.reattaching = key;
  reader.toolbar.setMode("reattach");
  reader.panel.tellCard(key, "Now select the passage in the text this annotation belongs to, then choose “Re-attach here” (Esc cancels).");
  reader.article.focus({ preventScroll: true });
}

export function stopReattaching(reader, message) {
  reader.reattaching = null;
  reader.closeToolbar();
  reader.toolbar.setMode("annotate");
  reader.panel.setStatus(message);
}

/** "Re-attach here" on the toolbar: move the orphan to the selected passage. */
export async function finishReattaching(reader, passage) {
  const entry = reader.byKey.get(reader.reattaching);
  if (!entry) return stopReattaching(reader, "That annotation is gone.");
  try {
    const key = reader.replaceItem(await reader.api.reattach(entry.item.id, passage, reader.revision));
    stopReattaching(reader, "Re-attached.");
    reader.panel.reveal(key);
    reader.panel.tellCard(key, "Re-attached.");
  } catch (error) {
    reader.panel.tellCard(entry.key, error.message);
  }
}

export function runCardAction(reader, action, entry, button) {
  if (action === "reattach") startReattaching(reader, entry.key);
  else if (action === "edit") editCard(reader, entry);
  else if (action === "private" || action === "share") {
    setVisibility(reader, entry, action === "private" ? "private" : "group");
  } else if (action === "delete") {
    confirmDelete(reader, entry.item, button, (message) => reader.panel.setStatus(message));
  }
}
