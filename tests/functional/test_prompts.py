"""Discussion prompts as threads, and "post before you see" across every surface that lists
annotations: the reader's API (list, one annotation, ETag), the discussion and question pages,
search, exports and the dashboards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, Role, User, Visibility
from studygroup.services import annotations, schedule, threads
from tests.conftest import Factory, csrf_token_from, signed_in_client

TEXT = "The quick brown fox jumps over the lazy dog."
PROMPTS = ["What persuades you?", "Who is missing from the story?"]
DUE = datetime(2031, 3, 4, tzinfo=UTC)


@dataclass
class Room:
    app: Flask
    reading_id: int
    group_id: int
    users: dict[str, User]

    def client(self, who: str) -> FlaskClient:
        return signed_in_client(self.app, self.users[who])

    def assign(self, prompts: list[str], post_first: bool | None = None) -> None:
        with self.app.app_context():
            schedule.assign(
                reading=db.session.get(Reading, self.reading_id),
                due_at=DUE,
                due_has_time=False,
                prompts=prompts,
                post_first=post_first,
                assigned_by=db.session.get(User, self.users["fran"].id),
            )

    def prompt_threads(self) -> list[tuple[int, int | None, str]]:
        """(id, prompt_index, body) of every page note, prompts or former prompts."""
        with self.app.app_context():
            rows = db.session.execute(
                select(Annotation.id, Annotation.prompt_index, Annotation.body_source)
                .where(
                    Annotation.reading_id == self.reading_id,
                    Annotation.start.is_(None),
                    Annotation.parent_id.is_(None),
                )
                .order_by(Annotation.id)
            )
            return [tuple(row) for row in rows]

    def comment(
        self,
        who: str,
        body: str,
        visibility: Visibility = Visibility.GROUP,
        motivation: Motivation = Motivation.COMMENTING,
    ) -> int:
        with self.app.app_context():
            return annotations.create_annotation(
                reading=db.session.get(Reading, self.reading_id),
                author=db.session.get(User, self.users[who].id),
                motivation=motivation,
                target=annotations.Target(start=4, end=9, exact="quick"),
                body=body,
                visibility=visibility,
            ).id

    def reply(self, who: str, parent_id: int, body: str) -> int:
        with self.app.app_context():
            return threads.create_reply(
                parent=db.session.get(Annotation, parent_id),
                author=db.session.get(User, self.users[who].id),
                body=body,
            ).id

    def listed(self, who: str) -> tuple[list[str], str]:
        response = self.client(who).get(f"/api/readings/{self.reading_id}/annotations/")
        assert response.status_code == 200, response.text
        items = response.get_json()["first"]["items"]
        return [item["body"][0]["value"] for item in items if item.get("body")], response.headers[
            "ETag"
        ]

    def page(self, who: str, url: str) -> str:
        response = self.client(who).get(url)
        assert response.status_code == 200, response.text
        return response.text


@pytest.fixture
def room(app: Flask, factory: Factory) -> Room:
    users = {name: factory.user(name.title()) for name in ("fran", "ada", "ben")}
    group = factory.group(users["fran"], members_see_dashboard=True, members_see_heatmap=True)
    factory.member(group, users["ada"], Role.MEMBER)
    factory.member(group, users["ben"], Role.MEMBER)
    reading = factory.reading(group, users["fran"], TEXT)
    return Room(app, reading.id, group.id, users)


def test_each_prompt_is_a_thread_members_answer(room: Room) -> None:
    room.assign(PROMPTS)
    (first, index, body), (_, second_index, _) = room.prompt_threads()
    assert (index, body, second_index) == (0, PROMPTS[0], 1)
    room.reply("ada", first, "The evidence about the dog.")
    discussion = room.page("ben", f"/readings/{room.reading_id}/discussion")
    assert PROMPTS[0] in discussion and "The evidence about the dog." in discussion
    listed, _ = room.listed("ben")
    assert listed[:3] == [PROMPTS[0], PROMPTS[1], "The evidence about the dog."]
    items = room.client("ben").get(f"/api/readings/{room.reading_id}/annotations/").get_json()
    assert [item["studygroup"]["prompt"] for item in items["first"]["items"]] == [0, 1, None]


def test_changing_prompts_keeps_matching_threads_and_every_answer(room: Room) -> None:
    room.assign(PROMPTS)
    (answered, _, _), (unanswered, _, _) = room.prompt_threads()
    room.reply("ada", answered, "An answer worth keeping.")
    room.assign(["A new question?"])
    after = room.prompt_threads()
    assert after[0] == (answered, None, PROMPTS[0])  # answered: kept as an ordinary page note
    assert after[1][1:] == (0, "A new question?") and len(after) == 2  # unanswered: gone
    assert unanswered not in [row[0] for row in after]
    room.assign(["A new question?", PROMPTS[1]])
    kept = room.prompt_threads()
    assert [row[1:] for row in kept] == [
        (None, PROMPTS[0]),
        (0, "A new question?"),
        (1, PROMPTS[1]),
    ]
    room.assign(["Reordered?", PROMPTS[1], "A new question?"])
    assert [row[:2] for row in room.prompt_threads()[1:3]] == [(kept[1][0], 2), (kept[2][0], 1)]


def test_post_first_hides_others_until_the_member_shares_something(room: Room) -> None:
    room.assign(PROMPTS, post_first=True)
    prompt_id = room.prompt_threads()[0][0]
    ben = room.comment("ben", "Zebras are *quick* too.")
    room.comment("ben", "Do zebras read?", motivation=Motivation.QUESTIONING)
    room.reply("ben", prompt_id, "Ben answers the prompt.")
    reading_url = f"/readings/{room.reading_id}"

    listed, tag = room.listed("ada")
    assert listed == PROMPTS  # the prompts themselves, not the answers
    assert (
        room.client("ada").get(f"/api/readings/{room.reading_id}/annotations/{ben}").status_code
        == 404
    )
    assert room.client("ada").get(f"{reading_url}/discussion/{ben}").status_code == 404
    assert "Zebras" in room.listed("fran")[0][2]  # facilitators always see everything
    reader = room.page("ada", reading_url)
    assert "Post your own annotation or answer a prompt to see what others wrote." in reader
    assert "Post your own annotation" not in room.page("fran", reading_url)
    for url in (
        f"{reading_url}/discussion",
        f"/groups/{room.group_id}/questions?state=all",
        f"/groups/{room.group_id}/search?q=zebras",
        f"/api/readings/{room.reading_id}/export?format=csv",
        f"{reading_url}/prep",
        f"{reading_url}/dashboard",
        f"/api/readings/{room.reading_id}/dashboard",
    ):
        page = room.page("ada", url)
        assert "Zebras" not in page and "Ben answers" not in page, url
        assert "zebras read" not in page and "quick" not in page, url
    assert "Zebras" in room.page("fran", f"/groups/{room.group_id}/search?q=zebras")
    assert room.client("ada").get(f"/api/readings/{room.reading_id}/heatmap").status_code in (
        403,
        404,
    )

    room.comment("ada", "Only for me.", Visibility.PRIVATE)  # a private note is not posting
    listed, still = room.listed("ada")
    assert "Zebras are *quick* too." not in listed and "Only for me." in listed

    room.reply("ada", prompt_id, "Ada answers.")
    listed, unlocked = room.listed("ada")
    assert "Zebras are *quick* too." in listed and "Ben answers the prompt." in listed
    assert unlocked != tag
    assert "Post your own annotation" not in room.page("ada", reading_url)
    for url in (f"{reading_url}/discussion", f"/groups/{room.group_id}/search?q=zebras"):
        assert "Zebras" in room.page("ada", url), url
    assert "zebras read" in room.page("ada", f"{reading_url}/dashboard")
    assert "Zebras" in room.page("ada", f"/api/readings/{room.reading_id}/export?format=csv")


def test_turning_post_first_on_changes_the_list_and_its_etag(room: Room) -> None:
    room.assign(PROMPTS)
    room.comment("ben", "Zebras are quick too.")
    listed, open_tag = room.listed("ada")
    assert "Zebras are quick too." in listed
    room.assign(PROMPTS, post_first=True)
    listed, closed_tag = room.listed("ada")
    assert listed == PROMPTS and closed_tag != open_tag
    room.assign(PROMPTS)  # not saying keeps the setting
    assert room.listed("ada")[0] == PROMPTS


def test_the_schedule_form_and_the_api_set_post_first(room: Room) -> None:
    fran = room.client("fran")
    url = f"/readings/{room.reading_id}/schedule"
    token = csrf_token_from(fran.get(url).text)
    form = {"csrf_token": token, "due_date": "2031-03-04", "prompts": "\n".join(PROMPTS)}
    assert fran.post(url, data={**form, "post_first": "y"}).status_code == 302
    checkbox = re.search(r'<input[^>]*name="post_first"[^>]*>', fran.get(url).text)
    assert checkbox is not None and " checked" in checkbox.group()
    api = f"/api/readings/{room.reading_id}/assignment"
    shown = fran.get(f"/api/readings/{room.reading_id}").get_json()["assignment"]
    assert shown["post_first"] is True and shown["prompts"] == PROMPTS
    headers = {"X-CSRFToken": token}
    response = fran.put(api, json={"due": "2031-03-04", "post_first": False}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.get_json()["post_first"] is False
    bad = fran.put(api, json={"due": "2031-03-04", "post_first": "yes"}, headers=headers)
    assert bad.status_code == 422
    assert "post_first" in bad.get_json()["error"]["message"]
    refused = room.client("ada").put(api, json={"due": "2031-03-04", "post_first": False})
    assert refused.status_code == 403
