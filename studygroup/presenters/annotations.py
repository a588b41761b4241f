"""What a viewer may do with an annotation and see of it: shared by pages and the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from ..models import Annotation, Motivation
from ..permissions import Actor, Permission, allowed
from ..services.threads import Facts


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC, as W3C examples write it; isoformat is several times faster."""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


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
