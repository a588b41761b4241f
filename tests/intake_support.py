"""Material for the intake tests: the demo's article as a web essay, and a local page server."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from studygroup.rendering import canonical_text, render_reading
from studygroup.services.demo import SAMPLE_ARTICLE

EPIGRAPH = (
    "\u201cThe philosophers have only interpreted the world; the point is to change it.\u201d"
)
ATTRIBUTION = "\u2013 Karl Marx, Theses on Feuerbach"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/article-extraction"


def essay_as_published() -> str:
    """The demo's article as a web essay is copied: one paragraph per line, under an epigraph."""
    text = canonical_text(render_reading(SAMPLE_ARTICLE, "markdown"))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return "\n".join([EPIGRAPH, ATTRIBUTION, *lines]) + "\n"


ARTICLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Why We Read Together | The Weekly Essay</title>
<meta property="og:title" content="Why We Read Together">
<meta name="author" content="Rosa Reader">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/subscribe">Subscribe now</a></nav>
<article>
<h1>Why We Read Together</h1>
<p>Most of what we read, we read alone: on the bus, late at night, in the ten minutes before a
meeting. Solitary reading has its pleasures, but it has a blind spot too, and a group is how
we see past it.</p>
<h2>A slower kind of argument</h2>
<p>A reading group changes the pace of disagreement. In a feed, an argument lasts as long as a
scroll; in a circle that meets every Tuesday, it can last a season, and people come back.</p>
<blockquote><p>We did not agree by the end of the evening. But for the first time, we were
disagreeing about the same thing.</p></blockquote>
<p>That line, from a member of a tenants' association that started meeting to read housing
policy, captures something important. Shared texts give a group a shared object.</p>
<p>Bring the text, read once through and once again with a pencil. Bring one passage you
underlined because you agreed, and one because you did not. <em>Leave the verdicts at home.</em></p>
</article>
<footer><p>Copyright The Weekly Essay. All rights reserved. Cookie settings.</p></footer>
</body></html>
"""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str = ""


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Reply] = {}

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        reply = self.routes.get(self.path, Reply(404, b"not here"))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serving(routes: dict[str, Reply]) -> Iterator[str]:
    """Serve saved pages from 127.0.0.1 on a free port; yields the base address."""
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def corpus_page(index: int = 0) -> tuple[bytes, str] | None:
    """A real page of the article-extraction benchmark and its true article body, if present."""
    if not CORPUS.is_dir():
        return None
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    key = sorted(truth)[index]
    page = gzip.decompress((CORPUS / "html" / f"{key}.html.gz").read_bytes())
    return page, truth[key]["articleBody"]
