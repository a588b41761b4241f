"""Annotations as W3C Web Annotation JSON-LD, shaped for the viewer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for

from ..models import Annotation, Motivation, Reading
from ..permissions import Actor, Permission, allowed
from ..services.threads import Facts

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'


@dataclass(frozen=True)
class Links:
    """Absolute URLs, built once per response rather than once per annotation."""

    annotation_prefix: str
    reader: str
    collection: str

    @classmethod
    def for_reading(cls, reading_id: int) -> Links:
        # url_for's output for id 0, minus the 0: the route stays the one source of truth.
        prefix = url_for("api_annotations.show", annotation_id=0, _external=True)[:-1]
        return cls(
            annotation_prefix=prefix,
            reader=url_for("readings.show", reading_id=reading_id, _external=True),
            collection=url_for("api_annotations.index", reading_id=reading_id, _external=True),
        )


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC, as W3C examples write it; isoformat is several times faster."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _body_json(annotation: Annotation) -> list[dict[str, str]]:
    body = []
    if annotation.body_source:
        body.append(
            {
                "type": "TextualBody",
                "value": annotation.body_source,
                "format": "text/markdown",
                "purpose": annotation.motivation.value,
            }
        )
    if annotation.color:
        body.append({"type": "TextualBody", "value": annotation.color, "purpose": "tagging"})
    return body


def _target_json(annotation: Annotation, links: Links) -> dict[str, Any] | str:
    """A passage's selectors; for a reply, its parent annotation's IRI."""
    if annotation.parent_id is not None:
        return f"{links.annotation_prefix}{annotation.parent_id}"
    return {
        "source": links.reader,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }


def shows_body(annotation: Annotation, actor: Actor) -> bool:
    """Members see a placeholder for a hidden annotation; its author and facilitators do not."""
    return not annotation.is_hidden or allowed(actor, Permission.READ_HIDDEN, annotation)


@dataclass(frozen=True)
class Abilities:
    """What the viewer may do with one annotation now: the JSON's can* and the page's buttons."""

    edit: bool
    delete: bool
    reply: bool
    vote: bool
    flag: bool
    moderate: bool
    mark_answer: bool  # on a question: choose a reply as its answer, or reopen it
    read_body: bool


def abilities(annotation: Annotation, *, actor: Actor, facts: Facts) -> Abilities:
    """Permissions (the table) narrowed by the annotation's state: deleted, hidden, locked."""
    deleted = annotation.is_deleted
    live = not deleted and not annotation.is_hidden
    mine = actor.user_id is not None and annotation.author_id == actor.user_id
    question = annotation.motivation is Motivation.QUESTIONING and not annotation.is_reply
    return Abilities(
        edit=not deleted and allowed(actor, Permission.EDIT_ANNOTATION, annotation),
        delete=not deleted and allowed(actor, Permission.DELETE_ANNOTATION, annotation),
        reply=live
        and annotation.thread_id not in facts.locked
        and allowed(actor, Permission.REPLY, annotation),
        vote=live
        and not mine
        and annotation.motivation is not Motivation.HIGHLIGHTING
        and allowed(actor, Permission.VOTE, annotation),
        flag=not deleted and not mine and allowed(actor, Permission.FLAG, annotation),
        moderate=allowed(actor, Permission.MODERATE, annotation),
        mark_answer=question and not deleted and allowed(actor, Permission.MARK_ANSWER, annotation),
        read_body=shows_body(annotation, actor),
    )


def _thread_json(annotation: Annotation, actor: Actor, facts: Facts) -> dict[str, Any]:
    """The discussion state: thread links, votes, answer, moderation, and what the viewer may do."""
    can = abilities(annotation, actor=actor, facts=facts)
    data: dict[str, Any] = {
        "parentId": annotation.parent_id,
        "rootId": annotation.root_id,
        "replyCount": None if annotation.is_reply else facts.replies.get(annotation.id, 0),
        "votes": facts.tally.count(annotation.id),
        "voted": facts.tally.voted(annotation.id),
        "hidden": annotation.is_hidden,
        "locked": annotation.thread_id in facts.locked,
        "edited": annotation.edited_at is not None,
        "editedAt": timestamp(annotation.edited_at) if annotation.edited_at else None,
        "deleted": annotation.is_deleted,
        "canEdit": can.edit,
        "canDelete": can.delete,
        "canReply": can.reply,
        "canVote": can.vote,
        "canFlag": can.flag,
        "canModerate": can.moderate,
    }
    if annotation.is_hidden and can.read_body:
        data["hiddenReason"] = annotation.hidden_reason
    if annotation.motivation is Motivation.QUESTIONING and not annotation.is_reply:
        data["answered"] = annotation.answer_id is not None
        data["answerId"] = annotation.answer_id
        data["canMarkAnswer"] = can.mark_answer
    return data


def annotation_json(
    annotation: Annotation, *, actor: Actor, links: Links, facts: Facts
) -> dict[str, Any]:
    """One annotation; authors must already be loaded (lists call this 10,000 times)."""
    author = None if annotation.is_deleted else annotation.author
    visible = shows_body(annotation, actor)
    deleted = annotation.is_deleted
    return {
        "@context": CONTEXT,
        "id": f"{links.annotation_prefix}{annotation.id}",
        "type": "Annotation",
        "motivation": annotation.motivation.value,
        "creator": {"type": "Person", "name": _creator_name(annotation, author)},
        "created": timestamp(annotation.created_at),
        "modified": timestamp(annotation.modified_at),
        "body": _body_json(annotation) if visible else [],
        "target": _target_json(annotation, links),
        "studygroup": {
            "visibility": annotation.visibility.value,
            "orphaned": annotation.orphaned,
            "revision": annotation.revision,
            "color": annotation.color,
            "html": annotation.body_html if visible else "",
            "creatorId": None if deleted else annotation.author_id,
            "mine": not deleted
            and actor.user_id is not None
            and annotation.author_id == actor.user_id,
            **_thread_json(annotation, actor, facts),
        },
    }


def _creator_name(annotation: Annotation, author: Any) -> str:
    if annotation.is_deleted:
        return "Deleted"
    return author.display_name if author else "Former member"


def collection_json(
    reading: Reading, annotations: list[Annotation], *, actor: Actor, links: Links, facts: Facts
) -> dict[str, Any]:
    """The reading's annotations as one AnnotationCollection with a single embedded page."""
    return {
        "@context": [CONTEXT, "http://www.w3.org/ns/ldp.jsonld"],
        "id": links.collection,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": reading.title,
        "total": len(annotations),
        # Which text the selectors are on: an open reader notices an edit by it.
        "studygroup": {"revision": reading.current_revision},
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [
                annotation_json(a, actor=actor, links=links, facts=facts) for a in annotations
            ],
        },
    }


def state_key(annotation: Annotation, facts: Facts) -> str:
    """What a page shows of an annotation's state, as discussion.js computes it from JSON:
    when the two differ, the page is out of date."""
    return json.dumps(
        [
            annotation.is_deleted,
            annotation.is_hidden,
            timestamp(annotation.edited_at) if annotation.edited_at else None,
            annotation.answer_id,
            annotation.thread_id in facts.locked,
        ],
        separators=(",", ":"),
    )
