"""Search: each member finds what they may see (private notes their own, hidden bodies not),
with filters, on both databases, and the indexes follow edits and re-anchoring."""

from __future__ import annotations

import pytest

from studygroup.extensions import db
from studygroup.models import Annotation, Reading, User
from studygroup.services import annotations, revisions
from tests.functional.insights_support import HIDDEN_BODY, PRIVATE_BODY, TEXT, build_room


@pytest.fixture
def room(app, factory):
    return build_room(app, factory)


def hits(room, who, **params):
    response = room.client(who).get(f"/api/groups/{room.group_id}/search", query_string=params)
    assert response.status_code == 200, response.text
    return response.get_json()["hits"]


def kinds(found):
    return sorted(hit["kind"] for hit in found)


@pytest.mark.parametrize(
    ("who", "word", "expected"),
    [
        ("cleo", "secret", ["note"]),  # her own private note
        ("ada", "secret", []),
        ("ben", "secret", []),
        ("fran", "secret", []),  # not even facilitators
        ("cleo", "rude", ["comment"]),  # hidden, but hers
        ("fran", "rude", ["comment"]),  # facilitators read hidden bodies
        ("ada", "rude", []),
        ("ben", "rude", []),
    ],
    ids=lambda value: value if isinstance(value, str) else "-".join(value) or "nothing",
)
def test_each_member_finds_only_what_they_may_see(room, who, word, expected):
    assert kinds(hits(room, who, q=word)) == expected


def test_a_word_is_found_in_the_text_and_in_the_margins(room):
    found = hits(room, "ada", q="brown")
    assert kinds(found) == ["comment", "question", "reading"]
    reading_hit = next(hit for hit in found if hit["kind"] == "reading")
    assert reading_hit["passage"] == {"start": 10, "end": 15, "quote": "brown"}
    assert reading_hit["url"].endswith(f"/readings/{room.reading_id}#passage-10-15")
    question = next(hit for hit in found if hit["kind"] == "question")
    assert question["url"].endswith(f"#annotation-{room.question_id}")
    assert question["snippet"] == "Why brown?" and question["author"]["display_name"] == "Ada"


def test_words_match_their_stems(room):
    assert kinds(hits(room, "ada", q="jumping")) == ["reading"]


def test_filters_narrow_the_results(room):
    assert kinds(hits(room, "ada", q="brown", kind="question")) == ["question"]
    assert kinds(hits(room, "ada", q="brown", kind="reading")) == ["reading"]
    assert kinds(hits(room, "ada", q="brown", author=str(room.users["ben"].id))) == ["comment"]
    assert kinds(hits(room, "ada", q="brown", open="1")) == ["question"]
    assert hits(room, "ada", q="brown", reading=str(room.reading_id + 100)) == []
    assert kinds(hits(room, "ada", q="autumn", kind="reply")) == ["reply"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "fox", "kind": "poem"},
        {"q": "fox", "reading": "a"},
    ],
    ids=["no-query", "blank", "too-long", "bad-kind", "bad-reading"],
)
def test_bad_searches_are_told_why(room, params):
    response = room.client("ada").get(f"/api/groups/{room.group_id}/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


def test_outsiders_cannot_search_the_group(room):
    url = f"/api/groups/{room.group_id}/search?q=fox"
    assert room.client("otto").get(url).status_code == 404
    assert room.client("otto").get(f"/groups/{room.group_id}/search?q=fox").status_code == 404


def test_the_index_follows_edits_and_new_revisions(app, room):
    with app.app_context():
        comment = db.session.scalar(db.select(Annotation).filter_by(body_source="Fast?"))
        annotations.update_annotation(comment, body="Swift, surely.")
    assert hits(room, "ada", q="fast") == []
    assert kinds(hits(room, "ada", q="swift")) == ["comment"]
    with app.app_context():
        revisions.edit_reading(
            reading=db.session.get(Reading, room.reading_id),
            editor=db.session.get(User, room.users["fran"].id),
            title="The fox",
            author="",
            source_url="",
            source=TEXT.replace("jumps", "leaps"),
            source_format="markdown",
        )
    assert kinds(hits(room, "ada", q="leaps")) == ["reading"]
    assert hits(room, "ada", q="jumps") == []
    # Cleo's hidden comment was on "jumps": re-anchoring orphaned it, and its quote stays.
    assert kinds(hits(room, "fran", q="jumps")) == ["comment"]


def test_the_search_page_marks_the_match_and_links_into_the_reader(room):
    page = room.client("ada").get(f"/groups/{room.group_id}/search?q=brown&kind=question")
    assert page.status_code == 200
    assert "Why <mark>brown</mark>?" in page.text
    assert f'href="/readings/{room.reading_id}#annotation-{room.question_id}"' in page.text
    assert PRIVATE_BODY not in page.text and HIDDEN_BODY not in page.text
    blank = room.client("ada").get(f"/groups/{room.group_id}/search")
    assert blank.status_code == 200 and "result" not in blank.text
