"""The per-process page cache keeps the most recently used pages within its byte budget."""

from __future__ import annotations

from studygroup.page_cache import PageCache


def test_least_recently_used_pages_go_first():
    cache = PageCache(max_bytes=10)
    cache.put("a", b"aaaa")
    cache.put("b", b"bbbb")
    assert cache.get("a") == b"aaaa"  # now "b" is the least recently used
    cache.put("c", b"cccc")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"aaaa", None, b"cccc")


def test_a_page_larger_than_the_budget_is_still_served_once():
    cache = PageCache(max_bytes=2)
    assert cache.put("big", b"0123456789") == b"0123456789"
    assert cache.get("big") == b"0123456789"
    cache.put("next", b"x")
    assert cache.get("big") is None
