// The discussion page: a server-rendered preview for comment forms, and live updates by
// conditional polling of the reading's annotation list (ETag / If-None-Match -> 304).
// New replies are announced ("2 new"), never inserted under the reader's eyes; upvote counts
// change in place, since a number changing moves no text.

import { allItems } from "./annotation-pages.js";

const POLL_MS = 5000;
const JSON_TYPES = "application/ld+json, application/json";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// ---- Preview: the same renderer as the stored comment, on the server -----------------------

async function renderPreview(form, output) {
  const textarea = form.querySelector("textarea[name=body]");
  output.hidden = false;
  output.textContent = "Rendering the preview…";
  try {
    const response = await fetch("/api/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ body: textarea.value, groupId: Number(form.dataset.previewGroup) }),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      output.textContent = (data && data.error && data.error.message) || "The preview failed; please try again.";
      return;
    }
    // Sanitized by rendering.py, exactly as the stored comment will be.
    output.innerHTML = data.html || "<p><em>Nothing to preview yet.</em></p>";
  } catch {
    output.textContent = "The preview failed: are you offline?";
  }
}

for (const form of document.querySelectorAll("form[data-preview-group]")) {
  const button = form.querySelector("[data-preview-button]");
  const output = form.querySelector("[data-preview]");
  if (!button || !output) continue;
  button.hidden = false;
  button.addEventListener("click", () => renderPreview(form, output));
}

// ---- Ctrl/Cmd+Enter posts, as in the reader's editor; the hint hides on touch screens -------

const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

for (const form of document.querySelectorAll("form.comment-form")) {
  const textarea = form.querySelector("textarea[name=body]");
  const actions = form.querySelector(".actions");
  if (!textarea || !actions) continue;
  const submit = form.querySelector("button[type=submit]");
  const hint = document.createElement("span");
  hint.className = "kbd-hint help";
  hint.textContent = `${MAC ? "⌘" : "Ctrl"}+Enter to ${submit ? submit.textContent.trim().toLowerCase() : "post"}`;
  actions.append(hint);
  textarea.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    form.requestSubmit();
  });
}

// ---- Live updates --------------------------------------------------------------------------

const keyOf = (item) => item.id.slice(item.id.lastIndexOf("/") + 1);

// The same fingerprint the page carries in data-state (presenters.annotations.state_key).
function stateOf(item) {
  const s = item.studygroup || {};
  return JSON.stringify([Boolean(s.deleted), Boolean(s.hidden), s.editedAt ?? null, s.answerId ?? null, Boolean(s.locked)]);
}

// Highlights without replies are not part of the discussion page.
const discussed = (item) => item.motivation !== "highlighting" || (item.studygroup || {}).replyCount;

class LiveUpdates {
  constructor(bar) {
    this.bar = bar;
    this.button = bar.querySelector("[data-live-button]");
    this.url = bar.dataset.collectionUrl;
    this.etag = bar.dataset.etag;
    this.button.addEventListener("click", () => window.location.reload());
    this.timer = window.setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    if (document.hidden) return;
    let response;
    try {
      response = await fetch(this.url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: JSON_TYPES, "If-None-Match": `"${this.etag}"` },
      });
    } catch {
      return; // offline for a moment: the next poll tries again
    }
    if (response.status === 304) return;
    if (!response.ok) {
      if (response.status === 401 || response.status === 404) window.clearInterval(this.timer);
      return;
    }
    const data = await response.json();
    this.etag = (response.headers.get("ETag") || "").replaceAll('"', "");
    const load = (url) =>
      fetch(url, { credentials: "same-origin", headers: { Accept: JSON_TYPES } }).then((page) => page.json());
    this.compare(await allItems(data, load));
  }

  compare(items) {
    const onPage = new Map();
    for (const article of document.querySelectorAll("article[data-annotation-id]")) {
      onPage.set(article.dataset.annotationId, article);
    }
    let added = 0;
    let changed = 0;
    const seen = new Set();
    for (const item of items) {
      const key = keyOf(item);
      const article = onPage.get(key);
      seen.add(key);
      if (!article) {
        if (discussed(item)) added += 1;
        continue;
      }
      if (article.dataset.state !== stateOf(item)) changed += 1;
      for (const count of article.querySelectorAll(":scope > .comment-actions [data-vote-count]")) {
        count.textContent = String((item.studygroup || {}).votes || 0);
      }
    }
    for (const key of onPage.keys()) if (!seen.has(key)) changed += 1;
    this.show(added, changed);
  }

  show(added, changed) {
    const parts = [];
    if (added) parts.push(`${added} new`);
    if (changed) parts.push(`${changed} updated`);
    this.bar.hidden = parts.length === 0;
    this.button.textContent = `${parts.join(" · ")}: show`;
  }
}

const bar = document.getElementById("live-updates");
if (bar) new LiveUpdates(bar);
