"""The room for facilitators: dashboard numbers, heatmap, prep sheet, who sees what."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert

from studygroup.extensions import db
from studygroup.models import Annotation, Group, Motivation
from tests.conftest import counting_queries
from tests.functional.insights_support import (
    HIDDEN_BODY,
    PRIVATE_BODY,
    PROMPTS,
    TEXT,
    build_room,
    open_room,
)


@pytest.fixture
def room(app, factory):
    return build_room(app, factory)


def _rows(body):
    return {row["user"]["display_name"]: row for row in body["rows"]}


def test_dashboard_counts_what_the_group_shares(room):
    response = room.client("fran").get(f"/api/readings/{room.reading_id}/dashboard")
    assert response.status_code == 200
    body = response.get_json()
    rows = _rows(body)
    assert set(rows) == {"Fran", "Ada", "Ben", "Cleo"}
    assert rows["Ada"]["counts"] == {"highlights": 1, "comments": 0, "questions": 1, "replies": 0}
    assert rows["Ben"]["counts"] == {"highlights": 0, "comments": 1, "questions": 0, "replies": 1}
    # Cleo's private note is hers alone and her hidden comment is out of the conversation.
    assert rows["Cleo"]["counts"] == {"highlights": 0, "comments": 0, "questions": 0, "replies": 0}
    assert [rows[name]["read"] for name in ("Fran", "Ada", "Ben", "Cleo")] == [
        False,
        True,
        True,
        False,
    ]
    assert rows["Ada"]["last_activity"] is not None and rows["Fran"]["last_activity"] is None
    assert (body["members"], body["read"]) == (4, 2)
    top = [(p["quote"], p["start"], p["end"], p["members"]) for p in body["top_passages"]]
    assert top[:2] == [("quick", 4, 9, 2), ("brown", 10, 15, 2)]
    assert body["top_passages"][0]["url"].endswith(f"/readings/{room.reading_id}#passage-4-9")
    (question,) = body["open_questions"]
    assert (question["id"], question["body"], question["votes"], question["replies"]) == (
        room.question_id,
        "Why brown?",
        1,
        1,
    )
    assert len(body["activity"]) == 14 and body["activity"][-1]["day"] == "2030-01-10"
    assert "score" not in str(body) and "rank" not in str(body)


def test_heatmap_counts_distinct_members_per_stretch(room):
    response = room.client("fran").get(f"/api/readings/{room.reading_id}/heatmap")
    assert response.status_code == 200
    stretches = [(s["start"], s["end"], s["members"]) for s in response.get_json()["stretches"]]
    # Ada: quick, brown fox; Ben: quick brown. Cleo's private "quick" and hidden "jumps" count
    # for no one.
    assert stretches == [(4, 9, 2), (9, 10, 1), (10, 15, 2), (15, 19, 1)]


def test_members_see_their_own_row_until_the_group_opens_the_room(app, room):
    url = f"/api/readings/{room.reading_id}/dashboard"
    own = room.client("ada").get(url).get_json()
    assert list(_rows(own)) == ["Ada"]
    assert room.client("ada").get(f"/api/readings/{room.reading_id}/heatmap").status_code == 403
    open_room(app, room, members_see_dashboard=True, members_see_heatmap=True)
    assert set(_rows(room.client("ada").get(url).get_json())) == {"Fran", "Ada", "Ben", "Cleo"}
    assert room.client("ada").get(f"/api/readings/{room.reading_id}/heatmap").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/readings/{}/dashboard",
        "/api/readings/{}/heatmap",
        "/readings/{}/dashboard",
        "/readings/{}/prep",
        "/readings/{}/prep.md",
    ],
)
def test_outsiders_learn_nothing(room, path):
    assert room.client("otto").get(path.format(room.reading_id)).status_code == 404


@pytest.mark.parametrize("who", ["fran", "ada", "cleo"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/readings/{}/dashboard",
        "/readings/{}/dashboard",
        "/readings/{}/prep",
        "/readings/{}/prep.md",
    ],
)
def test_private_and_hidden_bodies_never_show(app, room, who, path):
    open_room(app, room, members_see_dashboard=True)
    response = room.client(who).get(path.format(room.reading_id))
    assert response.status_code == 200
    assert PRIVATE_BODY not in response.text and HIDDEN_BODY not in response.text


def test_the_dashboard_page_shows_the_room(room):
    page = room.client("fran").get(f"/readings/{room.reading_id}/dashboard").text
    assert "<strong data-read-count>2</strong> of 4" in page
    assert '<blockquote class="passage">quick</blockquote>' in page
    assert "Why brown?" in page and "▲ 1" in page
    assert 'class="activity-chart"' in page and '<table class="activity-table">' in page
    member_page = room.client("ben").get(f"/readings/{room.reading_id}/dashboard").text
    assert "Your part" in member_page and ">Ada<" not in member_page


def test_the_prep_sheet_has_the_agenda_and_only_facilitators_see_who_has_not_read(room):
    sheet = room.client("fran").get(f"/readings/{room.reading_id}/prep").text
    for prompt in PROMPTS:
        assert prompt in sheet
    assert "<q>quick</q>" in sheet and "Why brown?" in sheet
    assert "Not read yet" in sheet and "Cleo, Fran" in sheet
    assert "1 reply from 1 person" in sheet
    member_sheet = room.client("ada").get(f"/readings/{room.reading_id}/prep").text
    assert "Not read yet" not in member_sheet and "<q>quick</q>" in member_sheet


def test_the_prep_sheet_downloads_as_markdown(room):
    response = room.client("fran").get(f"/readings/{room.reading_id}/prep.md")
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.text
    assert text.startswith("# The fox\n")
    assert "1. Is the fox lazy?" in text and "2. Who is the dog?" in text
    assert "- > quick\n\n  (2 members)" in text
    assert "- Why brown? (▲ 1, Ada)" in text
    assert "## Not read yet (facilitator's copy)\n\nCleo, Fran" in text
    assert "Not read yet" not in room.client("ben").get(f"/readings/{room.reading_id}/prep.md").text


def _bulk(app, room, count):
    """`count` more highlights by Ada and Ben, inserted in one statement."""
    with app.app_context():
        rows = [
            {
                "reading_id": room.reading_id,
                "author_id": room.users["ada" if n % 2 else "ben"].id,
                "motivation": Motivation.HIGHLIGHTING,
                "visibility": "group",
                "revision": 1,
                "start": n % 30,
                "end": n % 30 + 5,
                "exact": TEXT[n % 30 : n % 30 + 5],
            }
            for n in range(count)
        ]
        db.session.execute(insert(Annotation), rows)
        db.session.commit()


def test_the_dashboard_takes_the_same_queries_however_many_annotations(app, room):
    url = f"/api/readings/{room.reading_id}/dashboard"
    client = room.client("fran")
    client.get(url)
    with counting_queries(app) as few:
        client.get(url)
    _bulk(app, room, 500)
    with counting_queries(app) as many:
        body = client.get(url).get_json()
    assert len(many) == len(few)
    assert _rows(body)["Ada"]["counts"]["highlights"] == 251


def test_flags_reach_the_facilitators_bell(app, room):
    ben = room.client("ben")
    flag = {"reason": "Off topic"}
    url = f"/api/readings/{room.reading_id}/annotations/{room.question_id}/flags"
    assert ben.post(url, json=flag).status_code == 201
    fran = room.client("fran").get("/api/notifications").get_json()
    (notification,) = fran["notifications"]
    assert notification["kind"] == "flag" and notification["text"] == "Off topic"
    assert notification["url"] == f"/groups/{room.group_id}/moderation"
    assert "Ben flagged" in notification["summary"]
    assert ben.post(url, json={"reason": "Really off topic"}).status_code == 201
    assert room.client("fran").get("/api/notifications").get_json()["unread"] == 1
    ada = room.client("ada").get("/api/notifications").get_json()
    assert all(n["kind"] != "flag" for n in ada["notifications"])


def test_the_group_settings_open_the_room(room):
    response = room.client("fran").post(
        f"/groups/{room.group_id}/edit",
        data={"name": "Tuesday Circle", "members_see_dashboard": "y", "members_see_heatmap": "y"},
    )
    assert response.status_code == 302
    assert room.client("ada").get(f"/api/readings/{room.reading_id}/heatmap").status_code == 200
    ada_rows = _rows(room.client("ada").get(f"/api/readings/{room.reading_id}/dashboard").json)
    assert len(ada_rows) == 4


def stored_group(app, room):
    with app.app_context():
        group = db.session.get(Group, room.group_id)
        db.session.expunge(group)
        return group


def test_the_group_dashboard_sums_up_each_scheduled_reading(app, room, factory):
    unscheduled = factory.reading(
        stored_group(app, room), room.users["fran"], "Not on the schedule.", title="Later"
    )
    page = room.client("fran").get(f"/groups/{room.group_id}/dashboard")
    assert page.status_code == 200
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a [^>]*>The fox</a></th>(.*?)</tr>", page.text, re.S
    )
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[1:4] == ["2 of 4", "4", "1"]  # Ada's and Ben's marks; 4 shared; 1 open
    assert unscheduled.title not in page.text
    assert room.client("ada").get(f"/groups/{room.group_id}/dashboard").status_code == 403
