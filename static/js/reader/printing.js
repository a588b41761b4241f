// "Print with notes": the text, then every annotation with its thread (print.css lays it out).
// Plain printing leaves the panel out, so no fragments of it land on every page.

export function enablePrinting(reader) {
  const button = document.querySelector("[data-print-notes]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    reader.panel.setFilter("all");
    for (const list of [reader.panel.cards, reader.panel.orphanCards]) list.grow(list.entries.length);
    document.body.classList.add("print-notes");
    window.print();
  });
  window.addEventListener("afterprint", () => document.body.classList.remove("print-notes"));
}
