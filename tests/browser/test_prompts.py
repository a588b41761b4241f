"""A discussion prompt answered in the reader, under "post before you see", in Chromium."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from studygroup.extensions import db
from studygroup.models import Motivation, Reading, User
from studygroup.services import schedule
from tests.browser.test_reader_threads import Room, card, card_button, write_reply

pytestmark = pytest.mark.browser

PROMPT = "What does the second sentence want from us?"
NOTICE = "Post your own annotation or answer a prompt to see what others wrote."


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def test_a_prompt_answered_in_the_reader_shows_on_the_discussion_page(room: Room) -> None:
    with room.app.app_context():
        schedule.assign(
            reading=db.session.get(Reading, room.reading.id),
            due_at=datetime(2031, 3, 4, tzinfo=UTC),
            due_has_time=False,
            prompts=[PROMPT],
            post_first=True,
            assigned_by=db.session.get(User, room.ada.id),
        )
    bobs = room.annotate(room.bob, Motivation.COMMENTING, "Bob's early thought.")
    page = room.open(room.cleo)
    expect(page.get_by_text(NOTICE)).to_be_visible()
    notes = page.locator("[data-panel-page-notes]")
    prompt = notes.locator(".annotation-card").filter(has_text=PROMPT)
    expect(prompt).to_have_count(1)
    expect(card(page, bobs)).to_have_count(0)  # held back until Cleo posts

    prompt_id = int((prompt.get_attribute("id") or "").removeprefix("annotation-"))
    card_button(page, prompt_id, "Reply").click()
    write_reply(page, "Ada", "It wants us to *argue*.")
    expect(card(page, prompt_id).locator(".thread-reply")).to_have_count(1)

    page.reload()
    page.wait_for_selector("article[data-anchored]", state="attached")
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    expect(card(page, bobs)).to_have_count(1)  # her answer unlocked the room

    page.goto(f"{room.url}/readings/{room.reading.id}/discussion")
    thread = page.locator("section.thread").filter(has_text=PROMPT)
    expect(thread).to_have_count(1)
    expect(thread.locator("em")).to_have_text("argue")
    expect(thread).to_contain_text("Cleo")
    assert room.console_errors == []
