"""The Discussion and Questions pages: what they list, their forms, and constant queries."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Visibility, Vote
from studygroup.models.types import utcnow
from tests.conftest import counting_queries
from tests.functional.discussion_support import Room, build_room


@pytest.fixture
def room(app, factory) -> Room:
    return build_room(app, factory)


def test_the_discussion_lists_threads_with_their_passages(room):
    room.annotate("author", body="Why *weekly*?", exact="once a week")
    room.annotate("member", motivation="commenting", body="Margins!", exact="in the margins")
    room.annotate("member", motivation="highlighting", body="", exact="Members")
    page = room.client("facilitator").get(room.discussion)
    assert page.status_code == 200
    html = page.text
    assert '<blockquote class="passage">once a week</blockquote>' in html
    assert "Why <em>weekly</em>?" in html and "Margins!" in html
    assert html.index("once a week</blockquote>") < html.index("in the margins</blockquote>")
    assert "Highlighted this passage." not in html  # a highlight alone is no discussion
    assert f'data-collection-url="{room.collection}"' in html and 'data-etag="' in html


def test_sort_and_state_must_be_known(room):
    client = room.client("member")
    bad_sort = client.get(room.discussion + "?sort=loudest")
    assert bad_sort.status_code == 400 and "position, newest, votes" in bad_sort.text
    bad_state = client.get(f"/groups/{room.group_id}/questions?state=maybe")
    assert bad_state.status_code == 400


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("stranger", 404)])
def test_outsiders_see_nothing(room, role, status):
    question = room.annotate("author")
    client = room.client(role)
    assert client.get(room.discussion).status_code == status
    assert client.get(f"{room.discussion}/{question}").status_code == status
    assert client.get(f"/groups/{room.group_id}/questions").status_code == status
    assert client.post(f"/annotations/{question}/replies", data={"body": "x"}).status_code == 404


def test_replying_editing_and_deleting_through_the_page(room):
    question = room.annotate("author")
    client = room.client("member")
    response = client.post(
        f"/annotations/{question}/replies", data={"body": "See **there**", "next": room.discussion}
    )
    assert response.status_code == 302
    reply_id = int(response.headers["Location"].rsplit("-", 1)[1])
    assert room.stored(reply_id).body_html.strip() == "<p>See <strong>there</strong></p>"
    empty = client.post(f"/annotations/{question}/replies", data={"body": ""})
    assert empty.status_code == 400 and "needs a body text" in empty.text
    too_long = client.post(f"/annotations/{question}/replies", data={"body": "x" * 10_001})
    assert too_long.status_code == 400 and "at most 10,000" in too_long.text
    form = client.get(f"/annotations/{reply_id}/edit")
    assert form.status_code == 200 and "See **there**" in form.text
    assert room.client("author").get(f"/annotations/{reply_id}/edit").status_code == 403
    client.post(f"/annotations/{reply_id}/edit", data={"body": "Changed"})
    assert room.stored(reply_id).body_source == "Changed"
    assert client.post(f"/annotations/{reply_id}/edit", data={"body": ""}).status_code == 400
    unsafe = client.post(f"/annotations/{reply_id}/delete", data={"next": "//evil.example/"})
    assert unsafe.headers["Location"] == f"{room.discussion}#annotation-{question}"
    assert room.stored(reply_id) is None


def test_the_questions_page_lists_open_questions_across_readings(room, factory):
    first = room.annotate("author", body="First question?")
    room.annotate("member", motivation="commenting", body="Just a comment")
    answer = room.reply("member", first, "An answer")
    second = room.annotate("member", body="Second question?", exact="Members")
    room.client("author").post(f"/annotations/{answer}/answer")
    client = room.client("facilitator")
    page = client.get(f"/groups/{room.group_id}/questions").text
    assert "Second question?" in page and "First question?" not in page
    assert "Just a comment" not in page
    page = client.get(f"/groups/{room.group_id}/questions?state=all").text
    assert page.index("Second question?") < page.index("First question?")
    assert f"#annotation-{second}" in page and "1 reply" in page


def bulk_replies(room: Room, root_id: int, count: int) -> None:
    """Replies in one insert, alternating authors, nested in chains of three; some votes."""
    now = utcnow()
    users = [room.users[r].id for r in ("author", "member", "facilitator")]
    with room.app.app_context():
        parents = [root_id]
        for index in range(count):
            parent = parents[-1] if index % 3 else root_id
            created = db.session.execute(
                insert(Annotation).returning(Annotation.id),
                [
                    {
                        "reading_id": room.reading_id,
                        "author_id": users[index % 3],
                        "motivation": Motivation.REPLYING,
                        "visibility": Visibility.GROUP,
                        "body_source": f"reply {index}",
                        "body_html": f"<p>reply {index}</p>",
                        "parent_id": parent,
                        "root_id": root_id,
                        "created_at": now,
                        "modified_at": now,
                    }
                ],
            ).scalar_one()
            parents.append(created)
            if index % 2 and users[(index + 1) % 3] != users[index % 3]:
                db.session.add(Vote(annotation_id=created, user_id=users[(index + 1) % 3]))
        db.session.commit()


def test_a_discussion_page_costs_the_same_queries_for_5_and_500_replies(room):
    roots = [
        room.annotate("author", body="Question one?"),
        room.annotate("member", motivation="commenting", body="Two", exact="Members"),
    ]
    client = room.client("member")
    client.get(room.discussion)  # whatever a first request loads once
    counts = []
    for root, batch in zip(roots, (5, 500), strict=True):
        bulk_replies(room, root, batch)
        with counting_queries(room.app) as statements:
            response = client.get(room.discussion)
        assert response.status_code == 200 and "reply 4" in response.text
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts
