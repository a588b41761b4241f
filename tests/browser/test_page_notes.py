"""Page notes (annotations on the whole reading, as a W3C client may post them): first in the
reader's panel and on the discussion page, in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from studygroup.extensions import db
from studygroup.models import Motivation, Reading, User
from studygroup.services.annotations import create_annotation
from tests.browser.reader_room import ReaderRoom
from tests.browser.test_reader_threads import Room

pytestmark = pytest.mark.browser


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def page_note(room: ReaderRoom, user: User, body: str) -> int:
    with room.app.app_context():
        note = create_annotation(
            reading=db.session.get(Reading, room.reading.id),
            author=db.session.get(User, user.id),
            motivation=Motivation.COMMENTING,
            target=None,
            body=body,
        )
        return note.id


def test_a_page_note_is_shown_first_in_the_panel_without_a_quote(room: Room) -> None:
    room.annotate(room.bob, Motivation.COMMENTING, "About this sentence.")
    note = page_note(room, room.ada, "Overall: who is *persuaded*?")
    page = room.open(room.cleo)
    section = page.locator("[data-panel-page-notes]")
    expect(section).to_be_visible()
    expect(section.get_by_role("heading", name="On the whole reading")).to_be_visible()
    card = section.locator(f"#annotation-{note}")
    expect(card.locator(".card-body em")).to_have_text("persuaded")
    expect(card.locator(".card-quote")).to_have_count(0)
    expect(card.get_by_role("button", name="Show in text")).to_have_count(0)
    expect(page.locator("[data-orphan-list] .annotation-card")).to_have_count(0)
    panel = page.locator("#annotation-panel")
    cards = panel.locator(".annotation-card")
    expect(cards).to_have_count(2)
    assert cards.first.get_attribute("id") == f"annotation-{note}"  # above the passage's card
    expect(page.locator("[data-panel-total]")).to_have_text("(2)")
    assert page.locator("article").get_attribute("data-orphaned") == "0"
    assert room.console_errors == []


def test_a_page_note_leads_the_discussion_page(room: Room) -> None:
    room.annotate(room.bob, Motivation.COMMENTING, "About this sentence.")
    page_note(room, room.ada, "Overall thoughts.")
    page = room.open(room.cleo)
    page.goto(f"{room.url}/readings/{room.reading.id}/discussion")
    threads = page.locator("section.thread")
    expect(threads).to_have_count(2)
    expect(threads.first.locator(".page-note-label")).to_have_text("On the whole reading")
    expect(threads.first).to_contain_text("Overall thoughts.")
    expect(threads.nth(1).locator("blockquote.passage")).to_contain_text("second sentence")
