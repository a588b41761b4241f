// Pasting from a web page keeps its structure: the clipboard's HTML is what the form sends
// (as format "html"; the server sanitizes it), not the flattened text the textarea receives.

const form = document.querySelector("form.reading-form");
const body = form?.querySelector("textarea[name=body]");
const format = form?.querySelector("select[name=source_format]");

function pasteHtml(event) {
  const html = event.clipboardData?.getData("text/html") ?? "";
  const replacing = body.selectionStart === 0 && body.selectionEnd === body.value.length;
  // Into text typed in another format the paste stays plain: mixing formats garbles both.
  if (!html.trim() || !format || !(replacing || format.value === "html")) return;
  event.preventDefault();
  body.setRangeText(html, body.selectionStart, body.selectionEnd, "end");
  format.value = "html";
  body.dispatchEvent(new Event("input", { bubbles: true }));
}

// A text too large to save is stopped here, where it is still in the form.
function checkSize(event) {
  const limit = Number(form.dataset.maxBytes);
  if (new Blob([body.value]).size <= limit) return;
  event.preventDefault();
  let error = form.querySelector("#body-size-error");
  if (!error) {
    error = document.createElement("p");
    error.className = "error";
    error.id = "body-size-error";
    body.after(error);
  }
  error.textContent = "The text is larger than 2 MB, the most a reading can hold. Shorten it or split it into two readings.";
}

if (body) {
  body.addEventListener("paste", pasteHtml);
  form.addEventListener("submit", checkSize);
}
