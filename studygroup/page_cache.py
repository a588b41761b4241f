"""Serialized annotation pages by ETag, per process: a repeat GET costs one aggregate query.

The ETag is the source of truth (it is computed from the database on every request), so
several workers each keeping their own cache never serve a stale page.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import Flask

# Serialized pages kept per process; 10,000 annotations take about 9 MB.
PAGE_CACHE_BYTES = 64 * 1024 * 1024


class PageCache:
    """Serialized collection pages by ETag: a repeat GET then costs one aggregate query."""

    def __init__(self, max_bytes: int) -> None:
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._max_bytes = max_bytes
        self._lock = Lock()

    @classmethod
    def of(cls, app: Flask) -> PageCache:
        """The app's own cache, so apps built in one process (tests) never share pages."""
        return app.extensions.setdefault("annotation_pages", cls(PAGE_CACHE_BYTES))

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            page = self._pages.get(etag)
            if page is not None:
                self._pages.move_to_end(etag)
            return page

    def put(self, etag: str, page: bytes) -> bytes:
        with self._lock:
            if etag not in self._pages:
                self._pages[etag] = page
                self._size += len(page)
            while self._size > self._max_bytes and len(self._pages) > 1:
                self._size -= len(self._pages.popitem(last=False)[1])
        return page
