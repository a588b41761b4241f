"""Annotating a reading in Chromium: select with the mouse or keyboard, then highlight,
comment, ask or note; see it painted after a reload, by the right people, after edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User, Visibility
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.readings import current_revision
from tests.browser.reader_room import ReaderRoom
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SENTENCE = "The second sentence is the one we highlight."
EMOJI_PASSAGE = "\u201cHello \U0001f600 world,\u201d she wrote"
SOURCE = (
    "A party \U0001f389 opens the text. " + SENTENCE + " Then a third one follows.\n\n"
    "Readers disagree about the ending, and that is the point of the group.\n\n"
    f"Later {EMOJI_PASSAGE}, and nobody answered.\n"
)

# Boxes of the first and last character of a passage, after scrolling it into view.
PASSAGE_BOX = """(passage) => {
  const article = document.getElementById('reading-text');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, text.length]);
    text += n.data;
  }
  const at = text.indexOf(passage);
  if (at < 0) throw new Error('passage not in the article: ' + passage);
  const point = (unit) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= unit) return [nodes[i][0], unit - nodes[i][1]];
    }
  };
  const box = (from, to) => {
    const range = document.createRange();
    range.setStart(...point(from));
    range.setEnd(...point(to));
    const rect = range.getClientRects()[0];
    return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
  };
  point(at)[0].parentElement.scrollIntoView({block: 'center'});
  const lastLength = [...passage].pop().length;
  return [box(at, at + 1), box(at + passage.length - lastLength, at + passage.length)];
}"""

PAINTED = """(key) => Array.from(document.querySelectorAll('#reading-text mark.hl'))
  .filter((mark) => mark.dataset.ids.split(' ').includes(String(key)))
  .map((mark) => mark.textContent).join('')"""


class Room(ReaderRoom):
    """The reader room, with helpers to read back what was stored."""

    def __init__(self, server: Any, new_page: Callable[[], Any]) -> None:
        super().__init__(server, new_page, SOURCE)

    def text(self) -> str:
        with self.app.app_context():
            reading = db.session.get(Reading, self.reading.id)
            return current_revision(reading).text

    def annotations(self) -> list[Annotation]:
        with self.app.app_context():
            rows = db.session.scalars(select(Annotation).order_by(Annotation.id)).all()
            for row in rows:
                db.session.expunge(row)
            return list(rows)

    def annotate(self, user: User, passage: str, motivation: Motivation, **fields: Any) -> int:
        """Store an annotation through the service, as the API would."""
        text = self.text()
        start = text.index(passage)
        with self.app.app_context():
            annotation = create_annotation(
                reading=db.session.get(Reading, self.reading.id),
                author=db.session.get(User, user.id),
                motivation=motivation,
                target=Target(start=start, end=start + len(passage), exact=passage),
                **fields,
            )
            return annotation.id

    def patch_reading(self, page: Any, body: str) -> dict[str, Any]:
        status, data = self.call_api(
            page, "PATCH", f"/api/readings/{self.reading.id}", {"body": body}
        )
        assert status == 200, data
        return dict(data)


@pytest.fixture
def room(live_server: Any, new_page: Callable[[], Any]) -> Room:
    return Room(live_server, new_page)


def select_with_mouse(page: Any, passage: str) -> None:
    """Press before the first character and drag to after the last, as a person does."""
    first, last = page.evaluate(PASSAGE_BOX, passage)
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=12)
    page.mouse.up()


def wait_for_counts(page: Any, anchored: int, orphaned: int = 0) -> None:
    page.wait_for_selector(
        f'article[data-anchored="{anchored}"][data-orphaned="{orphaned}"]', state="attached"
    )


def painted(page: Any, annotation_id: int) -> str:
    return page.evaluate(PAINTED, annotation_id)


def button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=name, exact=True)


def test_mouse_selection_highlights_exactly_that_sentence(room: Room) -> None:
    page = room.open(room.ada)
    wait_for_counts(page, 0)
    select_with_mouse(page, SENTENCE)
    toolbar = page.get_by_role("toolbar")
    expect(toolbar).to_be_visible()
    button(toolbar, "Highlight").click()
    wait_for_counts(page, 1)
    expect(toolbar).to_be_hidden()

    (annotation,) = room.annotations()
    assert annotation.motivation is Motivation.HIGHLIGHTING
    assert annotation.visibility is Visibility.GROUP
    assert annotation.color == "yellow"
    assert annotation.exact == SENTENCE
    assert annotation.start == room.text().index(SENTENCE)
    page.reload()
    wait_for_counts(page, 1)
    assert painted(page, annotation.id) == SENTENCE
    card = page.locator(f"#annotation-{annotation.id}")
    assert card.locator(".card-quote").inner_text() == SENTENCE
    assert card.locator(".card-author").inner_text() == "Ada"


def test_colour_buttons_and_clicking_a_highlight_opens_its_card(room: Room) -> None:
    page = room.open(room.ada)
    select_with_mouse(page, "Readers disagree about the ending")
    button(page, "Green highlight").click()
    wait_for_counts(page, 1)
    (annotation,) = room.annotations()
    assert annotation.color == "green"
    page.locator("mark.hl").first.click()
    card = page.locator(f"#annotation-{annotation.id}")
    assert card.evaluate("(card) => card === document.activeElement")
    card.hover()
    assert page.locator("mark.hl.hl-emphasis.hl-green").count() >= 1


def test_comment_and_question_by_keyboard(room: Room) -> None:
    page = room.open(room.ada)
    phrase, question_phrase = "third one follows", "the point of the group"
    for passage, key_presses, kind, words in [
        (phrase, 1, "Comment", "A comment, typed without a mouse."),
        (question_phrase, 2, "Question", "Which point, though?"),
    ]:
        first, _last = page.evaluate(PASSAGE_BOX, passage)
        page.mouse.click(first["left"] + 1, (first["top"] + first["bottom"]) / 2)  # the caret
        for _ in passage:
            page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Highlight"
        for _ in range(key_presses):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.textContent") == kind
        page.keyboard.press("Enter")
        editor = page.get_by_label(kind, exact=True)
        assert editor.evaluate("(element) => element === document.activeElement")
        page.keyboard.type(words)
        page.keyboard.press("Control+Enter")
        page.get_by_text(words).wait_for()
    wait_for_counts(page, 2)
    comment, question = room.annotations()
    assert (comment.motivation, comment.exact, comment.body_source) == (
        Motivation.COMMENTING,
        phrase,
        "A comment, typed without a mouse.",
    )
    assert (question.motivation, question.exact) == (Motivation.QUESTIONING, question_phrase)
    assert painted(page, question.id) == question_phrase


def test_escape_cancels_the_editor(room: Room) -> None:
    page = room.open(room.ada)
    select_with_mouse(page, SENTENCE)
    button(page, "Comment").click()
    page.get_by_label("Comment", exact=True).fill("Never mind")
    page.keyboard.press("Escape")
    assert page.get_by_label("Comment", exact=True).count() == 0
    assert room.annotations() == []


def test_a_member_sees_group_highlights_but_not_private_notes(room: Room) -> None:
    ada = room.open(room.ada)
    select_with_mouse(ada, SENTENCE)
    button(ada, "Highlight").click()
    wait_for_counts(ada, 1)
    select_with_mouse(ada, "Readers disagree")
    button(ada, "Note to self").click()
    ada.get_by_label("Note to self", exact=True).fill("Remember to ask about this.")
    ada.keyboard.press("Control+Enter")
    wait_for_counts(ada, 2)
    highlight, note = room.annotations()
    assert (note.motivation, note.visibility) == (Motivation.COMMENTING, Visibility.PRIVATE)

    bob = room.open(room.bob)
    wait_for_counts(bob, 1)
    assert painted(bob, highlight.id) == SENTENCE
    assert painted(bob, note.id) == ""
    assert bob.locator(".annotation-card").count() == 1
    assert "Remember to ask" not in bob.content()


def test_overlapping_highlights_both_paint_their_exact_text(room: Room) -> None:
    page = room.open(room.ada)
    first_passage = "second sentence is the one"
    second_passage = "the one we highlight. Then a third"
    select_with_mouse(page, first_passage)
    button(page, "Highlight").click()
    wait_for_counts(page, 1)
    select_with_mouse(page, second_passage)
    button(page, "Blue highlight").click()
    wait_for_counts(page, 2)
    page.reload()
    wait_for_counts(page, 2)
    first, second = room.annotations()
    assert painted(page, first.id) == first_passage
    assert painted(page, second.id) == second_passage
    overlap = page.locator("mark.hl.hl-d2")
    assert overlap.count() == 1 and overlap.inner_text() == "the one"
    badges = page.locator(".card-badge").all_inner_texts()
    assert [badge.split()[0] for badge in badges] == ["2", "2"]


def test_emoji_and_curly_quotes_keep_code_point_offsets(room: Room) -> None:
    page = room.open(room.ada)
    select_with_mouse(page, EMOJI_PASSAGE)
    button(page, "Highlight").click()
    wait_for_counts(page, 1)
    (annotation,) = room.annotations()
    text = room.text()
    start = text.index(EMOJI_PASSAGE)  # Python indexes code points, as the API does
    assert (annotation.start, annotation.end) == (start, start + len(EMOJI_PASSAGE))
    assert annotation.exact == EMOJI_PASSAGE
    assert annotation.prefix == text[max(0, start - 32) : start]
    assert annotation.suffix == text[start + len(EMOJI_PASSAGE) :][:32]
    page.reload()
    wait_for_counts(page, 1)
    assert painted(page, annotation.id) == EMOJI_PASSAGE


def test_highlight_follows_its_words_when_the_reading_is_edited(room: Room) -> None:
    page = room.open(room.ada)
    select_with_mouse(page, SENTENCE)
    button(page, "Highlight").click()
    wait_for_counts(page, 1)
    room.patch_reading(page, "A new first paragraph, with 🚀 in it.\n\n" + SOURCE)
    page.reload()
    wait_for_counts(page, 1)
    (annotation,) = room.annotations()
    assert annotation.revision == 2
    assert painted(page, annotation.id) == SENTENCE
    assert annotation.start == room.text().index(SENTENCE)


def test_deleted_passage_becomes_an_orphan_that_can_be_reattached(room: Room) -> None:
    page = room.open(room.ada)
    select_with_mouse(page, SENTENCE)
    button(page, "Comment").click()
    page.get_by_label("Comment", exact=True).fill("Keep this thought.")
    page.keyboard.press("Control+Enter")
    wait_for_counts(page, 1)
    room.patch_reading(page, SOURCE.replace(SENTENCE + " ", ""))
    page.reload()
    wait_for_counts(page, 0, 1)
    orphans = page.get_by_role("region", name="Orphaned annotations")
    assert orphans.is_visible()
    assert orphans.locator(".card-quote").inner_text() == SENTENCE
    assert "Keep this thought." in orphans.inner_text()

    orphans.get_by_role("button", name="Re-attach").click()
    select_with_mouse(page, "Then a third one follows.")
    button(page, "Re-attach here").click()
    wait_for_counts(page, 1, 0)
    (annotation,) = room.annotations()
    assert (annotation.orphaned, annotation.exact) == (False, "Then a third one follows.")
    assert painted(page, annotation.id) == "Then a third one follows."


def test_filters_all_mine_questions_private(room: Room) -> None:
    room.annotate(room.ada, SENTENCE, Motivation.HIGHLIGHTING, color="pink")
    room.annotate(room.bob, "Readers disagree", Motivation.QUESTIONING, body="Do they?")
    room.annotate(
        room.ada,
        "the point",
        Motivation.COMMENTING,
        body="Mine only",
        visibility=Visibility.PRIVATE,
    )
    room.annotate(
        room.bob,
        "nobody answered",
        Motivation.COMMENTING,
        body="Bob's secret",
        visibility=Visibility.PRIVATE,
    )
    page = room.open(room.ada)
    wait_for_counts(page, 3)
    cards = page.locator("ol[data-annotation-list] .annotation-card")
    shown = {
        "All": ["Highlight", "Question", "Note to self"],
        "Mine": ["Highlight", "Note to self"],
        "Questions": ["Question"],
        "Private": ["Note to self"],
    }
    for name, kinds in shown.items():
        button(page, name).click()
        assert button(page, name).get_attribute("aria-pressed") == "true"
        assert cards.locator(".card-kind").all_inner_texts() == kinds
    assert "Bob's secret" not in page.content()


def test_many_annotations_render_cards_in_batches(room: Room) -> None:
    text = room.text()
    words = [index for index, char in enumerate(text) if char == " "]
    with room.app.app_context():
        reading = db.session.get(Reading, room.reading.id)
        rows = [
            Annotation(
                reading_id=reading.id,
                author_id=room.ada.id,
                # Comments: identical plain highlights would fold into one card per passage.
                motivation=Motivation.COMMENTING,
                body_source="A note.",
                body_html="<p>A note.</p>",
                visibility=Visibility.GROUP,
                revision=1,
                start=start,
                end=start + 5,
                exact=text[start : start + 5],
                prefix="",
                suffix="",
            )
            for start in words[:8] * 40  # 320 highlights, 40 on each of 8 passages
        ]
        db.session.add_all(rows)
        db.session.commit()
    page = room.open(room.ada)
    wait_for_counts(page, 320)
    assert page.locator(".annotation-card").count() == 200
    assert page.locator("mark.hl.hl-d4").count() >= 8
    # Scrolling "Show more" into view renders the next batch (a click would race that).
    button(page, "Show more (120 more)").scroll_into_view_if_needed()
    expect(page.locator(".annotation-card")).to_have_count(320)
    expect(page.locator(".panel-more")).to_be_hidden()  # nothing more to show
    assert page.locator(".card-badge").first.inner_text().split()[0] == "40"


def test_no_content_security_policy_violations(room: Room) -> None:
    page = room.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    room.annotate(room.ada, SENTENCE, Motivation.COMMENTING, body="**bold** <script>x</script>")
    page.goto(room.url + "/login")
    page.get_by_label("Email").fill(room.ada.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    room.visit(page)
    wait_for_counts(page, 1)
    assert page.locator(".card-body strong").inner_text() == "bold"
    assert not [m for m in messages if "Content Security Policy" in m], json.dumps(messages)


def test_phone_width_panel_is_a_bottom_sheet(room: Room) -> None:
    room.annotate(room.ada, SENTENCE, Motivation.QUESTIONING, body="Why?")
    page = room.open(room.ada)
    page.set_viewport_size({"width": 390, "height": 800})
    wait_for_counts(page, 1)
    assert page.locator(".annotation-card").first.is_hidden()
    page.locator("mark.hl").first.click()
    assert page.locator(".annotation-card").first.is_visible()
    box = page.locator("#annotation-panel").bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=1)


def test_replies_are_counted_on_their_card_not_painted(room: Room) -> None:
    from studygroup.services.threads import create_reply

    question = room.annotate(room.ada, SENTENCE, Motivation.QUESTIONING, body="Why?")
    with room.app.app_context():
        create_reply(
            parent=db.session.get(Annotation, question),
            author=db.session.get(User, room.bob.id),
            body="Because.",
        )
    page = room.open(room.ada)
    wait_for_counts(page, 1, 0)
    expect(page.locator(f"#annotation-{question} .card-replies")).to_have_text("1 reply")
    assert page.locator(".annotation-card").count() == 1


def test_keyboard_only_tab_into_the_text_select_and_highlight(room: Room) -> None:
    page = room.open(room.ada)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "reading-text":
            break
    else:
        pytest.fail("Tab never reached the reading text")
    for _ in "A party":
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Escape")
    expect(page.get_by_role("toolbar")).to_be_hidden()
    for _ in "A party":
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for_counts(page, 1)
    (annotation,) = room.annotations()
    assert (annotation.exact, annotation.start) == ("A party", 0)


def test_edit_make_private_and_delete_from_the_card(room: Room) -> None:
    comment = room.annotate(room.ada, SENTENCE, Motivation.COMMENTING, body="First thought")
    page = room.open(room.ada)
    wait_for_counts(page, 1)
    card = page.locator(f"#annotation-{comment}")
    button(card, "Edit").click()
    editor = card.get_by_label("Edit", exact=True)
    expect(editor).to_have_value("First thought")
    editor.fill("Second *thought*")
    page.keyboard.press("Control+Enter")
    expect(card.locator(".card-body em")).to_have_text("thought")
    button(card, "Make private").click()
    expect(button(card, "Share with group")).to_be_visible()
    (annotation,) = room.annotations()
    assert (annotation.body_source, annotation.visibility) == (
        "Second *thought*",
        Visibility.PRIVATE,
    )
    button(card, "Delete").click()
    button(card, "Really delete?").click()
    wait_for_counts(page, 0)
    assert room.annotations() == []
