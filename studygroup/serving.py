"""How responses travel: compressed where the client accepts it, static files under a
content-hashed prefix cached for a year, and a health check for the load balancer.

Static files live under `/static/<version>/`, where the version hashes the whole tree: ES
modules import each other by relative path, so one prefix for the tree keeps every import
on hashed, immutable URLs without rewriting a single file or needing an import map.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, Response, request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
VERSION_LENGTH = 12
# What is worth compressing: pages, styles, scripts, and JSON (annotations are JSON-LD).
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/json",
    "application/ld+json",
    "image/svg+xml",
]
# Flask-Compress gives a compressed representation its own ETag ("abc:br"); views compare
# the ETag they issued ("abc"), so the suffix comes off before any view sees the header.
_ENCODING_SUFFIX = re.compile(r':(?:zstd|br|gzip|deflate)"')
compress = Compress()


def tree_version(folder: Path) -> str:
    """A hash of every file's path and bytes: any change gives a new URL prefix."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:VERSION_LENGTH]


def static_url_path(folder: Path) -> str:
    return f"/static/{tree_version(folder)}"


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress.init_app(app)

    @app.before_request
    def accept_etags_of_compressed_responses() -> None:
        header = request.environ.get("HTTP_IF_NONE_MATCH")
        if header:
            request.environ["HTTP_IF_NONE_MATCH"] = _ENCODING_SUFFIX.sub('"', header)

    @app.after_request
    def cache_static_files(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        # Read the (small) file now, so it is compressed whole and closed with the response
        # (compressing the open file as a stream leaves it to the garbage collector).
        response.direct_passthrough = False
        response.make_sequence()
        # Under debug the files change while the server runs: let the browser revalidate.
        if not app.debug:
            response.headers["Cache-Control"] = IMMUTABLE
        return response
