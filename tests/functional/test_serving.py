"""How responses travel: hashed static URLs cached for good, compression, the health check."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import pytest

from studygroup import create_app
from studygroup.extensions import db
from studygroup.serving import IMMUTABLE, tree_version
from tests.conftest import app_config, signed_in_client
from tests.functional.discussion_support import Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_the_reader_loads_every_module_from_hashed_immutable_urls(room):
    client = room.client("member")
    page = client.get(f"/readings/{room.reading_id}")
    urls = static_urls(page.text)
    assert any(url.endswith("/js/reader/main.js") for url in urls), urls
    prefixes = {url.split("/")[2] for url in urls}
    assert len(prefixes) == 1 and re.fullmatch(r"[0-9a-f]{12}", prefixes.pop())
    main = next(url for url in urls if url.endswith("/js/reader/main.js"))
    base = main.rsplit("/", 1)[0]
    response = client.get(main)
    imports = re.findall(r'from "\./([\w.-]+\.js)"', response.text)
    response.close()
    assert imports, "main.js imports its sibling modules by relative path"
    for url in [*urls, *(f"{base}/{name}" for name in imports)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        response.close()


def test_the_static_prefix_follows_the_content(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    before = tree_version(tmp_path)
    assert tree_version(tmp_path) == before
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    changed = tree_version(tmp_path)
    (tmp_path / "js" / "b.js").write_text("")
    assert len({before, changed, tree_version(tmp_path)}) == 3


def test_under_debug_static_files_are_revalidated(make_app):
    app = make_app(DEBUG=True)
    client = app.test_client()
    url = static_urls(client.get("/login").text)[0]
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    response.close()


@pytest.mark.parametrize(
    ("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_the_annotation_list_is_compressed_and_its_etag_still_answers_polls(room, encoding, decode):
    for i in range(12):
        room.annotate(body=f"Question number {i} about this passage?")
    client = room.client("member")
    plain = client.get(room.collection, headers={"Accept-Encoding": "identity"})
    packed = client.get(room.collection, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 4
    assert json.loads(decode(packed.data)) == plain.get_json()
    poll = client.get(
        room.collection,
        headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]},
    )
    assert poll.status_code == 304
    room.annotate(body="A new question?")
    changed = client.get(
        room.collection,
        headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert len(json.loads(decode(changed.data))["first"]["items"]) == 13


def test_pages_are_compressed(room):
    client = room.client("member")
    response = client.get(f"/readings/{room.reading_id}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<article" in gzip.decompress(response.data)


def test_health_check_answers_without_logging_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_check_reports_an_unreachable_database(tmp_path):
    missing = f"sqlite:///{tmp_path}/no/such/folder/studygroup.sqlite3"
    down = create_app(app_config(missing, str(tmp_path)))
    response = signed_in_client(down, None).get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    with down.app_context():
        db.engine.dispose()
