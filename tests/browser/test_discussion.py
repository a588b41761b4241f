"""The Discussion page in Chromium: the XSS corpus fires nothing; two members see each
other's replies, answers and upvotes arrive within ten seconds, without a reload."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.threads import create_reply
from tests.conftest import PASSWORD, Factory
from tests.unit.test_rendering import VECTORS

pytestmark = pytest.mark.browser

SOURCE = "Reading groups meet once a week to talk about a single article."

# Records every way a script could announce itself: dialogs, CSP violations.
TRIPWIRES = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__fired.push(name + ":" + args.join(",")); return null; };
}
document.addEventListener("securitypolicyviolation", (event) => {
  window.__fired.push("csp:" + event.violatedDirective + ":" + event.blockedURI);
});
"""


class Room:
    """A live server with Ada (facilitator, who asks) and Bob (a member) on one reading."""

    def __init__(self, server: Any, new_page: Callable[[], Any]) -> None:
        self.url = server.url
        self.app = server.flask_app
        self.new_page = new_page
        factory = Factory(self.app)
        self.ada = factory.user("Ada", "ada@example.org")
        self.bob = factory.user("Bob", "bob@example.org")
        group = factory.group(self.ada)
        factory.member(group, self.bob)
        self.reading = factory.reading(group, self.ada, SOURCE)
        start = SOURCE.index("single article")
        with self.app.app_context():
            question = create_annotation(
                reading=db.session.get(Reading, self.reading.id),
                author=db.session.get(User, self.ada.id),
                motivation=Motivation.QUESTIONING,
                target=Target(start=start, end=start + 14, exact="single article"),
                body="Which article should we read?",
            )
            self.question_id = question.id

    @property
    def discussion(self) -> str:
        return f"{self.url}/readings/{self.reading.id}/discussion"

    def open(self, user: Any, console: list[str] | None = None) -> Any:
        """Log in through the form in a fresh context, tripwires set, then open the page."""
        page = self.new_page()
        if console is not None:
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on(
                "response",
                lambda response: (
                    response.status >= 500
                    and console.append(f"error: {response.status} {response.url}")
                ),
            )
        page.add_init_script(TRIPWIRES)
        page.goto(self.url + "/login")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(self.discussion)
        return page


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def test_the_xss_corpus_fires_nothing_on_the_discussion_page(room):
    with room.app.app_context():
        bob = db.session.get(User, room.bob.id)
        question = db.session.get(Annotation, room.question_id)
        for _name, vector in VECTORS:
            create_reply(parent=question, author=bob, body=vector)
    console: list[str] = []
    page = room.open(room.ada, console)
    expect(page.locator("article.comment")).to_have_count(1 + len(VECTORS))
    for details in page.locator("details").all():  # open everything, as a curious reader
        details.evaluate("(element) => { element.open = true; }")
    page.mouse.move(200, 200)
    page.wait_for_timeout(1000)
    fired = page.evaluate("window.__fired")
    assert fired == [], fired
    assert [line for line in console if "Content Security Policy" in line] == []
    assert [line for line in console if line.startswith("error")] == []


def test_two_members_see_replies_answers_and_votes_arrive(room):
    ada, bob = room.open(room.ada), room.open(room.bob)
    question = f"#annotation-{room.question_id}"

    bob.locator(question).get_by_text("Reply", exact=True).click()
    bob.locator(question).get_by_label("Your reply").fill("The one about **margins**.")
    bob.locator(question).get_by_role("button", name="Preview").click()
    expect(bob.locator(question).locator("[data-preview] strong")).to_have_text("margins")
    bob.locator(question).get_by_role("button", name="Post reply").click()
    expect(bob.get_by_text("The one about")).to_be_visible()

    live = ada.locator("[data-live-button]")
    expect(live).to_have_text("1 new: show", timeout=10_000)
    expect(ada.get_by_text("The one about")).to_have_count(0)  # nothing moves on its own
    live.click()
    expect(ada.get_by_text("The one about")).to_be_visible()

    ada.get_by_role("button", name="✓ Mark as the answer").click()
    expect(ada.locator(".badge-answer")).to_have_text("✓ Answer")
    expect(bob.locator("[data-live-button]")).to_have_text("1 updated: show", timeout=10_000)

    bob.locator(question).get_by_role("button", name="Me too").click()
    expect(bob.locator(question).locator("button.vote")).to_have_attribute("aria-pressed", "true")
    votes = ada.locator(f"{question} > .comment-actions [data-vote-count]")
    expect(votes).to_have_text("1", timeout=10_000)
    assert ada.evaluate("window.__fired") == [] and bob.evaluate("window.__fired") == []
    assert json.loads(ada.locator(question).get_attribute("data-state"))[3] is not None
