"""Editing a reading's text: a new revision, every annotation re-anchored atomically, and diffs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from studygroup import anchoring
from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, ReadingRevision, Role, User
from studygroup.services import readings
from tests.conftest import Factory, signed_in_client, stored

PARAGRAPHS = [
    "Reading groups meet once a week to talk about a single article.",
    "Members highlight passages, ask questions and argue in the margins.",
    "A paragraph that the facilitator will later cut entirely from the text.",
    "Good arguments \u2014 \u201cslow\u201d ones \u2014 need time, and a group gives it.",
]
SOURCE = "\n\n".join(PARAGRAPHS)
# The edit: a new opening paragraph, a changed word, and the third paragraph removed.
EDITED = "\n\n".join(
    [
        "A new first paragraph pushes everything further down the page.",
        PARAGRAPHS[0].replace("single", "single, carefully chosen"),
        PARAGRAPHS[1],
        PARAGRAPHS[3],
    ]
)
QUOTES = {
    "once": "meet once a week",
    "margins": "argue in the margins",
    "cut": "the facilitator will later cut entirely",
    "slow": "\u201cslow\u201d ones",
}


@dataclass
class Edit:
    """A reading by a facilitator, annotated by a member, with annotation ids by quote key."""

    app: Flask
    reading_id: int
    facilitator: User
    member: User
    ids: dict[str, int]

    clients: dict[int, FlaskClient] = field(default_factory=dict)

    def client(self, user: User) -> FlaskClient:
        """One logged-in client per user, so flashed messages arrive on the next page."""
        if user.id not in self.clients:
            self.clients[user.id] = signed_in_client(self.app, user)
        return self.clients[user.id]

    def post(self, user: User | None = None, **overrides: Any) -> Any:
        data = {"title": "On reading", "body": EDITED, "source_format": "markdown"}
        return self.client(user or self.facilitator).post(
            f"/readings/{self.reading_id}/edit", data={**data, **overrides}
        )

    def annotation(self, key: str) -> Annotation:
        annotation = stored(self.app, Annotation, self.ids[key])
        assert annotation is not None
        return annotation

    def revision(self, number: int) -> ReadingRevision:
        with self.app.app_context():
            reading = db.session.get(Reading, self.reading_id)
            revision = readings.revision_of(reading, number)
            db.session.expunge(revision)
            return revision

    def current(self) -> tuple[int, int, str]:
        """Reading's current revision number, how many revisions exist, and its title."""
        with self.app.app_context():
            reading = db.session.get(Reading, self.reading_id)
            return reading.current_revision, len(reading.revisions), reading.title


def annotate(reading_id: int, author_id: int, text: str, quote: str, **fields: Any) -> Annotation:
    start = text.index(quote)
    selector = anchoring.describe(text, start, start + len(quote))
    return Annotation(
        reading_id=reading_id,
        author_id=author_id,
        motivation=Motivation.COMMENTING,
        body_source="A note.",
        body_html="<p>A note.</p>",
        revision=1,
        start=selector.start,
        end=selector.end,
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        **fields,
    )


@pytest.fixture
def edit(app: Flask, factory: Factory) -> Edit:
    facilitator, member = factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    reading = factory.reading(group, facilitator, SOURCE, title="On reading")
    with app.app_context():
        text = readings.current_revision(db.session.get(Reading, reading.id)).text
        rows = {key: annotate(reading.id, member.id, text, q) for key, q in QUOTES.items()}
        db.session.add_all(rows.values())
        db.session.flush()
        reply = Annotation(
            reading_id=reading.id,
            author_id=facilitator.id,
            motivation=Motivation.REPLYING,
            parent_id=rows["once"].id,
            root_id=rows["once"].id,
            body_source="Agreed.",
            body_html="<p>Agreed.</p>",
        )
        db.session.add(reply)
        db.session.commit()
        ids = {key: row.id for key, row in rows.items()} | {"reply": reply.id}
    return Edit(app, reading.id, facilitator, member, ids)


def test_an_edit_moves_annotations_to_the_new_revision(edit):
    response = edit.post()
    assert response.status_code == 302, response.text
    assert edit.current() == (2, 2, "On reading")
    new_text = edit.revision(2).text
    for key in ("once", "margins", "slow"):
        annotation = edit.annotation(key)
        assert (annotation.revision, annotation.orphaned) == (2, False), key
        assert new_text[annotation.start : annotation.end] == QUOTES[key]
        assert annotation.exact == QUOTES[key]
        assert new_text[: annotation.start].endswith(annotation.prefix)
        assert new_text[annotation.end :].startswith(annotation.suffix)
    assert edit.revision(1).text != new_text  # the old revision is kept as it was
    flash = edit.client(edit.facilitator).get(response.headers["Location"]).text
    assert "Saved as revision 2. 3 annotations moved, 1 orphaned." in flash


def test_a_deleted_passage_orphans_its_annotation_and_keeps_it(edit):
    before = edit.annotation("cut")
    edit.post()
    after = edit.annotation("cut")
    assert after.orphaned is True
    assert (after.revision, after.start, after.end) == (1, before.start, before.end)
    assert (after.exact, after.prefix, after.suffix) == (before.exact, before.prefix, before.suffix)
    assert edit.revision(1).text[after.start : after.end] == after.exact


def test_replies_are_left_alone(edit):
    edit.post()
    reply = edit.annotation("reply")
    assert (reply.revision, reply.start, reply.exact, reply.orphaned) == (None, None, None, False)


def test_orphans_are_retried_and_found_when_their_text_returns(edit):
    edit.post()  # orphans "cut"
    assert edit.annotation("cut").orphaned
    response = edit.post(body=SOURCE)  # the facilitator puts the paragraph back
    assert response.status_code == 302
    annotation = edit.annotation("cut")
    assert (annotation.orphaned, annotation.revision) == (False, 3)
    assert edit.revision(3).text[annotation.start : annotation.end] == QUOTES["cut"]
    flash = edit.client(edit.facilitator).get(response.headers["Location"]).text
    assert "4 annotations moved, 0 orphaned." in flash


def test_an_orphan_that_stays_lost_is_reported(edit):
    edit.post()
    response = edit.post(body=EDITED + "\n\nOne more paragraph.")
    assert response.status_code == 302
    assert edit.annotation("cut").orphaned and edit.annotation("cut").revision == 1
    flash = edit.client(edit.facilitator).get(response.headers["Location"]).text
    assert "3 annotations moved, 0 orphaned. 1 annotation stays orphaned." in flash


def boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("re-anchoring exploded")


@pytest.mark.parametrize("through", ["form", "api"])
def test_if_reanchoring_fails_nothing_changes(edit, monkeypatch, caplog, through):
    before = {key: edit.annotation(key) for key in QUOTES}
    monkeypatch.setattr(anchoring, "reanchor_all", boom)
    if through == "form":
        response = edit.post(title="A new title too")
        assert response.status_code == 400
        assert "nothing was changed" in response.text
        assert EDITED.splitlines()[0] in response.text  # the facilitator's edit is not lost
    else:
        client = edit.client(edit.facilitator)
        response = client.patch(f"/api/readings/{edit.reading_id}", json={"body": EDITED})
        assert response.status_code == 409
        assert "nothing was changed" in response.get_json()["error"]["message"]
    assert edit.current() == (1, 1, "On reading")
    for key, annotation in before.items():
        after = edit.annotation(key)
        assert (after.revision, after.start, after.end, after.orphaned) == (
            annotation.revision,
            annotation.start,
            annotation.end,
            annotation.orphaned,
        )
    assert "re-anchoring reading" in caplog.text


def test_changing_only_the_details_keeps_the_revision(edit):
    response = edit.post(body=SOURCE, title="Renamed")
    assert response.status_code == 302
    assert edit.current() == (1, 1, "Renamed")
    assert edit.annotation("once").revision == 1
    page = edit.client(edit.facilitator).get(response.headers["Location"]).text
    assert "The reading&#39;s details have been saved." in page


def test_an_edit_based_on_an_old_revision_is_refused(edit):
    edit.post()
    response = edit.post(body="Something else entirely.", base_revision="1")
    assert response.status_code == 400
    assert "Someone else edited this reading meanwhile" in response.text
    assert edit.current()[0] == 2


def test_the_edit_form_shows_the_current_source(edit):
    page = edit.client(edit.facilitator).get(f"/readings/{edit.reading_id}/edit").text
    assert PARAGRAPHS[0] in page
    assert 'name="base_revision" type="hidden" value="1"' in page


def test_facilitators_see_history_and_an_escaped_diff(edit):
    edit.post(body=EDITED + "\n\nA <b>tag</b> & more")
    client = edit.client(edit.facilitator)
    reader = client.get(f"/readings/{edit.reading_id}").text
    assert f"/readings/{edit.reading_id}/revisions/2/diff" in reader and "Edited" in reader
    history = client.get(f"/readings/{edit.reading_id}/revisions")
    assert history.status_code == 200 and "Changes from revision 1" in history.text
    diff = client.get(f"/readings/{edit.reading_id}/revisions/2/diff")
    assert diff.status_code == 200
    assert "<ins>A new first paragraph pushes everything further down the page." in diff.text
    assert "single<ins>, carefully chosen</ins> article." in diff.text
    assert "<del>A paragraph that the facilitator will later cut entirely" in diff.text
    assert "<ins>A &lt;b&gt;tag&lt;/b&gt; &amp; more</ins>" in diff.text  # canonical, escaped
    assert "style=" not in diff.text and "<script>" not in diff.text


@pytest.mark.parametrize("number", [0, 1, 3], ids=["zero", "first-has-no-diff", "future"])
def test_diffs_of_revisions_that_do_not_exist_are_404(edit, number):
    edit.post()
    response = edit.client(edit.facilitator).get(
        f"/readings/{edit.reading_id}/revisions/{number}/diff"
    )
    assert response.status_code == 404


def test_members_do_not_see_edit_history(edit):
    edit.post()
    client = edit.client(edit.member)
    assert "/diff" not in client.get(f"/readings/{edit.reading_id}").text
    assert client.get(f"/readings/{edit.reading_id}/revisions/2/diff").status_code == 403
    assert edit.post(user=edit.member).status_code == 403


def test_the_diff_marks_changed_words_not_whole_paragraphs(edit):
    long = " ".join(f"word{n}" for n in range(300))  # a 2,000-character paragraph
    edit.post(body=f"{long}\n\nTail.")
    edit.post(body=f"{long.replace('word150', 'changed')}\n\nTail.")
    diff = edit.client(edit.facilitator).get(f"/readings/{edit.reading_id}/revisions/3/diff")
    assert diff.status_code == 200
    shown = diff.text[diff.text.index('<div class="diff">') :]
    assert "word149 <del>word150</del><ins>changed</ins> word151" in shown
    assert shown.count("<ins>") == 1 and shown.count("<del>") == 1


def test_an_edit_tells_authors_whose_passage_it_removed(edit):
    from studygroup.models import Notification, NotificationKind

    edit.post(body=EDITED)
    with edit.app.app_context():
        rows = db.session.query(Notification).all()
        assert [(n.recipient_id, n.kind, n.annotation_id) for n in rows] == [
            (edit.member.id, NotificationKind.ORPHANED, edit.ids["cut"])
        ]
    page = edit.client(edit.member).get("/notifications").text
    assert "your annotation lost its passage" in page
    assert f"?notification={rows[0].id}#annotation-{edit.ids['cut']}" in page
    assert "the facilitator will later cut entirely" in page  # its old quote
