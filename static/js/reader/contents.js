// A long reading's table of contents: with three headings or more, a "Contents" list above
// the text links to each. Ids go on the headings only (attributes), so the article's
// textContent, the canonical text annotations index into, is unchanged.

const MIN_HEADINGS = 3;

/** A readable, unique id for `heading`, prefixed so it never meets the page's own ids. */
function idFor(heading, taken) {
  const words = heading.textContent.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const slug = words.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "section";
  let id = `section-${slug}`;
  for (let n = 2; taken.has(id) || document.getElementById(id); n += 1) id = `section-${slug}-${n}`;
  taken.add(id);
  return id;
}

function buildContents(article, nav) {
  const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter((h) => h.textContent.trim());
  if (headings.length < MIN_HEADINGS) return;
  const top = Math.min(...headings.map((h) => Number(h.tagName[1])));
  const list = nav.querySelector("ol");
  const taken = new Set();
  for (const heading of headings) {
    heading.id = heading.id || idFor(heading, taken);
    const link = document.createElement("a");
    link.href = `#${heading.id}`;
    link.textContent = heading.textContent.trim();
    const item = document.createElement("li");
    item.className = `contents-level-${Math.min(Number(heading.tagName[1]) - top, 3)}`;
    item.append(link);
    list.append(item);
  }
  nav.hidden = false;
}

const article = document.getElementById("reading-text");
const nav = document.querySelector("[data-reading-contents]");
if (article && nav) buildContents(article, nav);
