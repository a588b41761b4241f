// The annotation API: the page's session cookie plus the CSRF header, JSON in and out.

const JSON_TYPE = "application/json";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function send(url, { method = "GET", body, headers: extra = {}, cache } = {}) {
  const headers = { Accept: "application/ld+json, application/json", ...extra };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = JSON_TYPE;
  return fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    // Always revalidate: the server answers 304 from its ETag when nothing changed.
    cache: cache || (method === "GET" ? "no-cache" : "no-store"),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function read(response) {
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(
      response.status,
      error.code || "error",
      error.message || `The server answered ${response.status}. Please try again.`,
    );
  }
  return data;
}

async function request(url, options) {
  return read(await send(url, options));
}

function itemsOf(page) {
  return page && Array.isArray(page.items) ? page.items : [];
}

/** The revision of the text the list's selectors are on. */
function revisionOf(collection) {
  const extension = (collection && collection.studygroup) || {};
  return Number(extension.revision) || null;
}

/** The W3C selector pair for a passage, as the API expects it. */
export function selectorPair(passage) {
  return [
    { type: "TextQuoteSelector", exact: passage.exact, prefix: passage.prefix, suffix: passage.suffix },
    { type: "TextPositionSelector", start: passage.start, end: passage.end },
  ];
}

function annotationUrl(id) {
  // Item ids are absolute URLs; keep only the path so requests stay same-origin.
  return new URL(id, window.location.href).pathname;
}

export function createApi(collectionUrl) {
  // One page of everything: one request and one ETag check per poll, which measured faster
  // than the container's 1,000-annotation pages fetched in parallel.
  const everything = `${collectionUrl}?page=all`;
  return {
    /** The whole list and its ETag (for `poll`). */
    async list() {
      const response = await send(everything);
      const page = await read(response);
      return { items: itemsOf(page), etag: response.headers.get("ETag"), revision: revisionOf(page) };
    },
    /** The list if it changed since `etag`, else null (the server answered 304). */
    async poll(etag) {
      // An explicit conditional request: the HTTP cache would turn a 304 into the full body.
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await send(everything, { headers, cache: "no-store" });
      if (response.status === 304) return null;
      const page = await read(response);
      return { items: itemsOf(page), etag: response.headers.get("ETag"), revision: revisionOf(page) };
    },
    reply(parentId, text) {
      return request(collectionUrl, {
        method: "POST",
        body: {
          "@context": "http://www.w3.org/ns/anno.jsonld",
          type: "Annotation",
          motivation: "replying",
          body: [{ type: "TextualBody", value: text, format: "text/markdown", purpose: "replying" }],
          target: parentId,
        },
      });
    },
    /** Upvote (or take it back): answers `{votes, voted}`. */
    vote(id, on) {
      return request(`${annotationUrl(id)}/vote`, { method: on ? "PUT" : "DELETE" });
    },
    /** Mark a reply as its question's answer; answers the question. */
    markAnswer(questionId, answerId) {
      return request(`${annotationUrl(questionId)}/answer`, { method: "PUT", body: { answer: answerId } });
    },
    reopen(questionId) {
      return request(`${annotationUrl(questionId)}/answer`, { method: "DELETE" });
    },
    /** The server's own rendering of a comment (mentions included): sanitized HTML. */
    async preview(text, groupId) {
      const body = { body: text };
      if (Number.isInteger(groupId)) body.groupId = groupId;
      const data = await request("/api/preview", { method: "POST", body });
      return data.html || "";
    },
    /** `revision`: the text the passage was chosen on; the server moves it to the current one. */
    create({ motivation, passage, text = "", visibility = "group", color = null, revision = null }) {
      const body = [];
      if (text) body.push({ type: "TextualBody", value: text, format: "text/markdown", purpose: motivation });
      return request(collectionUrl, {
        method: "POST",
        body: {
          "@context": "http://www.w3.org/ns/anno.jsonld",
          type: "Annotation",
          motivation,
          body,
          target: { selector: selectorPair(passage) },
          studygroup: revision ? { visibility, color, revision } : { visibility, color },
        },
      });
    },
    update(id, { text, visibility, color } = {}) {
      const data = {};
      if (text !== undefined) {
        data.body = [{ type: "TextualBody", value: text, format: "text/markdown" }];
      }
      const extension = {};
      if (visibility !== undefined) extension.visibility = visibility;
      if (color !== undefined) extension.color = color;
      if (Object.keys(extension).length) data.studygroup = extension;
      return request(annotationUrl(id), { method: "PATCH", body: data });
    },
    get(id) {
      return request(annotationUrl(id));
    },
    remove(id) {
      return request(annotationUrl(id), { method: "DELETE" });
    },
    reattach(id, passage, revision = null) {
      const body = { target: { selector: selectorPair(passage) } };
      if (revision) body.studygroup = { revision };
      return request(`${annotationUrl(id)}/reattach`, {
        method: "POST",
        body,
      });
    },
  };
}
