// The margin heatmap: a strip beside the text showing how many distinct members highlighted
// or annotated each line, from the heatmap API (private notes never count). One bar per line
// of text, however many annotations there are. Also: links to `#passage-START-END` (from the
// dashboard and the prep sheet) scroll to that passage and mark it for a moment.

import { TextMap } from "./textmap.js";

const LEVELS = 5;

/** Per line of text (its top, rounded), the most members over any stretch on it. */
function linesOf(stretches, map, origin) {
  const lines = new Map();
  for (const { start, end, members } of stretches) {
    for (const rect of map.range(start, end).getClientRects()) {
      if (!rect.width) continue;
      const top = Math.round(rect.top - origin);
      const line = lines.get(top);
      if (!line) lines.set(top, { top, height: rect.height, members });
      else if (members > line.members) line.members = members;
    }
  }
  return [...lines.values()].sort((a, b) => a.top - b.top);
}

class Heatmap {
  constructor(root, article, button) {
    this.root = root;
    this.article = article;
    this.button = button;
    this.strip = null;
    this.stretches = null;
    button.addEventListener("click", () => this.toggle());
    let pending = 0;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(() => this.strip && this.draw(), 150);
    });
  }

  async toggle() {
    if (this.strip) return this.hide();
    this.button.disabled = true;
    try {
      const response = await fetch(this.button.dataset.heatmapUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      this.stretches = (await response.json()).stretches;
      this.draw();
    } catch (error) {
      this.button.title = `Could not load the heatmap: ${error.message}`;
    } finally {
      this.button.disabled = false;
    }
  }

  hide() {
    this.strip.remove();
    this.strip = null;
    this.root.classList.remove("heat-on");
    this.button.setAttribute("aria-pressed", "false");
  }

  draw() {
    this.root.classList.add("heat-on");
    const origin = this.root.getBoundingClientRect().top;
    const lines = linesOf(this.stretches, new TextMap(this.article), origin);
    const peak = Math.max(1, ...lines.map((line) => line.members));
    const strip = document.createElement("div");
    strip.className = "heat-strip";
    strip.setAttribute("data-heat-strip", "");
    strip.setAttribute("data-peak", String(lines.length ? peak : 0));
    strip.setAttribute("aria-hidden", "true");
    strip.style.left = `${this.article.offsetLeft - 14}px`;
    for (const line of lines) {
      const bar = document.createElement("div");
      const level = Math.max(1, Math.ceil((line.members / peak) * LEVELS));
      bar.className = `heat-bar heat-${level}`;
      bar.dataset.members = String(line.members);
      bar.title = `${line.members} member${line.members === 1 ? "" : "s"} marked this line`;
      bar.style.top = `${line.top}px`;
      bar.style.height = `${line.height}px`;
      strip.append(bar);
    }
    if (this.strip) this.strip.replaceWith(strip);
    else this.root.append(strip);
    this.strip = strip;
    this.button.setAttribute("aria-pressed", "true");
  }
}

/** Scroll to `#passage-START-END` (code points) and mark it, once the reader has painted. */
function showPassage(article) {
  const match = /^#passage-(\d+)-(\d+)$/.exec(window.location.hash);
  if (!match) return;
  const go = () => {
    const map = new TextMap(article);
    const [start, end] = [Number(match[1]), Number(match[2])];
    if (end > map.codePointLength || start >= end) return;
    const range = map.range(start, end);
    const rect = range.getBoundingClientRect();
    window.scrollTo({ top: window.scrollY + rect.top - window.innerHeight / 3 });
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("passage-target", new Highlight(range));
      setTimeout(() => CSS.highlights.delete("passage-target"), 4000);
    }
  };
  if (article.dataset.anchored !== undefined) return go();
  const observer = new MutationObserver(() => {
    if (article.dataset.anchored === undefined) return;
    observer.disconnect();
    go();
  });
  observer.observe(article, { attributes: true, attributeFilter: ["data-anchored"] });
}

const root = document.getElementById("reader");
const article = document.getElementById("reading-text");
const button = document.querySelector("[data-heatmap-toggle]");
if (root && article) {
  if (button) new Heatmap(root, article, button);
  showPassage(article);
}
