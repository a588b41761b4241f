// The bell keeps its unread count without a reload: it asks every half minute (and when the
// tab comes back), and a page opened from a notification (?notification=<id>) marks it read.

const POLL_MS = 30_000;
const bell = document.querySelector(".nav-bell");
const csrf = document.querySelector('meta[name="csrf-token"]');

/** Show `count` on the bell, as base.html draws it. */
function show(count) {
  if (!bell || !Number.isInteger(count)) return;
  bell.setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications");
  let badge = bell.querySelector(".nav-badge");
  if (!count) return badge && badge.remove();
  if (!badge) {
    badge = document.createElement("span");
    badge.className = "nav-badge";
    badge.setAttribute("aria-hidden", "true");
    bell.append(badge);
  }
  badge.textContent = count < 100 ? String(count) : "99+";
}

async function call(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    ...options,
    headers: { Accept: "application/json", ...(options.headers || {}) },
  });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

let timer = 0;
async function poll() {
  clearTimeout(timer);
  try {
    show((await call("/api/notifications/unread")).unread);
  } catch {
    return; // logged out or offline: the next page load shows the truth
  }
  if (!document.hidden) timer = setTimeout(poll, POLL_MS);
}

/** Opened from a notification: mark it read, and take the marker out of the address. */
async function markOpened() {
  const url = new URL(window.location.href);
  const id = url.searchParams.get("notification");
  if (!id) return;
  url.searchParams.delete("notification");
  window.history.replaceState(window.history.state, "", url);
  if (!/^[0-9]{1,10}$/.test(id)) return;
  try {
    const result = await call("/api/notifications/read", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : "" },
      body: JSON.stringify({ ids: [Number(id)] }),
    });
    show(result.unread);
  } catch {
    // It stays unread; the notifications page can still mark it.
  }
}

if (bell) {
  markOpened();
  timer = setTimeout(poll, POLL_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
  window.addEventListener("focus", poll);
}
