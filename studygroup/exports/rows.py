"""What an export reads: one flat row per annotation the viewer may see, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Annotation, Group, Reading, User, Visibility, Vote
from ..permissions import Actor, Permission, allowed, can_see, is_author

BATCH = 1000  # rows per round trip; PostgreSQL streams them from a server-side cursor
DELETED_USER = "Deleted user"  # the author of what a deleted account left in public threads


@dataclass(frozen=True)
class Scope:
    """Which annotations an export holds, and what of each the viewer may read.

    `sees` and `reads` are the permission table's rules; `where` only narrows the query.
    """

    where: ColumnElement[bool]
    sees: Callable[[Annotation], bool]
    reads: Callable[[Annotation], bool]


def viewer_scope(actor: Actor, where: ColumnElement[bool]) -> Scope:
    """A member's view: the group's annotations and their own private ones; hidden bodies
    only for their authors and facilitators."""
    visible = or_(Annotation.visibility == Visibility.GROUP, Annotation.author_id == actor.user_id)
    return Scope(
        where=where & visible,
        sees=lambda a: can_see(actor, a),
        reads=lambda a: not a.is_hidden or allowed(actor, Permission.READ_HIDDEN, a),
    )


def reading_scope(reading: Reading, actor: Actor) -> Scope:
    return viewer_scope(actor, Annotation.reading_id == reading.id)


def author_scope(user: User) -> Scope:
    """ "All my data": everything the person wrote, wherever, private notes included."""
    me = Actor(user_id=user.id, role=None)
    return Scope(
        where=Annotation.author_id == user.id,
        sees=lambda a: is_author(me, a),
        reads=lambda a: is_author(me, a),
    )


@dataclass(slots=True)
class Row:
    """One annotation as exports show it; `body` is empty when the viewer may not read it."""

    id: int
    group: str
    reading_id: int
    reading: str
    revision: int | None
    quote: str
    start: int | None
    end: int | None
    author: str
    kind: str
    visibility: str
    parent_id: int | None
    thread_id: int
    body: str
    votes: int
    answered: bool
    hidden: bool
    locked: bool
    orphaned: bool
    deleted: bool
    created: datetime
    updated: datetime


def _author_name(annotation: Annotation, name: str | None) -> str:
    if annotation.is_deleted:
        return ""
    return name if name is not None else DELETED_USER


def stream_rows(scope: Scope, *, passages_only: bool = False) -> Iterator[Row]:
    """The scope's annotations by reading, then thread by where its passage ends (orphans
    last), each thread's first note before its replies by age."""
    root = aliased(Annotation)
    votes = select(func.count(Vote.id)).where(Vote.annotation_id == Annotation.id)
    query = (
        select(Annotation, User.display_name, Reading.title, Group.name, votes.scalar_subquery())
        .add_columns(root.locked_at)
        .join(Reading, Reading.id == Annotation.reading_id)
        .join(Group, Group.id == Reading.group_id)
        .join(root, root.id == func.coalesce(Annotation.root_id, Annotation.id))
        .outerjoin(User, User.id == Annotation.author_id)
        .where(scope.where)
        .order_by(
            Annotation.reading_id,
            root.orphaned,
            root.end,
            root.start,
            root.id,
            Annotation.parent_id.is_not(None),
            Annotation.created_at,
            Annotation.id,
        )
        .execution_options(yield_per=BATCH)
    )
    if passages_only:
        query = query.where(Annotation.parent_id.is_(None))
    for annotation, name, title, group, count, locked_at in db.session.execute(query):
        if scope.sees(annotation):
            yield _row(
                annotation,
                scope,
                name=name,
                title=title,
                group=group,
                votes=count,
                locked=locked_at is not None,
            )


def _row(
    a: Annotation,
    scope: Scope,
    *,
    name: str | None,
    title: str,
    group: str,
    votes: int,
    locked: bool,
) -> Row:
    return Row(
        id=a.id,
        group=group,
        reading_id=a.reading_id,
        reading=title,
        revision=a.revision,
        quote=a.exact or "",
        start=a.start,
        end=a.end,
        author=_author_name(a, name),
        kind=a.motivation.value,
        visibility=a.visibility.value,
        parent_id=a.parent_id,
        thread_id=a.thread_id,
        body=a.body_source if scope.reads(a) else "",
        votes=votes,
        answered=a.answer_id is not None,
        hidden=a.is_hidden,
        locked=locked,
        orphaned=a.orphaned,
        deleted=a.is_deleted,
        created=a.created_at,
        updated=a.modified_at,
    )
