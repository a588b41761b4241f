"""The XSS corpus through the comment path: what a reply stores (sanitized, mentions linked)
holds no executable content. The browser half is tests/browser/test_discussion.py."""

from __future__ import annotations

from studygroup.extensions import db
from studygroup.models import Annotation, Motivation, Reading, User
from studygroup.rendering import COMMENT_TAGS
from studygroup.services.annotations import Target, create_annotation
from studygroup.services.threads import create_reply
from tests.unit.test_rendering import COMMENT_ATTRS, VECTORS, assert_safe

# Mention links are the one addition to a comment's sanitized HTML.
STORED_ATTRS = {**COMMENT_ATTRS, "a": COMMENT_ATTRS["a"] | {"class"}}


def test_every_vector_is_stored_harmless_in_replies(app, factory):
    ada, bob = factory.user("Ada"), factory.user("Bob")
    group = factory.group(ada)
    factory.member(group, bob)
    reading = factory.reading(group, ada, "A text to discuss.")
    with app.app_context():
        author = db.session.get(User, bob.id)
        root = create_annotation(
            reading=db.session.get(Reading, reading.id),
            author=db.session.get(User, ada.id),
            motivation=Motivation.COMMENTING,
            target=Target(start=0, end=6, exact="A text"),
            body="Start @Bob",
        )
        for name, vector in VECTORS:
            reply = create_reply(parent=root, author=author, body=f"@Ada {vector}")
            stored = db.session.get(Annotation, reply.id)
            assert 'class="mention"' in stored.body_html, name
            assert_safe(stored.body_html, COMMENT_TAGS, STORED_ATTRS)
