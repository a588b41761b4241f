"""Editing and deleting one's own reply in the reader's side panel, in Chromium: in place,
with the same Edit and Delete a card has, and only for its author."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from studygroup.models import Annotation, Motivation
from tests.browser.test_reader_threads import (
    Room,
    card,
    card_button,
    replies_under,
    reply_button,
    write_reply,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def status(page: Any) -> Any:
    return page.locator("[data-panel-status]")


def reply_in_the_reader(room: Room, text: str) -> tuple[Any, int, Annotation]:
    """Bob opens the reading and replies to Ada's comment in the panel: page, comment, reply."""
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    page = room.open(room.bob)
    card_button(page, comment, "Reply").click()
    write_reply(page, "Ada", text)
    expect(status(page)).to_have_text("Reply posted.")
    (reply,) = room.replies_to(comment)
    return page, comment, reply


def delete_reply(page: Any, reply_id: int) -> None:
    """Delete, then confirm on the second press."""
    reply_button(page, reply_id, "Delete").click()
    reply_button(page, reply_id, "Really delete?").click()


def test_the_author_edits_a_reply_in_place(room: Room) -> None:
    page, comment, reply = reply_in_the_reader(room, "First try")
    node = page.locator(f"#reply-{reply.id}")
    edit = reply_button(page, reply.id, "Edit")
    expect(edit).to_have_accessible_description("Bob")
    expect(reply_button(page, reply.id, "Delete")).to_have_accessible_description("Bob")

    edit.click()  # Escape leaves it as it was and goes back to Edit
    editor = node.get_by_label("Edit reply", exact=True)
    expect(editor).to_be_focused()
    expect(editor).to_have_value("First try")
    editor.fill("Never mind")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(edit).to_be_focused()
    assert room.get(reply.id).body_source == "First try"

    edit.click()
    expect(editor).to_have_value("First try")
    editor.fill("Second *try*")
    page.keyboard.press("Control+Enter")
    expect(node.locator(".reply-body em")).to_have_text("try")
    expect(node.locator(".reply-body")).to_have_text("Second try")
    expect(node.locator(".badge-edited")).to_have_text("edited")
    expect(status(page)).to_have_text("Changes saved.")
    expect(node).to_be_focused()
    expect(editor).to_have_count(0)
    stored = room.get(reply.id)
    assert (stored.body_source, stored.edited_at is not None) == ("Second *try*", True)
    assert len(room.replies_to(comment)) == 1  # changed, not added

    page.reload()
    expect(node.locator(".reply-body em")).to_have_text("try")
    data = room.call(page, "GET", room.iri(reply.id))
    assert data["body"][0]["value"] == "Second *try*"
    assert data["studygroup"]["html"].strip() == "<p>Second <em>try</em></p>"
    assert data["studygroup"]["edited"] is True
    assert room.console_errors == []


def test_a_reply_with_replies_stays_as_a_tombstone_and_a_leaf_disappears(room: Room) -> None:
    page, comment, first = reply_in_the_reader(room, "Which scene?")
    reply_button(page, first.id, "Reply").click()
    write_reply(page, "Bob", "The opening one, I mean.")
    expect(replies_under(page, first.id)).to_have_count(1)
    (second,) = room.replies_to(first.id)

    delete_reply(page, first.id)
    tombstone = page.locator(f"#reply-{first.id}")
    expect(tombstone.locator(":scope > .reply-gone")).to_have_text("This reply was deleted.")
    expect(tombstone.locator(":scope > .reply-meta .reply-author")).to_have_text("Deleted")
    expect(status(page)).to_have_text("Deleted.")
    expect(reply_button(page, first.id, "Edit")).to_have_count(0)
    expect(reply_button(page, first.id, "Delete")).to_have_count(0)
    expect(replies_under(page, first.id).locator(".reply-body")).to_have_text(
        "The opening one, I mean."
    )
    assert room.get(first.id).deleted_at is not None
    assert [row.id for row in room.replies_to(first.id)] == [second.id]

    delete_reply(page, second.id)  # the last reply under the tombstone: both go
    expect(page.locator(f"#reply-{second.id}")).to_have_count(0)
    expect(tombstone).to_have_count(0)
    expect(status(page)).to_have_text("Deleted.")
    expect(card(page, comment).locator(".card-replies")).to_have_count(0)
    assert room.replies_to(comment) == []

    page.reload()
    expect(card(page, comment).locator(".card-body")).to_have_text("The scene matters.")
    expect(page.locator(".thread-reply")).to_have_count(0)
    assert room.console_errors == []


def test_others_see_no_edit_or_delete_on_a_reply(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    reply = room.reply(room.bob, comment, "Mine to change.")
    for person in (room.cleo, room.ada):  # a member, and the facilitator
        page = room.open(person)
        expect(reply_button(page, reply, "Reply")).to_be_visible()
        expect(reply_button(page, reply, "Edit")).to_have_count(0)
        expect(reply_button(page, reply, "Delete")).to_have_count(0)
    bob = room.open(room.bob)
    expect(reply_button(bob, reply, "Edit")).to_be_visible()
    expect(reply_button(bob, reply, "Delete")).to_be_visible()


def test_a_failed_delete_shows_in_the_reply(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    reply = room.reply(room.bob, comment, "Soon gone.")
    page = room.open(room.bob)
    expect(reply_button(page, reply, "Delete")).to_be_visible()
    deleted, _ = room.call_api(page, "DELETE", room.iri(reply))  # another tab
    assert deleted == 204

    delete_reply(page, reply)
    error = page.locator(f"#reply-{reply} > .thread-error")
    expect(error).to_contain_text("couldn't find")
    expect(card(page, comment).locator(":scope > .thread-error")).to_have_text("")
