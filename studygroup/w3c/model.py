"""Shapes out: annotations, pages and the container in the W3C Web Annotation Data Model."""

from __future__ import annotations

from typing import Any

from ..models import Annotation, Motivation, Reading
from ..permissions import Actor
from ..presenters.annotations import abilities, shows_body, timestamp
from ..services.threads import Facts
from .iris import Links

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'


def _bodies(annotation: Annotation) -> list[dict[str, str]]:
    """The text (Markdown) and the colour as a tag; none at all for a bare highlight."""
    bodies = []
    if annotation.body_source:
        text = {
            "type": "TextualBody",
            "value": annotation.body_source,
            "format": "text/markdown",
            "purpose": annotation.motivation.value,
        }
        bodies.append(text)
    if annotation.color:
        bodies.append({"type": "TextualBody", "value": annotation.color, "purpose": "tagging"})
    return bodies


def _state(annotation: Annotation, links: Links) -> dict[str, str]:
    """The revision the selectors refer to: an orphan's is older than the reader's text."""
    number = annotation.revision or 0
    state = {"type": "TimeState", "cached": f"{links.revision_prefix}{number}"}
    created = links.revision_dates.get(number)
    if created is not None:
        state["sourceDate"] = timestamp(created)
    return state


def _target(annotation: Annotation, links: Links) -> dict[str, Any] | str:
    """A passage's selectors in their revision; a reply's parent; a page note's reading."""
    if annotation.parent_id is not None:
        return links.annotation(annotation.parent_id)
    if annotation.start is None or annotation.end is None:
        return {"source": links.reader}
    return {
        "source": links.reader,
        "state": _state(annotation, links),
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


def _creator(annotation: Annotation) -> dict[str, str]:
    if annotation.is_deleted:
        return {"type": "Person", "name": "Deleted"}
    if annotation.author is None:
        return {"type": "Person", "name": "Deleted user"}
    return {"type": "Person", "name": annotation.author.display_name}


def _thread(annotation: Annotation, actor: Actor, facts: Facts) -> dict[str, Any]:
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
    annotation: Annotation,
    *,
    actor: Actor,
    links: Links,
    facts: Facts,
) -> dict[str, Any]:
    """One annotation; authors must already be loaded (lists call this 10,000 times).
    The model forbids an empty body list, so an annotation without text has no 'body'."""
    visible = shows_body(annotation, actor)
    deleted = annotation.is_deleted
    creator = _creator(annotation)
    if not deleted and annotation.author_id is not None:
        creator["id"] = f"{links.user_prefix}{annotation.author_id}"
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": links.annotation(annotation.id),
        "type": "Annotation",
        "motivation": annotation.motivation.value,
        "creator": creator,
        "created": timestamp(annotation.created_at),
        "modified": timestamp(annotation.modified_at),
    }
    bodies = _bodies(annotation) if visible else []
    if bodies:
        data["body"] = bodies
    data["target"] = _target(annotation, links)
    data["studygroup"] = {
        "visibility": annotation.visibility.value,
        "orphaned": annotation.orphaned,
        "revision": annotation.revision,
        "color": annotation.color,
        "html": annotation.body_html if visible else "",
        "creatorId": None if deleted else annotation.author_id,
        # Imported and attributed to the importer: who wrote it where it came from.
        "originalCreator": annotation.original_creator,
        "mine": not deleted and actor.user_id is not None and annotation.author_id == actor.user_id,
        "prompt": annotation.prompt_index,  # a discussion prompt's number, from 0; else None
        **_thread(annotation, actor, facts),
    }
    return data


def page_json(
    items: list[Any],
    *,
    links: Links,
    index: int | str,
    last: int,
    start: int,
    iris: bool,
    revision: int,
) -> dict[str, Any]:
    """One AnnotationPage of the container (index "all": a page of everything): descriptions,
    or IRIs only."""
    page: dict[str, Any] = {
        "id": links.page(index, iris=iris),
        "type": "AnnotationPage",
        "partOf": {"id": links.container},
        "startIndex": start,
        "items": items,
        # Which text the selectors are on: an open reader notices an edit by it.
        "studygroup": {"revision": revision},
    }
    if isinstance(index, int) and index > 0:
        page["prev"] = links.page(index - 1, iris=iris)
    if isinstance(index, int) and index < last:
        page["next"] = links.page(index + 1, iris=iris)
    return page


def collection_json(
    reading: Reading,
    *,
    total: int,
    links: Links,
    last: int,
    iris: bool,
    first: dict[str, Any] | None,
) -> dict[str, Any]:
    """The container: its first page embedded, or (minimal) only the first and last IRIs."""
    data: dict[str, Any] = {
        "@context": [CONTEXT, LDP_CONTEXT],
        "id": links.container,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": reading.title,
        "total": total,
        # Which text the selectors are on: an open reader notices an edit by it.
        "studygroup": {"revision": reading.current_revision},
    }
    if total:
        data["first"] = first if first is not None else links.page(0, iris=iris)
        data["last"] = links.page(last, iris=iris)
    return data
