"""Importing W3C JSON-LD into a reading: quotes found again, threads rebuilt, all or nothing."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy import func, select

from studygroup import create_app
from studygroup.extensions import db
from studygroup.models import Annotation, Group, Reading, User
from studygroup.services import groups, moderation, questions, readings, users
from tests.conftest import PASSWORD, app_config, signed_in_client
from tests.functional.export_support import SOURCE, build_circle

MEDIA = "application/ld+json"


@pytest.fixture
def circle(app, factory):
    return answered_circle(app, factory)


def answered_circle(app, factory):
    """The export tests' circle, with Ada's question answered and its thread locked."""
    built = build_circle(app, factory)
    with app.app_context():
        question = db.session.get(Annotation, built.ids["question"])
        answer = db.session.get(Annotation, built.ids["answer"])
        fran = db.session.get(User, built.users["facilitator"].id)
        questions.mark_answer(question=question, answer=answer, by=fran)
        moderation.set_locked(annotation=question, by=fran, locked=True)
    return built


def exported(client, reading_id: int) -> dict[str, Any]:
    response = client.get(f"/api/readings/{reading_id}/export?format=jsonld")
    assert response.status_code == 200
    return json.loads(response.data)


def post_import(client, reading_id: int, payload: Any, **kwargs: Any):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(
        f"/api/readings/{reading_id}/import", data=body, content_type=MEDIA, **kwargs
    )


def shape(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """What a round trip must keep, with ids replaced by their place in the list."""
    items = collection["first"]["items"] if collection.get("total") else []
    order = {item["id"]: index for index, item in enumerate(items)}
    order.update({int(item["id"].rsplit("/", 1)[1]): i for i, item in enumerate(items)})
    kept = []
    for item in items:
        target, extension = item["target"], item["studygroup"]
        kept.append(
            {
                "motivation": item["motivation"],
                "body": item.get("body"),
                "selector": target.get("selector") if isinstance(target, dict) else None,
                "parent": order[target] if isinstance(target, str) else None,
                "root": order.get(extension["rootId"]),
                "hidden": extension["hidden"],
                "hiddenReason": extension.get("hiddenReason"),
                "locked": extension["locked"],
                "answer": order.get(extension.get("answerId")),
                "visibility": extension["visibility"],
                "orphaned": extension["orphaned"],
            }
        )
    return kept


def annotation_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Annotation.id))) or 0


def second_reading(factory, circle, source: str = SOURCE) -> int:
    group = db_get(circle.app, Group, circle.group_id)
    return factory.reading(group, circle.users["facilitator"], source, title="Again").id


def db_get(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


def test_an_exported_reading_imports_into_the_same_text_unchanged(circle, factory):
    fran = circle.client("facilitator")
    source = exported(fran, circle.reading_id)
    copy = second_reading(factory, circle)
    response = post_import(fran, copy, source)
    assert response.status_code == 200, response.data
    # Fran sees the question, its two replies, the hidden comment and her highlight.
    assert response.get_json() == {"imported": 5, "orphaned": 0, "skipped": []}
    again = exported(fran, copy)
    assert shape(again) == shape(source)
    question = again["first"]["items"][0]
    assert question["studygroup"]["answered"] is True
    assert question["studygroup"]["locked"] is True
    # Ada's question is Fran's now, with Ada's name kept.
    assert question["creator"]["name"] == "Fran Facilitator"
    assert question["studygroup"]["originalCreator"] == "Ada Author"


def test_passages_are_found_by_quote_in_an_edited_text_or_become_orphans(circle, factory):
    fran = circle.client("facilitator")
    source = exported(fran, circle.reading_id)
    edited = "A preface that moves everything.\n\n" + SOURCE.replace("argue", "talk")
    copy = second_reading(factory, circle, edited)
    summary = post_import(fran, copy, source).get_json()
    assert summary == {"imported": 5, "orphaned": 1, "skipped": []}
    items = {
        item["target"]["selector"][0]["exact"]: item
        for item in exported(fran, copy)["first"]["items"]
        if isinstance(item["target"], dict) and "selector" in item["target"]
    }
    text = readings_text(circle.app, copy)
    found = items["single article"]["target"]["selector"][1]
    assert text.startswith("A preface")  # every position moved
    start = text.index("single article")
    assert (found["start"], found["end"]) == (start, start + len("single article"))
    # "argue" is gone: the comment on it is an orphan with its quote, not a guess.
    assert items["argue"]["studygroup"]["orphaned"] is True


def readings_text(app, reading_id: int) -> str:
    with app.app_context():
        return readings.current_revision(db.session.get(Reading, reading_id)).text


def test_replies_may_come_before_their_parents_and_unknown_parents_are_skipped(circle, factory):
    fran = circle.client("facilitator")
    items = exported(fran, circle.reading_id)["first"]["items"]
    stray = {
        "type": "Annotation",
        "id": "https://elsewhere.example/annotations/99",
        "motivation": "replying",
        "target": "https://elsewhere.example/annotations/98",
        "body": {"type": "TextualBody", "value": "Lost"},
    }
    copy = second_reading(factory, circle)
    summary = post_import(fran, copy, [stray, *reversed(items)]).get_json()
    assert summary["imported"] == 5
    assert summary["skipped"] == [
        {"annotation": stray["id"], "reason": "Its parent annotation is not in the import."}
    ]
    assert shape(exported(fran, copy))[:3] == shape(exported(fran, circle.reading_id))[:3]


def test_a_hypothesis_style_list_is_imported_as_the_importers_own(circle, factory):
    fran = circle.client("facilitator")
    copy = second_reading(factory, circle)
    note = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:x-hypothesis:1",
        "creator": "acct:someone@hypothes.is",
        "body": [{"type": "TextualBody", "value": "Good point", "format": "text/plain"}],
        "target": [
            {
                "source": "https://example.org/article",
                "selector": [{"type": "TextQuoteSelector", "exact": "talk about"}],
            }
        ],
    }
    assert post_import(fran, copy, [note]).get_json() == {
        "imported": 1,
        "orphaned": 0,
        "skipped": [],
    }
    (item,) = exported(fran, copy)["first"]["items"]
    assert item["motivation"] == "commenting"
    assert item["target"]["selector"][0]["exact"] == "talk about"
    assert item["creator"]["name"] == "Fran Facilitator"


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ("{not json", 400, "this is not JSON"),
        ("", 400, "AnnotationCollection"),
        ({"type": "Annotation"}, 422, "AnnotationCollection"),
        ([{"type": "Note"}], 422, "Annotation 1: Each item must have the type 'Annotation'"),
        ({"type": "AnnotationCollection", "first": "https://x.example/page1"}, 422, "embedded"),
    ],
)
def test_bad_input_is_a_clear_error(circle, payload, status, message):
    response = post_import(circle.client("facilitator"), circle.reading_id, payload)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


def test_one_bad_annotation_imports_nothing(circle):
    fran = circle.client("facilitator")
    items = exported(fran, circle.reading_id)["first"]["items"]
    bad = dict(items[0], motivation="bookmarking")
    before = annotation_count(circle.app)
    response = post_import(fran, circle.reading_id, [*items, bad])
    assert response.status_code == 422
    assert (
        "Annotation 6: Unknown motivation 'bookmarking'" in response.get_json()["error"]["message"]
    )
    assert annotation_count(circle.app) == before


def test_oversize_input_is_refused(circle):
    response = post_import(
        circle.client("facilitator"), circle.reading_id, b"[" + b" " * (3 * 1024 * 1024) + b"]"
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"]


def test_only_facilitators_import(circle):
    payload = {"type": "AnnotationPage", "items": []}
    assert post_import(circle.client("author"), circle.reading_id, payload).status_code == 403
    assert post_import(circle.client("outsider"), circle.reading_id, payload).status_code == 404


def test_round_trip_into_a_fresh_installation_on_another_database(circle, tmp_path):
    """Export here (the suite's database), import into an installation on a SQLite file."""
    source = exported(circle.client("facilitator"), circle.reading_id)
    fresh = create_app(
        app_config("sqlite:///" + str(tmp_path / "fresh.sqlite3"), str(tmp_path / "fresh"))
    )
    with fresh.app_context():
        db.create_all()
        owner = users.create_user(
            email="owner@example.org", display_name="Owner", password=PASSWORD
        )
        group = groups.create_group(creator=owner, name="Moved circle")
        reading = readings.create_reading(
            group=group, creator=owner, title="Why we read", source=SOURCE, source_format="markdown"
        )
        owner = db.session.get(User, owner.id)
        db.session.expunge(owner)
        reading_id = reading.id
    client = signed_in_client(fresh, owner)
    assert post_import(client, reading_id, source).get_json()["orphaned"] == 0
    assert shape(exported(client, reading_id)) == shape(source)
    with fresh.app_context():
        db.engine.dispose()


def upload(client, reading_id: int, content: bytes):
    return client.post(
        f"/readings/{reading_id}/import",
        data={"file": (io.BytesIO(content), "annotations.jsonld")},
        content_type="multipart/form-data",
    )


def test_the_reading_page_offers_facilitators_an_import_form(circle):
    page = circle.client("facilitator").get(f"/readings/{circle.reading_id}").data.decode()
    assert f'href="/readings/{circle.reading_id}/import"' in page
    member_page = circle.client("member").get(f"/readings/{circle.reading_id}").data.decode()
    assert "/import" not in member_page
    form = circle.client("facilitator").get(f"/readings/{circle.reading_id}/import")
    assert 'type="file"' in form.data.decode()


def test_an_uploaded_file_is_imported_and_summarized(circle, factory):
    fran = circle.client("facilitator")
    content = json.dumps(exported(fran, circle.reading_id)).encode()
    edited = SOURCE.replace("argue", "talk").replace("highlight", "mark")
    copy = second_reading(factory, circle, edited)
    response = upload(fran, copy, content)
    assert response.status_code == 200
    page = response.data.decode()
    assert "5 annotations imported, of which 2 could not be placed" in page
    assert len(exported(fran, copy)["first"]["items"]) == 5


def test_a_bad_file_is_refused_on_the_form_and_imports_nothing(circle):
    fran = circle.client("facilitator")
    before = annotation_count(circle.app)
    response = upload(fran, circle.reading_id, b'{"type": "AnnotationCollection", "first": [')
    assert response.status_code == 422
    assert "could not be read as JSON" in response.data.decode()
    assert 'type="file"' in response.data.decode()
    assert annotation_count(circle.app) == before


def test_the_group_zip_holds_each_readings_json_ld_which_imports_again(circle, factory):
    fran = circle.client("facilitator")
    archive = zipfile.ZipFile(io.BytesIO(fran.get(f"/api/groups/{circle.group_id}/export").data))
    (name,) = [n for n in archive.namelist() if n.endswith("/annotations.jsonld")]
    collection = json.loads(archive.read(name))
    assert shape(collection) == shape(exported(fran, circle.reading_id))
    # The revisions the targets' states name are listed, and served where they say.
    (revision,) = collection["studygroup"]["revisions"]
    state = collection["first"]["items"][0]["target"]["state"]
    assert state["cached"] == revision["id"]
    text = fran.get(revision["id"])
    assert text.status_code == 200 and "single article" in text.get_json()["value"]
    copy = second_reading(factory, circle)
    assert post_import(fran, copy, collection).get_json()["imported"] == 5
