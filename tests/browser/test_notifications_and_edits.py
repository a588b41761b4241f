"""Notifications lead to the words, and an open reader stays true while the text changes:
in Chromium, following a notification's link, the bell counting live, and a reader left
open while the facilitator edits the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Notification, Reading, User
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.readings import current_revision
from studygroup.services.threads import create_reply
from tests.browser.reader_room import ReaderRoom
from tests.browser.test_annotating import button, select_with_mouse

pytestmark = pytest.mark.browser

FILLER = "\n\n".join(f"Paragraph {n} says something about reading together." for n in range(40))
PASSAGE = "The passage far down the page is the one we argue about."
SOURCE = f"{FILLER}\n\n{PASSAGE} It closes the text.\n"

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight;
}"""


class Room(ReaderRoom):
    def __init__(self, server: Any, new_page: Callable[[], Any]) -> None:
        super().__init__(server, new_page, SOURCE)

    def comment(self, user: User, body: str) -> int:
        with self.app.app_context():
            reading = db.session.get(Reading, self.reading.id)
            start = current_revision(reading).text.index(PASSAGE)
            return create_annotation(
                reading=reading,
                author=db.session.get(User, user.id),
                motivation=Motivation.COMMENTING,
                target=Target(start=start, end=start + len(PASSAGE), exact=PASSAGE),
                body=body,
            ).id

    def reply(self, user: User, parent_id: int, body: str) -> int:
        with self.app.app_context():
            return create_reply(
                parent=db.session.get(Annotation, parent_id),
                author=db.session.get(User, user.id),
                body=body,
            ).id

    def orphaned_comment(self, author: User) -> int:
        """A comment on PASSAGE, which Ada then edits out of the text through the API."""
        note = self.comment(author, "This sentence matters.")
        ada = self.open(self.ada)
        status, _ = self.call_api(
            ada, "PATCH", f"/api/readings/{self.reading.id}", {"body": FILLER + "\n\nNew ending."}
        )
        assert status == 200
        return note

    def unread(self, user: User) -> list[int]:
        with self.app.app_context():
            query = select(Notification.annotation_id).where(
                Notification.recipient_id == user.id, Notification.read_at.is_(None)
            )
            return list(db.session.scalars(query))


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def test_a_reply_notification_opens_the_thread_at_its_words_and_is_read(room: Room) -> None:
    root = room.comment(room.bob, "Why does it end like this?")
    first = room.reply(room.cleo, root, "Because the author ran out of ink.")
    second = room.reply(room.ada, first, "Or because the ending was the point.")
    assert sorted(room.unread(room.bob)) == [first, second]
    page = room.open(room.bob)
    page.goto(room.url + "/notifications")
    expect(page.locator(".nav-badge")).to_have_text("2")
    page.get_by_role("link", name="Ada replied in a discussion on “On reading”").click()
    reply = page.locator(f"#reply-{second}")
    expect(reply).to_be_focused()  # the nested reply, its thread opened down to it
    expect(reply).to_contain_text("Or because the ending was the point.")
    expect(reply).to_have_class("thread-reply is-linked")
    assert page.evaluate(IN_VIEW, f"#reply-{second}")
    assert page.evaluate(IN_VIEW, f'#reading-text mark[data-ids~="{root}"]')  # its passage
    assert page.evaluate("window.scrollY") > 500  # far down the page, not at the top
    assert "notification=" not in page.url and page.url.endswith(f"#annotation-{second}")
    expect(page.locator(".nav-badge")).to_have_text("1")  # followed: that one is read
    assert room.unread(room.bob) == [first]
    assert room.console_errors == []


def test_a_link_to_a_comment_opens_its_card_and_the_bell_counts_live(room: Room) -> None:
    root = room.comment(room.bob, "Why does it end like this?")
    page = room.open(room.bob)
    expect(page.locator(".nav-bell")).to_have_attribute("aria-label", "Notifications")
    room.reply(room.cleo, root, "Because it must.")
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # back to the tab
    expect(page.locator(".nav-badge")).to_have_text("1")
    expect(page.locator(".nav-bell")).to_have_attribute("aria-label", "Notifications, 1 unread")
    page.goto(f"{room.url}/readings/{room.reading.id}#annotation-{root}")
    card = page.locator(f"#annotation-{root}")
    expect(card).to_be_focused()
    assert page.evaluate(IN_VIEW, f'#reading-text mark[data-ids~="{root}"]')
    assert room.console_errors == []


def test_an_orphaned_annotation_notification_leads_to_re_attaching_it(room: Room) -> None:
    note = room.orphaned_comment(room.bob)
    bob = room.open(room.bob)
    bob.goto(room.url + "/notifications")
    bob.get_by_role(
        "link", name="Ada edited “On reading”: your annotation lost its passage"
    ).click()
    card = bob.locator(f"#annotation-{note}")
    expect(card).to_be_focused()
    expect(card.get_by_role("button", name="Re-attach")).to_be_visible()
    assert room.unread(room.bob) == []


def test_an_open_reader_survives_an_edit_and_keeps_the_unsaved_note(room: Room) -> None:
    bob = room.open(room.bob)
    ada = room.open(room.ada)
    edited = "A new first paragraph arrives.\n\n" + SOURCE
    status, _ = room.call_api(ada, "PATCH", f"/api/readings/{room.reading.id}", {"body": edited})
    assert status == 200
    notice = bob.locator(".reader-edited")
    expect(notice).to_contain_text(
        "The text was edited — reload to see the new version (your unsaved note is kept).",
        timeout=15_000,
    )
    # The old text is still on screen: a highlight made on it lands on the same words.
    select_with_mouse(bob, "far down the page")
    button(bob.get_by_role("toolbar"), "Highlight").click()
    expect(bob.locator(".panel-status")).to_have_text("Highlight saved.")
    # A comment, half written when the reader presses Reload, comes back after it.
    select_with_mouse(bob, "the one we argue about")
    button(bob.get_by_role("toolbar"), "Comment").click()
    bob.get_by_label("Comment").fill("Half a thought, kept across the reload.")
    notice.get_by_role("button", name="Reload").click()
    editor = bob.get_by_label("Comment")
    expect(editor).to_have_value("Half a thought, kept across the reload.")
    expect(bob.locator(".reader-edited")).to_have_count(0)
    expect(bob.locator("#reading-text")).to_contain_text("A new first paragraph arrives.")
    bob.get_by_role("button", name="Save").click()
    expect(bob.locator(".panel-status")).to_have_text("Comment saved.")
    with room.app.app_context():
        rows = db.session.scalars(select(Annotation).order_by(Annotation.id)).all()
        reading = db.session.get(Reading, room.reading.id)
        text = current_revision(reading).text
        assert [(a.revision, text[a.start : a.end]) for a in rows] == [
            (2, "far down the page"),
            (2, "the one we argue about"),
        ]
    assert room.console_errors == []
