// A W3C annotation container's items across its pages: the first page comes embedded,
// the others (when there are more) are fetched in parallel.

/** Every item of `collection`; `load(url)` answers a page's JSON. */
export async function allItems(collection, load) {
  if (!collection || !collection.first) return [];
  const first = collection.first;
  if (!first.next || !collection.last) return first.items;
  const last = new URL(collection.last, window.location.href);
  const count = Number(last.searchParams.get("page"));
  const urls = [];
  for (let index = 1; index <= count; index += 1) {
    last.searchParams.set("page", String(index));
    urls.push(last.pathname + last.search);
  }
  const pages = await Promise.all(urls.map(load));
  return first.items.concat(...pages.map((page) => page.items));
}
