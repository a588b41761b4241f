"""The yardstick for bench_serving.py: a bare Flask app serving the same bytes, with the
same conditional-GET handling and a write endpoint that stores nothing."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, request


def create_bare_app() -> Flask:
    app = Flask(__name__)
    page = Path(os.environ["BENCH_PAGE"]).read_bytes()
    etag = os.environ["BENCH_ETAG"]

    @app.get("/list")
    def listing() -> Response:
        if request.if_none_match.contains(etag):
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        return Response(page, content_type="application/ld+json", headers={"ETag": f'"{etag}"'})

    @app.post("/write")
    def write() -> tuple[dict[str, int], int]:
        request.get_json()
        return {"id": 1}, 201

    return app
