// Deleting from the panel, a card's annotation or a reply alike: the first press asks
// "Really delete?", the second deletes. One with replies stays behind as a "deleted"
// tombstone, which we fetch; one without replies is simply gone.

import { keyOf } from "./anchoring.js";

const CONFIRM_MS = 4000;

/** True on the second press; the first turns the button into "Really delete?" for a while. */
function confirmed(button) {
  if (button.dataset.confirming === "yes") return true;
  const label = button.textContent;
  button.dataset.confirming = "yes";
  button.textContent = "Really delete?";
  setTimeout(() => {
    button.dataset.confirming = "";
    button.textContent = label;
  }, CONFIRM_MS);
  return false;
}

/** Delete `item` on the second press of `button`; `onError(message)` shows why it failed. */
export async function confirmDelete(reader, item, button, onError) {
  if (!confirmed(button)) return;
  button.disabled = true; // one request, however often it is pressed
  try {
    await reader.api.remove(item.id);
  } catch (error) {
    button.disabled = false;
    onError(error.message);
    return;
  }
  if (reader.threads.index.sizeOf(keyOf(item.id)) > 0) {
    try {
      reader.replaceItem(await reader.api.get(item.id)); // kept as "deleted" for its replies
    } catch {
      reader.dropItem(item.id); // its replies went too, meanwhile
    }
  } else {
    reader.dropItem(item.id);
  }
  reader.panel.setStatus("Deleted.");
}
