"""Adding readings as published: detection, preview, by URL (SSRF-safe), 413, delete, archive."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Motivation, Reading, Role, User
from studygroup.services import annotations
from studygroup.services.annotations import Target
from tests.conftest import Factory, signed_in_client, skip_or_fail
from tests.intake_support import (
    ARTICLE_PAGE,
    ATTRIBUTION,
    Reply,
    corpus_page,
    essay_as_published,
    serving,
)

PAGES = {
    "/essay": Reply(200, ARTICLE_PAGE.encode()),
    "/moved": Reply(302, location="/essay"),
    "/loop": Reply(302, location="/loop"),
    "/pdf": Reply(200, b"%PDF-1.4", "application/pdf"),
    "/gone": Reply(410, b"gone"),
    "/empty": Reply(200, b"<html><head><title>Nothing</title></head><body></body></html>"),
    "/huge": Reply(200, b"<p>" + b"word " * (1024 * 1024 + 10)),
}


@pytest.fixture
def fetching_app(make_app: Any) -> Flask:
    """The operator allowed private addresses: the test pages are served from 127.0.0.1."""
    return make_app(FETCH_ALLOW_PRIVATE=1)


def circle(app: Flask, factory: Factory) -> tuple[int, dict[str, User]]:
    facilitator, member = factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    return group.id, {"facilitator": facilitator, "member": member}


def api_post(app: Flask, user: User, group_id: int, **body: Any) -> Any:
    return signed_in_client(app, user).post(f"/api/groups/{group_id}/readings", json=body)


def stored_readings(app: Flask) -> list[Reading]:
    with app.app_context():
        return list(db.session.scalars(select(Reading)))


# --- The API -----------------------------------------------------------------------------


def test_api_preview_of_a_paste_saves_nothing(app, factory):
    group_id, users = circle(app, factory)
    response = api_post(
        app, users["facilitator"], group_id, body=essay_as_published(), preview=True
    )
    assert response.status_code == 200
    preview = response.get_json()
    assert (preview["format"], preview["layout"]) == ("text", "lines")
    assert preview["structure"] == {
        "headings": 0,
        "paragraphs": 12,
        "epigraphs": 1,
        "block_quotations": 1,
        "lists": 0,
    }
    assert f"<cite>{ATTRIBUTION[2:]}</cite>" in preview["html"]
    assert preview["summary"].startswith("Detected: plain text, one paragraph per line")
    assert stored_readings(app) == []


def test_api_creates_a_reading_from_a_web_address(fetching_app, factory):
    group_id, users = circle(fetching_app, factory)
    with serving(PAGES) as base:
        response = api_post(fetching_app, users["facilitator"], group_id, url=f"{base}/moved")
    assert response.status_code == 201, response.text
    created = response.get_json()
    assert (created["title"], created["author"], created["published"]) == (
        "Why We Read Together",
        "Rosa Reader",
        "2024-03-05",
    )
    assert created["source_url"] == f"{base}/essay"  # where the redirect led
    assert created["format"] == "html"
    assert "<h2>A slower kind of argument</h2>" in created["html"]
    assert "<blockquote>" in created["html"] and "Subscribe now" not in created["text"]
    assert "Cookie settings" not in created["text"]


def test_api_preview_of_a_web_address_saves_nothing(fetching_app, factory):
    group_id, users = circle(fetching_app, factory)
    with serving(PAGES) as base:
        response = api_post(
            fetching_app, users["facilitator"], group_id, url=f"{base}/essay", preview=True
        )
    assert response.status_code == 200
    assert response.get_json()["structure"]["block_quotations"] == 1
    assert response.get_json()["title"] == "Why We Read Together"
    assert stored_readings(fetching_app) == []


def test_a_real_page_from_the_benchmark_keeps_its_article(fetching_app, factory):
    found = corpus_page(0)
    if found is None:
        skip_or_fail("no article-extraction corpus in ../shared")
        return
    page, body = found
    group_id, users = circle(fetching_app, factory)
    with serving({"/real": Reply(200, page)}) as base:
        response = api_post(fetching_app, users["facilitator"], group_id, url=f"{base}/real")
    assert response.status_code == 201, response.text
    first_sentence = body.split(". ")[0]
    assert " ".join(first_sentence.split()) in " ".join(response.get_json()["text"].split())


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        pytest.param("/pdf", 422, "not a web page", id="not-html"),
        pytest.param("/gone", 422, "answered with an error (410)", id="error-status"),
        pytest.param("/loop", 422, "redirects more than 5 times", id="redirect-loop"),
        pytest.param("/empty", 422, "no article text", id="no-article"),
        pytest.param("/huge", 413, "larger than 5 MB", id="too-large"),
    ],
)
def test_pages_that_cannot_be_imported_get_a_clear_error(
    fetching_app, factory, path, status, message
):
    group_id, users = circle(fetching_app, factory)
    with serving(PAGES) as base:
        response = api_post(fetching_app, users["facilitator"], group_id, url=base + path)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    assert stored_readings(fetching_app) == []


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://127.0.0.1:{port}/essay", id="loopback"),
        pytest.param("http://localhost:{port}/essay", id="localhost-name"),
        pytest.param("http://10.0.0.8/", id="private"),
        pytest.param("http://169.254.169.254/latest/meta-data/", id="link-local"),
        pytest.param("http://[::1]:{port}/essay", id="ipv6-loopback"),
        pytest.param("http://[::ffff:127.0.0.1]:{port}/", id="ipv4-mapped"),
        pytest.param("http://0.0.0.0:{port}/", id="unspecified"),
    ],
)
def test_private_addresses_are_refused_unless_the_operator_allows_them(app, factory, url):
    group_id, users = circle(app, factory)
    with serving(PAGES) as base:
        port = base.rsplit(":", 1)[1]
        response = api_post(app, users["facilitator"], group_id, url=url.format(port=port))
    assert response.status_code == 400
    assert "private or local address" in response.get_json()["error"]["message"]


def test_a_redirect_to_a_private_address_is_refused(app, factory, monkeypatch):
    """The first hop's name passes the check as a public one; the redirect is checked anew."""
    from studygroup.intake import fetch

    group_id, users = circle(app, factory)
    checked = fetch._address

    def address(host: str, port: int, allow_private: bool) -> str:
        return "127.0.0.1" if host == "public.example" else checked(host, port, allow_private)

    monkeypatch.setattr(fetch, "_address", address)
    hops = dict(PAGES)
    with serving(hops) as base:
        port = base.rsplit(":", 1)[1]
        hops["/hop"] = Reply(302, location=f"http://127.0.0.1:{port}/essay")
        url = f"http://public.example:{port}/hop"
        response = api_post(app, users["facilitator"], group_id, url=url)
    assert response.status_code == 400
    assert "“127.0.0.1” is a private or local address" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("ftp://example.org/x", id="ftp"),
        pytest.param("gopher://127.0.0.1:6379/_x", id="gopher"),
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("http:///nohost", id="no-host"),
    ],
)
def test_only_http_and_https_are_fetched(app, factory, url):
    group_id, users = circle(app, factory)
    response = api_post(app, users["facilitator"], group_id, url=url)
    assert response.status_code == 400
    assert "http:// or https://" in response.get_json()["error"]["message"]


def test_a_member_cannot_import_and_an_outsider_learns_nothing(fetching_app, factory):
    group_id, users = circle(fetching_app, factory)
    with serving(PAGES) as base:
        assert api_post(fetching_app, users["member"], group_id, url=base).status_code == 403
        outsider = factory.user()
        assert api_post(fetching_app, outsider, group_id, url=base).status_code == 404


def test_preview_must_be_a_boolean(app, factory):
    group_id, users = circle(app, factory)
    response = api_post(app, users["facilitator"], group_id, body="x", preview="yes")
    assert response.status_code == 422


# --- The form ----------------------------------------------------------------------------


def form(**fields: Any) -> dict[str, Any]:
    return {"title": "", "author": "", "source_url": "", "source_format": "auto", **fields}


def test_the_form_previews_without_saving_and_says_what_it_detected(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    response = client.post(
        f"/groups/{group_id}/readings/new",
        data=form(body=essay_as_published(), action="preview"),
    )
    assert response.status_code == 200
    assert "Detected: plain text, one paragraph per line; 12 paragraphs, 1 epigraph" in (
        response.text
    )
    assert '<article class="reading-text"><blockquote>' in response.text
    assert stored_readings(app) == []


def test_the_form_saves_detected_plain_text(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    response = client.post(
        f"/groups/{group_id}/readings/new",
        data=form(title="Why", body=essay_as_published(), action="save"),
    )
    assert response.status_code == 302
    with app.app_context():
        reading = db.session.scalars(select(Reading)).one()
        revision = reading.revisions[0]
        assert revision.source_format == "text"
        assert revision.html.count("<blockquote>") == 2


def test_an_upload_without_a_title_is_named_after_its_file(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    data = form(body="", upload=(io.BytesIO(essay_as_published().encode()), "why-we_read.txt"))
    response = client.post(f"/groups/{group_id}/readings/new", data=data)
    assert response.status_code == 302
    assert [r.title for r in stored_readings(app)] == ["why we read"]


def test_the_form_fetches_a_page_and_shows_it_for_review_before_saving(fetching_app, factory):
    group_id, users = circle(fetching_app, factory)
    client = signed_in_client(fetching_app, users["facilitator"])
    with serving(PAGES) as base:
        response = client.post(
            f"/groups/{group_id}/readings/new",
            data=form(fetch_url=f"{base}/essay", body="", published_on=""),
        )
    assert response.status_code == 200
    assert stored_readings(fetching_app) == []  # not yet: the facilitator reviews it first
    assert 'value="Why We Read Together"' in response.text
    assert 'value="Rosa Reader"' in response.text and 'value="2024-03-05"' in response.text
    assert "Detected: HTML; 1 heading" in response.text


def test_a_refused_address_comes_back_to_the_form(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    response = client.post(
        f"/groups/{group_id}/readings/new", data=form(fetch_url="http://127.0.0.1/", body="")
    )
    assert response.status_code == 400
    assert "private or local address" in response.text


def test_a_too_large_paste_returns_to_the_filled_form(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    body = "A paragraph of a very long essay.\n" * 70_000  # 2.3 MB
    response = client.post(
        f"/groups/{group_id}/readings/new", data=form(title="Long", body=body, action="save")
    )
    assert response.status_code == 413
    assert "larger than 2 MB" in response.text
    assert "A paragraph of a very long essay." in response.text
    assert 'value="Long"' in response.text
    assert stored_readings(app) == []


def test_a_too_large_upload_returns_to_the_form_with_the_title_kept(app, factory):
    group_id, users = circle(app, factory)
    client = signed_in_client(app, users["facilitator"])
    big = io.BytesIO(b"word " * (2 * 1024 * 1024 // 5 + 10))
    response = client.post(
        f"/groups/{group_id}/readings/new",
        data=form(title="Kept title", body="", upload=(big, "big.txt")),
    )
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 413
    assert "larger than 2 MB" in response.text and 'value="Kept title"' in response.text


# --- Delete and archive ------------------------------------------------------------------


def reading_with_annotations(app: Flask, factory: Factory, count: int) -> tuple[int, int, User]:
    facilitator = factory.user()
    group = factory.group(facilitator)
    reading = factory.reading(group, facilitator, "A short text to read, and to argue about.")
    with app.app_context():
        for _ in range(count):
            annotations.create_annotation(
                reading=db.session.get(Reading, reading.id),
                author=db.session.get(User, facilitator.id),
                motivation=Motivation.HIGHLIGHTING,
                target=Target(start=2, end=7, exact="short"),
                body="",
            )
    return group.id, reading.id, facilitator


def test_delete_asks_first_saying_how_many_annotations_go_with_it(app, factory):
    group_id, reading_id, facilitator = reading_with_annotations(app, factory, 3)
    client = signed_in_client(app, facilitator)
    page = client.get(f"/readings/{reading_id}/delete")
    assert page.status_code == 200
    assert "Its 3 annotations" in page.text
    assert stored_readings(app) != []
    response = client.post(f"/readings/{reading_id}/delete")
    assert response.status_code == 302
    assert stored_readings(app) == []


def test_archive_hides_from_the_library_and_unarchive_brings_it_back(app, factory):
    group_id, reading_id, facilitator = reading_with_annotations(app, factory, 1)
    client = signed_in_client(app, facilitator)
    response = client.post(f"/readings/{reading_id}/archive", data={"archived": "yes"})
    assert response.status_code == 302
    page = client.get(f"/groups/{group_id}").text
    library, archived = page.split('id="library-heading"')[1].split('id="archived-heading"')
    assert f"/readings/{reading_id}" not in library
    assert f"/readings/{reading_id}" in archived and "Unarchive" in archived
    with app.app_context():
        assert db.session.get(Reading, reading_id).archived_at is not None
    client.post(f"/readings/{reading_id}/archive", data={"archived": "no"})
    page = client.get(f"/groups/{group_id}").text
    assert 'id="archived-heading"' not in page
    assert f"/readings/{reading_id}" in page.split('id="library-heading"')[1]
