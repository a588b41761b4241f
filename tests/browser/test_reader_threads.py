"""Threads in the reader's side panel, in Chromium: reply and reply to replies, see what
others post appear as "N new", upvote, choose an answer, preview, mention, and see hidden,
locked, deleted and deep threads as the discussion page shows them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User, Vote
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.readings import current_revision
from studygroup.services.threads import create_reply, delete_annotation
from tests.browser.reader_room import ReaderRoom
from tests.conftest import stored

pytestmark = pytest.mark.browser

SOURCE = (
    "The first sentence sets the scene. The second sentence is the one we discuss.\n\n"
    "Readers disagree about the ending, and that is the point of the group.\n"
)
PASSAGE = "The second sentence is the one we discuss."


class Room(ReaderRoom):
    """The reader room, with threads to reply in and vote on."""

    def __init__(self, server: Any, new_page: Callable[[], Any]) -> None:
        super().__init__(server, new_page, SOURCE)

    def annotate(self, user: User, motivation: Motivation, body: str) -> int:
        """A comment or question on PASSAGE, through the service, as the API would store it."""
        with self.app.app_context():
            reading = db.session.get(Reading, self.reading.id)
            start = current_revision(reading).text.index(PASSAGE)
            annotation = create_annotation(
                reading=reading,
                author=db.session.get(User, user.id),
                motivation=motivation,
                target=Target(start=start, end=start + len(PASSAGE), exact=PASSAGE),
                body=body,
            )
            return annotation.id

    def reply(self, user: User, parent_id: int, body: str) -> int:
        with self.app.app_context():
            reply = create_reply(
                parent=db.session.get(Annotation, parent_id),
                author=db.session.get(User, user.id),
                body=body,
            )
            return reply.id

    def get(self, annotation_id: int) -> Annotation:
        annotation = stored(self.app, Annotation, annotation_id)
        assert annotation is not None
        return annotation

    def replies_to(self, parent_id: int) -> list[Annotation]:
        with self.app.app_context():
            rows = db.session.scalars(
                select(Annotation).where(Annotation.parent_id == parent_id).order_by(Annotation.id)
            ).all()
            for row in rows:
                db.session.expunge(row)
            return list(rows)

    def votes_on(self, annotation_id: int) -> int:
        with self.app.app_context():
            count = db.session.scalar(
                select(func.count(Vote.id)).where(Vote.annotation_id == annotation_id)
            )
            return int(count or 0)

    def call(self, page: Any, method: str, path: str, body: Any = None) -> Any:
        status, data = self.call_api(page, method, path, body)
        assert status == 200, data
        return data


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def card(page: Any, annotation_id: int) -> Any:
    return page.locator(f"#annotation-{annotation_id}")


def card_button(page: Any, annotation_id: int, name: str) -> Any:
    """A button of the card itself, not of the replies nested in it."""
    actions = page.locator(f"#annotation-{annotation_id} > .card-actions")
    return actions.get_by_role("button", name=name, exact=True)


def reply_button(page: Any, reply_id: int, name: str) -> Any:
    actions = page.locator(f"#reply-{reply_id} > .reply-actions")
    return actions.get_by_role("button", name=name, exact=True)


def replies_under(page: Any, parent_id: int) -> Any:
    """The replies listed directly under a card or a reply."""
    return page.locator(f"#replies-{parent_id} > .thread-reply")


def write_reply(page: Any, author: str, text: str) -> None:
    editor = page.get_by_label(f"Reply to {author}", exact=True)
    expect(editor).to_be_focused()
    editor.fill(text)
    page.keyboard.press("Control+Enter")


def test_reply_to_a_comment_is_nested_after_reload_and_collapses(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    page = room.open(room.bob)
    card_button(page, comment, "Reply").click()
    write_reply(page, "Ada", "It *does* matter.")
    expect(replies_under(page, comment)).to_have_count(1)
    (reply,) = room.replies_to(comment)
    assert (reply.motivation, reply.root_id, reply.body_source) == (
        Motivation.REPLYING,
        comment,
        "It *does* matter.",
    )
    new_reply = page.locator(f"#reply-{reply.id}")
    expect(new_reply).to_be_focused()

    page.reload()
    expect(replies_under(page, comment)).to_have_count(1)
    expect(new_reply.locator(".reply-body em")).to_have_text("does")
    expect(new_reply.locator(".reply-author")).to_have_text("Bob")
    expect(card(page, comment).locator(".card-replies")).to_have_text("1 reply")
    assert page.locator(".annotation-card").count() == 1  # a reply is no card of its own

    toggle = card(page, comment).locator(".thread-toggle")
    expect(toggle).to_have_accessible_name("Hide 1 reply")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(new_reply).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_text("Show 1 reply")
    page.keyboard.press("Enter")
    expect(new_reply).to_be_visible()
    assert room.console_errors == []


def test_reply_to_a_reply_nests_two_levels_deep(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    first = room.reply(room.cleo, comment, "Which scene?")
    page = room.open(room.bob)
    reply_button(page, first, "Reply").click()
    write_reply(page, "Cleo", "The opening one.")
    expect(replies_under(page, first)).to_have_count(1)
    (second,) = room.replies_to(first)
    assert (second.parent_id, second.root_id) == (first, comment)

    page.reload()
    nested = page.locator(f"#replies-{comment} > #reply-{first} > #replies-{first} > .thread-reply")
    expect(nested).to_have_count(1)
    expect(nested).to_have_attribute("data-depth", "2")
    expect(nested.locator(".reply-body")).to_have_text("The opening one.")


def test_another_member_sees_one_new_and_applies_it(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    ada = room.open(room.ada)
    bob = room.open(room.bob)
    card_button(bob, comment, "Reply").click()
    write_reply(bob, "Ada", "Bob was here.")
    expect(replies_under(bob, comment)).to_have_count(1)

    live = ada.get_by_role("button", name="1 new", exact=True)
    expect(live).to_be_visible(timeout=10_000)
    expect(replies_under(ada, comment)).to_have_count(0)  # nothing moved before the press
    live.click()
    expect(replies_under(ada, comment)).to_have_count(1)
    expect(replies_under(ada, comment).locator(".reply-body")).to_have_text("Bob was here.")
    expect(replies_under(ada, comment)).to_be_focused()
    expect(live).to_be_hidden()


def test_the_panel_total_follows_live_polling_before_new_is_applied(room: Room) -> None:
    room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    ada = room.open(room.ada)
    total = ada.locator("[data-panel-total]")
    expect(total).to_have_text("(1)")
    question = room.annotate(room.bob, Motivation.QUESTIONING, "Why here?")
    room.reply(room.cleo, question, "Because.")  # a reply is in its thread, not the total
    expect(ada.get_by_role("button", name="2 new", exact=True)).to_be_visible(timeout=10_000)
    expect(total).to_have_text("(2)")
    expect(ada.locator(".annotation-card")).to_have_count(1)  # the cards wait for the press
    ada.get_by_role("button", name="2 new", exact=True).click()
    expect(ada.locator(".annotation-card")).to_have_count(2)
    expect(total).to_have_text("(2)")


def test_upvote_toggles_and_persists(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    page = room.open(room.bob)
    vote = card(page, comment).get_by_role("button", name=re.compile(r"^Upvote, \d+$"))
    expect(vote).to_have_accessible_name("Upvote, 0")
    expect(vote).to_have_attribute("aria-pressed", "false")
    vote.click()
    expect(vote).to_have_accessible_name("Upvote, 1")
    expect(vote).to_have_attribute("aria-pressed", "true")
    assert room.votes_on(comment) == 1

    page.reload()
    expect(vote).to_have_accessible_name("Upvote, 1")
    expect(vote).to_have_attribute("aria-pressed", "true")
    vote.click()
    expect(vote).to_have_accessible_name("Upvote, 0")
    expect(vote).to_have_attribute("aria-pressed", "false")
    assert room.votes_on(comment) == 0

    ada = room.open(room.ada)  # her own comment: the count, but no button
    expect(card(ada, comment).get_by_role("button", name=re.compile("^Upvote"))).to_have_count(0)


def test_the_asker_marks_an_answer_then_reopens(room: Room) -> None:
    question = room.annotate(room.bob, Motivation.QUESTIONING, "Why two sentences?")
    guess = room.reply(room.cleo, question, "A guess.")
    answer = room.reply(room.ada, question, "The real answer.")
    page = room.open(room.bob)
    badge = card(page, question).locator(".thread-badge").first
    expect(badge).to_have_text("open")
    expect(replies_under(page, question).first).to_have_id(f"reply-{guess}")

    reply_button(page, answer, "Mark as answer").click()
    expect(badge).to_have_text("answered")
    expect(replies_under(page, question).first).to_have_id(f"reply-{answer}")
    expect(page.locator(f"#reply-{answer} .answer-mark")).to_have_text("✓ Answer")
    assert room.get(question).answer_id == answer
    expect(reply_button(page, answer, "Mark as answer")).to_have_count(0)

    page.reload()
    expect(replies_under(page, question).first).to_have_id(f"reply-{answer}")
    card_button(page, question, "Reopen question").click()
    expect(badge).to_have_text("open")
    expect(replies_under(page, question).first).to_have_id(f"reply-{guess}")
    expect(page.locator(".answer-mark")).to_have_count(0)
    assert room.get(question).answer_id is None

    cleo = room.open(room.cleo)  # neither the asker nor a facilitator
    expect(cleo.get_by_role("button", name="Mark as answer")).to_have_count(0)


def test_preview_shows_the_rendered_markdown_and_escape_cancels(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    page = room.open(room.bob)
    card_button(page, comment, "Reply").click()
    editor = page.get_by_label("Reply to Ada", exact=True)
    editor.press_sequentially("This is **bold** and `code`.")
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("code")).to_have_text("code")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)
    expect(card_button(page, comment, "Reply")).to_be_focused()
    assert room.replies_to(comment) == []


def test_mention_autocomplete_inserts_the_name(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    page = room.open(room.bob)
    card_button(page, comment, "Reply").click()
    editor = page.get_by_label("Reply to Ada", exact=True)
    editor.press_sequentially("Thanks @Cl")
    option = page.get_by_role("option", name="Cleo")
    expect(option).to_be_visible()
    page.keyboard.press("Enter")
    expect(editor).to_have_value("Thanks @Cleo ")
    page.keyboard.press("Control+Enter")
    expect(replies_under(page, comment)).to_have_count(1)
    (reply,) = room.replies_to(comment)
    assert reply.body_source == "Thanks @Cleo "


def test_hidden_and_locked_threads(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    rude = room.reply(room.bob, comment, "Something rude.")
    ada = room.open(room.ada)
    room.call(ada, "PUT", room.iri(rude) + "/hidden", {"reason": "Off topic"})
    room.call(ada, "PUT", room.iri(comment) + "/lock")

    cleo = room.open(room.cleo)
    hidden = cleo.locator(f"#reply-{rude}")
    expect(hidden.locator(".reply-gone")).to_have_text("Hidden by a facilitator.")
    expect(hidden).not_to_contain_text("Something rude.")
    expect(card(cleo, comment).locator(".badge-locked")).to_contain_text("locked")
    expect(card(cleo, comment).locator(".thread-locked")).to_contain_text("no new replies")
    expect(card(cleo, comment).get_by_role("button", name="Reply", exact=True)).to_have_count(0)

    bob = room.open(room.bob)  # the author still reads it, marked
    expect(bob.locator(f"#reply-{rude} .reply-body")).to_have_text("Something rude.")
    expect(bob.locator(f"#reply-{rude} .hidden-note")).to_contain_text(
        "Hidden by a facilitator: “Off topic”"
    )
    room.visit(ada)
    expect(ada.locator(f"#reply-{rude} .hidden-note")).to_be_visible()
    link = card(ada, comment).get_by_role("link", name="Open in discussion")
    expect(link).to_have_attribute(
        "href", f"/readings/{room.reading.id}/discussion#annotation-{comment}"
    )
    assert room.console_errors == []


def test_tombstones_and_deep_threads_continue_on_the_discussion_page(room: Room) -> None:
    comment = room.annotate(room.ada, Motivation.COMMENTING, "The scene matters.")
    chain = [comment]
    for depth in range(1, 6):
        chain.append(room.reply(room.bob if depth % 2 else room.cleo, chain[-1], f"Level {depth}"))
    with room.app.app_context():
        delete_annotation(db.session.get(Annotation, chain[2]))  # it has replies: a tombstone
    page = room.open(room.ada)
    expect(page.locator(f"#reply-{chain[2]} .reply-gone")).to_have_text("This reply was deleted.")
    expect(page.locator(f"#reply-{chain[4]}")).to_have_attribute("data-depth", "4")
    expect(page.locator(f"#reply-{chain[5]}")).to_have_count(0)
    more = page.get_by_role("link", name="Continue this thread (1 more reply) →")
    expect(more).to_have_attribute("href", f"/readings/{room.reading.id}/discussion/{chain[4]}")
    expect(card(page, comment).locator(".card-replies")).to_have_text("5 replies")
