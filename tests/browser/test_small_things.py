"""Small things people noticed, in Chromium: a skip link and a visible caret for keyboard
annotating, "Mark as read" where the text ends, and no keyboard hints on touch screens
(the reader's editor and the discussion pages' forms, which post with Ctrl+Enter too), and
a long reading's table of contents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from studygroup.extensions import db
from studygroup.models import Reading
from studygroup.rendering import canonical_text
from studygroup.services.readings import current_revision
from tests.browser.reader_room import ReaderRoom
from tests.browser.test_annotating import button
from tests.browser.test_notifications_and_edits import Room

pytestmark = pytest.mark.browser

CARET = """() => {
  const caret = document.querySelector('.text-caret');
  if (!caret || caret.hidden) return null;
  const box = caret.getBoundingClientRect();
  return {left: box.left, top: box.top, height: box.height};
}"""


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def test_two_tabs_reach_the_text_where_a_caret_shows_and_selects(room: Room) -> None:
    page = room.open(room.bob)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the text")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reading-text")).to_be_focused()
    page.keyboard.press("ArrowRight")
    first = page.evaluate(CARET)
    assert first is not None and first["height"] > 8
    for _ in range(9):
        page.keyboard.press("Shift+ArrowRight")
    second = page.evaluate(CARET)
    assert second is not None and second["left"] > first["left"]  # it follows the selection
    page.keyboard.press("Tab")
    expect(page.get_by_role("toolbar")).to_be_visible()
    button(page.get_by_role("toolbar"), "Highlight").click()
    expect(page.locator(".panel-status")).to_have_text("Highlight saved.")
    page.get_by_role("link", name="Discussion").focus()
    expect(page.locator(".text-caret")).to_be_hidden()  # only while the text has focus


def test_mark_as_read_is_also_where_the_text_ends(room: Room) -> None:
    page = room.open(room.bob)
    end = page.locator(".reading-end")
    end.scroll_into_view_if_needed()
    end.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".reading-end")).to_contain_text("You have read this")
    expect(page.locator(".reading-head")).to_contain_text("You have read this")


def emulate_touch(page: Any) -> None:
    """A touch screen: Chromium then matches (pointer: coarse), as a phone does."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setEmitTouchEventsForMouse", {"enabled": True})
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})


def test_keyboard_hints_are_hidden_on_touch_screens(room: Room, browser: Any) -> None:
    page = room.open(room.bob)
    page.locator("#reading-text").focus()
    page.keyboard.press("ArrowRight")
    for _ in range(9):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Tab")
    button(page.get_by_role("toolbar"), "Comment").click()
    expect(page.locator(".kbd-hint")).to_be_visible()  # a mouse and keyboard: shown
    page.emulate_media(media="screen")
    emulate_touch(page)
    page.reload()
    page.wait_for_selector("article[data-anchored]", state="attached")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    page.locator("#reading-text").focus()
    page.keyboard.press("ArrowRight")
    for _ in range(9):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Tab")
    button(page.get_by_role("toolbar"), "Comment").press("Enter")  # keys still work on touch
    expect(page.locator(".editor-help")).to_be_visible()
    expect(page.locator(".kbd-hint")).to_be_hidden()  # touch: no Ctrl+Enter to press


def test_discussion_forms_post_with_ctrl_enter_and_hide_the_hint_on_touch(room: Room) -> None:
    root = room.comment(room.ada, "Why does it end like this?")
    page = room.open(room.bob)
    thread = f"{room.url}/readings/{room.reading.id}/discussion/{root}"
    page.goto(thread)
    page.get_by_text("Reply", exact=True).click()
    form = page.locator("form.comment-form").first
    expect(form.locator(".kbd-hint")).to_have_text("Ctrl+Enter to post reply")
    expect(form.locator(".kbd-hint")).to_be_visible()  # a mouse and keyboard: shown
    form.get_by_label("Your reply").fill("Because the ink ran out.")
    form.get_by_label("Your reply").press("Control+Enter")
    expect(page.locator(".comment-body", has_text="Because the ink ran out.")).to_be_visible()
    emulate_touch(page)
    page.goto(thread)
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    page.get_by_text("Reply", exact=True).first.press("Enter")  # keys still work on touch
    expect(page.locator("form.comment-form").first.get_by_label("Your reply")).to_be_visible()
    expect(page.locator("form.comment-form .kbd-hint").first).to_be_attached()
    expect(page.locator("form.comment-form .kbd-hint").first).to_be_hidden()
    assert room.console_errors == []


LONG_READING = (
    "An opening paragraph.\n\n## The setting\n\nFirst part.\n\n### A detail\n\nMore.\n\n"
    "## The setting\n\nA heading used twice.\n\n## Coda\n\nThe end.\n"
)


def test_a_long_reading_has_contents_linking_to_its_headings(
    live_server: Any, new_page: Callable[[], Any]
) -> None:
    room = ReaderRoom(live_server, new_page, LONG_READING)
    page = room.open(room.bob)
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents).to_be_visible()
    links = contents.get_by_role("link")
    expect(links).to_have_text(["The setting", "A detail", "The setting", "Coda"])
    ids = page.eval_on_selector_all("#reading-text :is(h2, h3)", "hs => hs.map(h => h.id)")
    assert len(set(ids)) == 4 and all(ids)  # the repeated heading gets its own id
    with room.app.app_context():
        html = current_revision(db.session.get(Reading, room.reading.id)).html
    assert page.evaluate("document.getElementById('reading-text').textContent") == canonical_text(
        html
    )  # ids are attributes: the text annotations index into is unchanged
    page.set_viewport_size({"width": 1280, "height": 300})
    links.last.click()
    coda = page.locator("#reading-text h2", has_text="Coda")
    expect(coda).to_be_in_viewport()
    assert page.url.endswith("#" + ids[-1])
    assert room.console_errors == []


def test_a_short_reading_has_no_contents(live_server: Any, new_page: Callable[[], Any]) -> None:
    room = ReaderRoom(live_server, new_page, "## One\n\nText.\n\n## Two\n\nMore text.\n")
    page = room.open(room.bob)
    expect(page.locator("[data-reading-contents]")).to_be_hidden()
    assert page.eval_on_selector_all("#reading-text h2[id]", "hs => hs.length") == 0


PRINTED = """() => {
  const mark = document.querySelector('#reading-text mark.hl');
  const panel = document.getElementById('annotation-panel');
  const style = getComputedStyle(mark);
  return {
    background: style.backgroundColor,
    underline: style.textDecorationLine,
    panel: getComputedStyle(panel).display,
    reply: document.querySelector('.thread-reply') !== null
      && getComputedStyle(document.querySelector('.thread-reply')).display,
  };
}"""


def test_printing_shows_highlights_and_on_request_the_notes(room: Room) -> None:
    root = room.comment(room.bob, "Printed with its thread.")
    room.reply(room.cleo, root, "A reply on paper.")
    page = room.open(room.bob)
    expect(page.locator(f"#annotation-{root}")).to_contain_text("A reply on paper.")
    page.emulate_media(media="print")
    plain = page.evaluate(PRINTED)
    assert plain["background"] in ("rgba(0, 0, 0, 0)", "transparent")
    assert plain["underline"] == "underline"  # the highlight survives on paper
    assert plain["panel"] == "none"  # no panel fragments on every page
    page.emulate_media(media="screen")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print with notes").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    with_notes = page.evaluate(PRINTED)
    assert with_notes["panel"] == "block" and with_notes["reply"] != "none"
