"""Threads: replies to any depth, tombstones, and whole threads loaded in one query.

A reply stores its parent and its thread's root (indexed), so a thread is one query and
its tree is built here in Python; a reading's discussion is one query for all its threads.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Annotation, AnnotationEdit, Motivation, Reading, User
from ..models.types import utcnow
from ..permissions import Actor, can_see
from .annotations import AnnotationError, set_body, visible_annotations
from .changes import annotation_changed
from .notifications import notify_mentions, notify_reply
from .votes import Tally, tally


class Sort(enum.StrEnum):
    POSITION = "position"
    NEWEST = "newest"
    VOTES = "votes"


@dataclass
class Node:
    """An annotation in its thread's tree, with its votes."""

    annotation: Annotation
    votes: int = 0
    voted: bool = False
    children: list[Node] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Replies under this node, at any depth."""
        return sum(1 + child.size for child in self.children)


@dataclass(frozen=True)
class Facts:
    """What an annotation's JSON says about its thread: votes, reply counts, locks."""

    tally: Tally
    replies: dict[int, int]  # root id -> replies in its thread
    locked: frozenset[int]  # ids of locked roots

    @classmethod
    def of(cls, annotations: Iterable[Annotation], tally: Tally) -> Facts:
        """From a loaded list holding whole threads (the reading's list): no query."""
        replies: dict[int, int] = {}
        locked = set()
        for annotation in annotations:
            if annotation.root_id is not None:
                replies[annotation.root_id] = replies.get(annotation.root_id, 0) + 1
            elif annotation.locked_at is not None:
                locked.add(annotation.id)
        return cls(tally=tally, replies=replies, locked=frozenset(locked))


def facts_for(annotation: Annotation, *, user_id: int | None) -> Facts:
    """The facts for one annotation's JSON: two small queries."""
    root_id = annotation.thread_id
    replies, locked = db.session.execute(
        select(
            select(func.count(Annotation.id))
            .where(Annotation.root_id == root_id)
            .scalar_subquery(),
            select(Annotation.locked_at).where(Annotation.id == root_id).scalar_subquery(),
        )
    ).one()
    return Facts(
        tally=tally(where=Annotation.id == annotation.id, user_id=user_id),
        replies={root_id: replies},
        locked=frozenset({root_id} if locked is not None else set()),
    )


# ---- Writing ---------------------------------------------------------------------------------


def create_reply(*, parent: Annotation, author: User, body: str) -> Annotation:
    """Reply in the parent's thread, which the reply's visibility follows; notify and commit."""
    root = db.session.get(Annotation, parent.thread_id)
    assert root is not None  # noqa: S101 (narrows the type: root_id is a foreign key)
    if root.locked_at is not None:
        raise AnnotationError("A facilitator locked this thread; it takes no new replies.")
    if parent.is_deleted:
        raise AnnotationError("That comment was deleted; reply to another one in the thread.")
    if parent.is_hidden:
        raise AnnotationError("A facilitator hid that comment; it takes no replies.")
    now = utcnow()
    reply = Annotation(
        reading_id=parent.reading_id,
        reading=parent.reading,
        author=author,
        motivation=Motivation.REPLYING,
        visibility=root.visibility,
        parent_id=parent.id,
        root_id=root.id,
        created_at=now,
        modified_at=now,
    )
    mentioned = set_body(reply, body, group=parent.reading.group)
    db.session.add(reply)
    notify_mentions(annotation=reply, mentioned=mentioned)
    notify_reply(reply=reply)
    annotation_changed(reply)
    db.session.commit()
    return reply


def _has_replies(annotation_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Annotation.parent_id == annotation_id))))


def delete_annotation(annotation: Annotation) -> None:
    """Remove it; with replies under it, leave a tombstone so the thread stays readable.

    Removing a reply also removes tombstones above it that no longer hold up any reply.
    Other people's replies are never removed.
    """
    _forget_answer(annotation)
    annotation_changed(annotation)
    if _has_replies(annotation.id):
        annotation.deleted_at = annotation.modified_at = utcnow()
        annotation.body_source = annotation.body_html = ""
        annotation.color = None
        annotation.edited_at = annotation.hidden_at = None
        annotation.hidden_reason = ""
        db.session.execute(
            delete(AnnotationEdit).where(AnnotationEdit.annotation_id == annotation.id)
        )
        db.session.commit()
        return
    parent_id = annotation.parent_id
    db.session.delete(annotation)
    db.session.flush()
    while parent_id is not None:
        parent = db.session.get(Annotation, parent_id)
        if parent is None or not parent.is_deleted or _has_replies(parent.id):
            break
        parent_id = parent.parent_id
        db.session.delete(parent)
        db.session.flush()
    db.session.commit()


def _forget_answer(annotation: Annotation) -> None:
    """A deleted reply stops being its question's answer (the question reopens)."""
    if annotation.root_id is None:
        return
    question = db.session.get(Annotation, annotation.root_id)
    if question is not None and question.answer_id == annotation.id:
        question.answer_id = question.answered_at = None
        question.modified_at = utcnow()


# ---- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Discussion:
    """A reading's threads as trees, sorted, with the facts the JSON and pages show."""

    threads: list[Node]
    facts: Facts


def build_trees(annotations: list[Annotation], votes: Tally) -> list[Node]:
    """Link the loaded annotations into trees; the answer first, then replies by age."""
    nodes = {
        a.id: Node(annotation=a, votes=votes.count(a.id), voted=votes.voted(a.id))
        for a in annotations
    }
    answers = {a.answer_id for a in annotations if a.answer_id is not None}
    roots = []
    for annotation in sorted(annotations, key=lambda a: (a.created_at, a.id)):
        parent = nodes.get(annotation.parent_id) if annotation.parent_id else None
        if parent is not None:
            parent.children.append(nodes[annotation.id])
        elif annotation.parent_id is None:
            roots.append(nodes[annotation.id])
    for node in nodes.values():
        node.children.sort(key=lambda child: child.annotation.id not in answers)
    return roots


def _position_key(node: Node) -> tuple[int, int, int, int]:
    """Page notes (on the whole reading) first, then passages in order, then orphans."""
    a = node.annotation
    place = 2 if a.orphaned else 0 if a.start is None else 1
    return (place, a.start or 0, a.end or 0, a.id)


def _newest_key(node: Node) -> tuple[datetime, int]:
    return node.annotation.created_at, node.annotation.id


def sort_threads(threads: list[Node], sort: Sort) -> list[Node]:
    if sort is Sort.POSITION:
        return sorted(threads, key=_position_key)
    by_age = sorted(threads, key=_newest_key, reverse=True)
    if sort is Sort.NEWEST:
        return by_age
    return sorted(by_age, key=lambda node: node.votes, reverse=True)  # stable: newest first


def reading_discussion(*, reading: Reading, actor: Actor, sort: Sort) -> Discussion:
    """Every thread the actor may see on the reading: two queries, whatever their size.

    Highlights without replies are not discussions and are left out of `threads`.
    """
    annotations = visible_annotations(reading=reading, actor=actor)
    votes = tally(where=Annotation.reading_id == reading.id, user_id=actor.user_id)
    threads = [
        node
        for node in build_trees(annotations, votes)
        if node.children or node.annotation.motivation is not Motivation.HIGHLIGHTING
    ]
    return Discussion(threads=sort_threads(threads, sort), facts=Facts.of(annotations, votes))


def load_thread(*, annotation: Annotation, actor: Actor) -> tuple[Node, Facts]:
    """The whole thread the annotation belongs to, as a tree (one query, plus votes)."""
    root_id = annotation.thread_id
    in_thread = or_(Annotation.id == root_id, Annotation.root_id == root_id)
    annotations = [
        a
        for a in db.session.scalars(
            select(Annotation).options(joinedload(Annotation.author)).where(in_thread)
        )
        if can_see(actor, a)
    ]
    votes = tally(where=in_thread, user_id=actor.user_id)
    (root,) = build_trees(annotations, votes)
    return root, Facts.of(annotations, votes)


def find_node(root: Node, annotation_id: int) -> Node | None:
    """The node for an annotation inside a tree (depth-first)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.annotation.id == annotation_id:
            return node
        stack.extend(node.children)
    return None
