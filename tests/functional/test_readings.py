"""Adding readings (pasted or uploaded), the reader page, marking as read, deleting, and who may."""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from studygroup.extensions import db
from studygroup.models import (
    Annotation,
    Assignment,
    Group,
    Motivation,
    Reading,
    ReadingRevision,
    ReadMark,
    Role,
    User,
)
from studygroup.models.types import utcnow
from studygroup.rendering import canonical_text
from tests.conftest import Factory, signed_in_client

CURLY = "\u201cReading together\u201d \u2014 slowly\u2026 caf\u00e9\u00a0au lait \U0001f4da"


@dataclass
class Circle:
    """A group with a facilitator, a member and an outsider; each has a logged-in client."""

    app: Flask
    group_id: int
    users: dict[str, User]

    def client(self, role: str) -> FlaskClient:
        return signed_in_client(self.app, None if role == "anonymous" else self.users[role])

    def count(self, model: Any) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def circle(app: Flask, factory: Factory) -> Circle:
    facilitator, member, outsider = factory.user(), factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    return Circle(
        app, group.id, {"facilitator": facilitator, "member": member, "outsider": outsider}
    )


def form(**overrides: Any) -> dict[str, Any]:
    data = {"title": "On reading", "author": "", "source_url": "", "source_format": "markdown"}
    data["body"] = f"# Why\n\n{CURLY}\n\n> Quoted *words*."
    return {**data, **overrides}


def upload(name: str, content: bytes, **overrides: Any) -> dict[str, Any]:
    return form(body="", upload=(io.BytesIO(content), name), **overrides)


def post_big(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """Post a large upload, closing the temporary file werkzeug's test client spools it to."""
    response = client.post(url, data=data)
    response.request.environ["wsgi.input"].close()
    return response


def only_reading(app: Flask) -> tuple[Reading, ReadingRevision]:
    with app.app_context():
        reading = db.session.scalars(select(Reading)).one()
        revision = db.session.scalars(select(ReadingRevision)).one()
        db.session.expunge_all()
        return reading, revision


def test_facilitator_adds_a_pasted_markdown_reading(circle):
    client = circle.client("facilitator")
    response = client.post(
        f"/groups/{circle.group_id}/readings/new",
        data=form(author="A. Writer", source_url="https://example.org/essay"),
    )
    assert response.status_code == 302, response.text
    reading, revision = only_reading(circle.app)
    assert response.headers["Location"] == f"/readings/{reading.id}"
    assert (reading.title, reading.author, reading.source_url) == (
        "On reading",
        "A. Writer",
        "https://example.org/essay",
    )
    assert (reading.current_revision, revision.number, revision.source_format) == (1, 1, "markdown")
    assert revision.source == form()["body"]
    assert "<blockquote>" in revision.html and "<h1>Why</h1>" in revision.html
    assert revision.text == canonical_text(revision.html)
    assert CURLY in revision.text


def test_the_reader_page_serves_exactly_the_stored_html(circle, factory):
    reading = factory.reading(
        db_group(circle), circle.users["facilitator"], f"Intro\n\n{CURLY}", title="Essay"
    )
    response = circle.client("member").get(f"/readings/{reading.id}")
    assert response.status_code == 200
    page = response.text
    with circle.app.app_context():
        html = db.session.get(Reading, reading.id).revisions[0].html
    assert f'<article id="reading-text" class="reading-text">{html}</article>' in page
    root = re.search(r'<div class="reader" id="reader"[^>]*>', page)
    assert root is not None
    for attribute in (
        f'data-reading-id="{reading.id}"',
        'data-revision="1"',
        f'data-annotations-url="/api/readings/{reading.id}/annotations/"',
        f'data-user-id="{circle.users["member"].id}"',
        'data-facilitator="false"',
    ):
        assert attribute in root.group(0)
    assert '<aside id="annotation-panel" class="annotation-panel"' in page
    assert "css/reader.css" in page
    assert "Mark as read" in page and "/edit" not in page  # members do not get the edit link


def db_group(circle: Circle) -> Group:
    with circle.app.app_context():
        group = db.session.get(Group, circle.group_id)
        db.session.expunge(group)
        return group


@pytest.mark.parametrize(
    ("name", "content", "fmt", "expected_text"),
    [
        pytest.param("essay.md", b"# Title\n\n*One* two", "markdown", "Title\nOne two", id="md"),
        pytest.param(
            "notes.txt", b"Line one\nline two\n\nNext", "text", "Line one\nline two\nNext", id="txt"
        ),
        pytest.param(
            "page.HTML",
            b"<html><head><title>x</title><script>alert(1)</script></head>"
            b"<body><p>Kept <b>bold</b></p></body></html>",
            "html",
            "Kept bold",
            id="html-full-document",
        ),
        pytest.param(
            "bom.txt",
            codecs.BOM_UTF8 + "caf\u00e9 \u2014 ok".encode(),
            "text",
            "caf\u00e9 \u2014 ok",
            id="utf8-bom",
        ),
        pytest.param(
            "wide.txt",
            codecs.BOM_UTF16_LE + "\u201cwide\u201d".encode("utf-16-le"),
            "text",
            "\u201cwide\u201d",
            id="utf16-bom",
        ),
    ],
)
def test_uploaded_files_become_readings(circle, name, content, fmt, expected_text):
    response = circle.client("facilitator").post(
        f"/groups/{circle.group_id}/readings/new", data=upload(name, content)
    )
    assert response.status_code == 302, response.text
    _, revision = only_reading(circle.app)
    assert revision.source_format == fmt
    assert revision.text.strip() == expected_text
    assert "<script" not in revision.html and "alert" not in revision.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("essay.pdf", b"%PDF-1.4", "Upload a .md, .txt or .html file.", id="pdf"),
        pytest.param("latin1.txt", "caf\u00e9".encode("latin-1"), "is not UTF-8 text", id="latin1"),
        pytest.param("empty.md", b"  \n", "is empty", id="empty"),
        pytest.param("binary.txt", b"ab\x00cd", "looks like a binary file", id="nul-bytes"),
        pytest.param(
            "script.html",
            b"<script>alert(1)</script>",
            "The text is empty",
            id="nothing-left-after-sanitizing",
        ),
    ],
)
def test_unreadable_uploads_are_explained_and_nothing_is_stored(circle, name, content, message):
    response = circle.client("facilitator").post(
        f"/groups/{circle.group_id}/readings/new", data=upload(name, content, title="Keep me")
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Keep me"' in response.text  # the rest of the form survives
    assert circle.count(Reading) == 0


@pytest.mark.parametrize(
    "size",
    [2 * 1024 * 1024 + 1, 3 * 1024 * 1024],
    ids=["one-byte-over-2MB", "past-the-request-limit"],
)
def test_uploads_over_2_mb_get_a_clear_413(circle, size):
    response = post_big(
        circle.client("facilitator"),
        f"/groups/{circle.group_id}/readings/new",
        upload("big.txt", b"a" * size),
    )
    assert response.status_code == 413
    assert "at most 2 MB" in response.text
    assert circle.count(Reading) == 0


def test_a_file_of_exactly_2_mb_is_accepted(circle):
    response = post_big(
        circle.client("facilitator"),
        f"/groups/{circle.group_id}/readings/new",
        upload("big.txt", b"word " * (2 * 1024 * 1024 // 5)),
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"title": ""}, "Give the reading a title.", id="no-title"),
        pytest.param({"title": "t" * 301}, "Field cannot be longer than 300", id="long-title"),
        pytest.param({"body": "  "}, "Paste the text, upload a file or give a web", id="no-text"),
        pytest.param({"source_url": "javascript:alert(1)"}, "starting with http", id="js-url"),
        pytest.param({"source_format": "pdf"}, "Not a valid choice", id="unknown-format"),
        pytest.param(
            {"source_format": "html", "body": "<style>p{}</style><!-- x -->"},
            "The text is empty",
            id="empty-after-sanitizing",
        ),
    ],
)
def test_form_errors_are_shown_next_to_the_fields(circle, overrides, message):
    data = form(**overrides)
    response = circle.client("facilitator").post(
        f"/groups/{circle.group_id}/readings/new", data=data
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'class="error"' in response.text
    assert circle.count(Reading) == 0


def test_pasted_html_is_sanitized_on_write(circle):
    body = '<p onclick="x()">Hi <a href="javascript:evil()">there</a><script>bad()</script></p>'
    circle.client("facilitator").post(
        f"/groups/{circle.group_id}/readings/new", data=form(body=body, source_format="html")
    )
    reading, revision = only_reading(circle.app)
    assert revision.source == body  # the source is kept as given
    assert revision.html == "<p>Hi <a>there</a></p>"
    page = circle.client("member").get(f"/readings/{reading.id}").text
    assert "bad()" not in page and "onclick" not in page


def test_members_mark_a_reading_read_and_unread(circle, factory):
    reading = factory.reading(db_group(circle), circle.users["facilitator"])
    member = circle.client("member")
    response = member.post(f"/readings/{reading.id}/read", data={"read": "yes"})
    assert response.status_code == 302
    assert circle.count(ReadMark) == 1
    assert "You have read this" in member.get(f"/readings/{reading.id}").text
    member.post(f"/readings/{reading.id}/read", data={"read": "yes"})  # twice is harmless
    assert circle.count(ReadMark) == 1
    member.post(f"/readings/{reading.id}/read", data={"read": "no"})
    assert circle.count(ReadMark) == 0
    assert member.post(f"/readings/{reading.id}/read", data={"read": "maybe"}).status_code == 400


def test_deleting_a_reading_removes_everything_that_hangs_off_it(circle, factory):
    reading = factory.reading(db_group(circle), circle.users["facilitator"], "Some words here.")
    with circle.app.app_context():
        db.session.add_all(
            [
                ReadMark(user_id=circle.users["member"].id, reading_id=reading.id),
                Assignment(reading_id=reading.id, group_id=circle.group_id, due_at=utcnow()),
                Annotation(
                    reading_id=reading.id,
                    author_id=circle.users["member"].id,
                    motivation=Motivation.HIGHLIGHTING,
                    revision=1,
                    start=0,
                    end=4,
                    exact="Some",
                    prefix="",
                    suffix=" words",
                ),
            ]
        )
        db.session.commit()
    assert circle.client("member").post(f"/readings/{reading.id}/delete").status_code == 403
    response = circle.client("facilitator").post(f"/readings/{reading.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{circle.group_id}"
    for model in (Reading, ReadingRevision, ReadMark, Assignment, Annotation):
        assert circle.count(model) == 0, model


def test_a_reading_in_another_group_is_invisible(circle, factory):
    stranger = factory.user()
    other = factory.reading(factory.group(stranger, name="Elsewhere"), stranger, "Secret text")
    client = circle.client("facilitator")
    for url in (f"/readings/{other.id}", f"/api/readings/{other.id}"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Secret text" not in response.text and "Elsewhere" not in response.text
