"""Exports: one reading as CSV, Markdown or JSON-LD; a group's zip; all of my data."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from studygroup.exports.rows import BATCH
from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User
from studygroup.models.types import utcnow
from tests.conftest import signed_in_client
from tests.functional.export_support import build_circle


@pytest.fixture
def circle(app, factory):
    return build_circle(app, factory)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def reading_export(circle, role: str, fmt: str):
    return circle.client(role).get(f"/api/readings/{circle.reading_id}/export?format={fmt}")


def test_reading_csv_has_one_row_per_annotation_the_member_may_see(circle):
    response = reading_export(circle, "author", "csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {int(row["id"]): row for row in csv_rows(response.data)}
    ids = circle.ids
    # Ada sees her own private note, never Max's.
    assert set(rows) == {
        ids[k] for k in ("question", "reply", "answer", "rude", "ada_note", "highlight")
    }
    question = rows[ids["question"]]
    assert question["quote"] == "single article"
    assert question["author"] == "Ada Author"
    assert question["kind"] == "questioning"
    assert question["votes"] == "1"
    assert question["body"] == "Which *article*?"
    assert int(question["end"]) - int(question["start"]) == len("single article")
    answer = rows[ids["answer"]]
    assert answer["parent_id"] == str(ids["reply"])
    assert answer["thread_id"] == str(ids["question"])
    # A member sees that a comment was hidden, not what it said.
    assert rows[ids["rude"]]["hidden"] == "yes"
    assert rows[ids["rude"]]["body"] == ""
    assert rows[ids["ada_note"]]["visibility"] == "private"


def test_a_facilitator_reads_hidden_bodies_but_no_private_notes(circle):
    rows = {int(r["id"]): r for r in csv_rows(reading_export(circle, "facilitator", "csv").data)}
    # A spreadsheet would run "=1+1…" as a formula: the export makes it text.
    assert rows[circle.ids["rude"]]["body"] == "'=1+1 is what you are"
    assert circle.ids["ada_note"] not in rows and circle.ids["max_note"] not in rows


def test_reading_markdown_puts_annotations_in_footnotes_with_replies_nested(circle):
    response = reading_export(circle, "member", "md")
    assert response.status_code == 200
    text = response.data.decode()
    assert text.startswith("# Why we read\n")
    assert "single article[^" in text  # the mark follows the passage
    footnotes = text[text.index("[^1]:") :]
    assert "**Ada Author** (question," in footnotes
    assert "Which *article*?" in footnotes
    reply_line = next(line for line in footnotes.splitlines() if "**Max Member** (reply" in line)
    answer_line = next(line for line in footnotes.splitlines() if "**Ada Author** (reply" in line)
    indent = len(answer_line) - len(answer_line.lstrip())
    assert indent > len(reply_line) - len(reply_line.lstrip())  # the answer is nested deeper
    assert "Max's secret thought" in text  # Max's own note, in Max's export
    assert "Ada's secret thought" not in text
    assert "*Hidden by a facilitator.*" not in text  # Max wrote the hidden comment: he reads it
    marks = text.count("[^")
    assert marks == 2 * text.count("]:")  # every footnote is referenced once


def test_reading_jsonld_is_the_annotation_collection(circle):
    response = reading_export(circle, "member", "jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.data)
    assert "AnnotationCollection" in data["type"]
    bodies = json.dumps(data)
    assert "Max's secret thought" in bodies and "Ada's secret thought" not in bodies


@pytest.mark.parametrize(
    ("role", "fmt", "status"),
    [
        pytest.param("anonymous", "csv", 401, id="anonymous"),
        pytest.param("outsider", "csv", 404, id="outsider"),
        pytest.param("member", "pdf", 400, id="unknown-format"),
    ],
)
def test_reading_export_refusals(circle, role, fmt, status):
    response = reading_export(circle, role, fmt)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def test_group_zip_holds_every_reading_with_history_and_annotations(circle):
    client = circle.client("facilitator")
    response = client.patch(
        f"/api/readings/{circle.reading_id}",
        json={
            "body": "Reading groups meet once a week to talk about a single article.\n\n"
            "Members highlight passages and argue in the margins."
        },
    )
    assert response.status_code == 200
    response = circle.client("author").get(f"/api/groups/{circle.group_id}/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    archive = open_zip(response.data)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["group"]["name"] == "Tuesday Circle"
    (entry,) = manifest["readings"]
    assert entry["current_revision"] == 2
    folder = entry["folder"]
    names = set(archive.namelist())
    assert {
        f"{folder}/reading.html",
        f"{folder}/annotations.csv",
        f"{folder}/annotations.md",
        f"{folder}/revisions.json",
        f"{folder}/revisions/1.md",
        f"{folder}/revisions/2.md",
    } <= names
    assert b"ask questions" in archive.read(f"{folder}/revisions/1.md")
    assert b"ask questions" not in archive.read(f"{folder}/revisions/2.md")
    everything = b"".join(archive.read(name) for name in names)
    assert b"Ada's secret thought" in everything  # the exporter's own note
    assert b"Max's secret thought" not in everything
    assert len(csv_rows(archive.read(f"{folder}/annotations.csv"))) == 6


def test_group_zip_is_for_members_only(circle):
    assert circle.client("outsider").get(f"/api/groups/{circle.group_id}/export").status_code == 404
    assert (
        circle.client("anonymous").get(f"/api/groups/{circle.group_id}/export").status_code == 401
    )


def test_all_my_data_holds_my_writing_everywhere_and_nobody_elses_private_notes(
    app, factory, circle
):
    ada = circle.users["author"]
    elsewhere = factory.group(ada, name="Ada's Own Circle")
    other = factory.reading(elsewhere, ada, "Another text entirely.", title="Other")
    from tests.functional.export_support import annotate

    with app.app_context():
        annotate(
            db.session.get(Reading, other.id),
            db.session.get(User, ada.id),
            "text",
            body="Elsewhere too",
        )
    response = circle.client("author").get("/api/me/export")
    assert response.status_code == 200
    archive = open_zip(response.data)
    account = json.loads(archive.read("account.json"))
    assert account["account"]["email"] == ada.email
    assert {g["name"] for g in account["groups"]} == {"Tuesday Circle", "Ada's Own Circle"}
    assert account["upvoted_annotation_ids"] == []
    rows = csv_rows(archive.read("annotations.csv"))
    assert {r["author"] for r in rows} == {"Ada Author"}
    bodies = {r["body"] for r in rows}
    assert {"Which *article*?", "Thanks, Max.", "Ada's secret thought", "Elsewhere too"} == bodies
    assert b"Max's secret thought" not in archive.read("annotations.csv")


def test_all_my_data_needs_a_login(client):
    assert client.get("/api/me/export").status_code == 401


def test_a_large_export_streams_without_loading_every_annotation(app, factory):
    fran = factory.user("Fran")
    group = factory.group(fran)
    reading = factory.reading(group, fran, "word " * 100)
    total = 3 * BATCH
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            Annotation(
                reading_id=reading.id,
                author_id=fran.id,
                motivation=Motivation.HIGHLIGHTING,
                revision=1,
                start=i % 100 * 5,
                end=i % 100 * 5 + 4,
                exact="word",
                prefix="",
                suffix="",
                created_at=now,
                modified_at=now,
            )
            for i in range(total)
        )
        db.session.commit()
    client = signed_in_client(app, fran)
    response = client.get(f"/api/readings/{reading.id}/export?format=csv")
    chunks = iter(response.response)
    first = next(chunks)
    # The stream's request context is live between chunks: the session holds one batch.
    loaded = sum(1 for key in db.session.identity_map if key[0] is Annotation)
    assert 0 < loaded <= BATCH
    rest = b"".join(chunks)
    assert len(csv_rows(first + rest)) == total
