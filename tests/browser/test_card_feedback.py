"""Feedback next to the card that caused it, in Chromium: "Make private" only where it can
work and its answer on the card, "Re-attach" instructions on the orphan's card, a deleted
card that says so once, and the length limit counted while typing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.readings import current_revision
from studygroup.services.threads import delete_annotation
from tests.browser.test_annotating import button, select_with_mouse
from tests.browser.test_notifications_and_edits import IN_VIEW, PASSAGE, Room

pytestmark = pytest.mark.browser


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def test_make_private_is_offered_only_where_it_works_and_answers_on_the_card(room: Room) -> None:
    discussed = room.comment(room.bob, "Others answered this one.")
    room.reply(room.cleo, discussed, "Indeed.")
    alone = room.comment(room.bob, "Nobody answered this one.")
    page = room.open(room.bob)
    discussed_card = page.locator(f"#annotation-{discussed}")
    expect(discussed_card).to_contain_text("Indeed.")
    expect(discussed_card.get_by_role("button", name="Make private")).to_have_count(0)
    card = page.locator(f"#annotation-{alone}")
    card.get_by_role("button", name="Make private").click()
    card = page.locator(f"#annotation-{alone}")
    expect(card.locator(".card-feedback")).to_have_text("Now only you can see it.")
    expect(card.get_by_role("button", name="Share with group")).to_be_visible()
    assert room.console_errors == []


def test_re_attach_shows_its_instructions_on_the_orphans_card(room: Room) -> None:
    note = room.orphaned_comment(room.bob)
    page = room.open(room.bob)
    card = page.locator(f"#annotation-{note}")
    card.get_by_role("button", name="Re-attach").click()
    feedback = card.locator(".card-feedback")
    expect(feedback).to_contain_text("Now select the passage in the text")
    assert page.evaluate(IN_VIEW, f"#annotation-{note} .card-feedback")
    select_with_mouse(page, "New ending.")
    button(page.get_by_role("toolbar"), "Re-attach here").click()
    expect(page.locator(f"#annotation-{note} .card-feedback")).to_have_text("Re-attached.")
    expect(page.locator(f'#reading-text mark[data-ids~="{note}"]')).to_have_text("New ending.")


def test_a_deleted_card_says_deleted_once(room: Room) -> None:
    root = room.comment(room.bob, "Soon gone.")
    room.reply(room.cleo, root, "Still here.")
    with room.app.app_context():
        delete_annotation(db.session.get(Annotation, root))
    page = room.open(room.cleo)
    card = page.locator(f"#annotation-{root}")
    expect(card).to_contain_text("Still here.")
    assert card.inner_text().lower().count("deleted") == 1


def test_the_length_limit_is_counted_while_typing(room: Room) -> None:
    page = room.open(room.bob)
    select_with_mouse(page, "far down the page")
    button(page.get_by_role("toolbar"), "Comment").click()
    editor = page.get_by_label("Comment")
    counter = page.locator(".editor-count")
    expect(counter).to_have_text("0 / 10,000 characters")
    editor.press_sequentially("Four")
    expect(counter).to_have_text("4 / 10,000 characters")
    editor.fill("x" * 10_002)
    expect(counter).to_have_text("10,002 / 10,000 characters: 2 too many.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".editor-error")).to_have_text("Keep it under 10,000 characters.")
    with room.app.app_context():
        assert db.session.scalar(select(func.count(Annotation.id))) == 0


def test_identical_plain_highlights_of_one_passage_share_one_card(room: Room) -> None:
    with room.app.app_context():
        reading = db.session.get(Reading, room.reading.id)
        start = current_revision(reading).text.index(PASSAGE)
        ids = [
            create_annotation(
                reading=reading,
                author=db.session.get(User, user.id),
                motivation=Motivation.HIGHLIGHTING,
                target=Target(start=start, end=start + len(PASSAGE), exact=PASSAGE),
                color="yellow",
            ).id
            for user in (room.ada, room.cleo, room.bob)
        ]
    room.comment(room.cleo, "A comment on the same words keeps its own card.")
    page = room.open(room.bob)
    cards = page.locator(".annotation-list > .annotation-card")
    expect(cards).to_have_count(2)
    together = page.locator(".card-together")
    expect(together).to_have_text("3 highlighted this")
    assert together.get_attribute("title") == "Ada, Cleo, Bob"
    card = page.locator(".annotation-card", has=together)
    expect(card.locator(".card-author")).to_have_text("Bob")  # mine: its actions are mine
    expect(card.get_by_role("button", name="Delete")).to_be_visible()
    page.goto(f"{room.url}/readings/{room.reading.id}#annotation-{ids[0]}")  # Ada's: folded
    expect(page.locator(".annotation-card", has=page.locator(".card-together"))).to_be_focused()
