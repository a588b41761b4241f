"""Who may do what: small pure predicates, one table, and the `require` gate for views."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, or_, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import Annotation, Assignment, Group, Membership, Reading, Role, Visibility


@dataclass(frozen=True)
class Actor:
    """The viewer as the rules see them: who, and their role in the object's group."""

    user_id: int | None
    role: Role | None


class Permission(enum.StrEnum):
    VIEW_GROUP = "group:view"
    MANAGE_GROUP = "group:manage"
    LEAVE_GROUP = "group:leave"
    VIEW_READING = "reading:view"
    MANAGE_READINGS = "reading:manage"  # add, edit, schedule and remove readings
    MARK_READ = "reading:mark-read"
    ANNOTATE = "reading:annotate"
    VIEW_ANNOTATION = "annotation:view"
    EDIT_ANNOTATION = "annotation:edit"
    DELETE_ANNOTATION = "annotation:delete"
    REATTACH_ANNOTATION = "annotation:reattach"
    REPLY = "annotation:reply"
    VOTE = "annotation:vote"
    MARK_ANSWER = "annotation:mark-answer"  # on a question: its asker, or a facilitator
    FLAG = "annotation:flag"
    READ_HIDDEN = "annotation:read-hidden"  # a hidden annotation's body: author, facilitators
    MODERATE = "discussion:moderate"  # hide, unhide, lock; see flags, actions and edit history
    EXPORT = "group:export"  # download a reading or the group as files, as the member sees it
    DELETE_GROUP = "group:delete"
    VIEW_DASHBOARD = "insights:dashboard"  # a reading's dashboard: at least one's own row
    VIEW_ROOM = "insights:room"  # every member's row, not only one's own
    VIEW_HEATMAP = "insights:heatmap"  # how many members marked each stretch of the text
    VIEW_READERS = "insights:readers"  # who has not read yet (the facilitator's prep sheet)


Rule = Callable[[Actor, Any], bool]

# Why a 403 happened, in words a member can act on; the rest say "facilitators only".
REFUSALS: dict[Permission, str] = {
    Permission.EDIT_ANNOTATION: "Only its author can edit this.",
    Permission.DELETE_ANNOTATION: "Only its author can delete this.",
    Permission.REATTACH_ANNOTATION: "Only its author or a facilitator can re-attach this.",
    Permission.MARK_ANSWER: "Only the person who asked, or a facilitator, can choose the answer.",
    Permission.READ_HIDDEN: "A facilitator hid this.",
}
FACILITATORS_ONLY = "Only the group's facilitators can do this."


def is_member(actor: Actor, _obj: Any = None) -> bool:
    return actor.role in (Role.MEMBER, Role.FACILITATOR)


def is_facilitator(actor: Actor, _obj: Any = None) -> bool:
    return actor.role is Role.FACILITATOR


def is_author(actor: Actor, obj: Any) -> bool:
    return actor.user_id is not None and obj.author_id == actor.user_id


def is_author_or_facilitator(actor: Actor, obj: Any) -> bool:
    return is_author(actor, obj) or is_facilitator(actor)


def is_facilitator_or_member_if(setting: str) -> Rule:
    """Facilitators always; members when the group's `setting` lets them, and on a reading
    only once "post before you see" no longer holds its posts back from them."""

    def rule(actor: Actor, obj: Any) -> bool:
        if is_facilitator(actor):
            return True
        if isinstance(obj, Reading) and waiting_to_post(actor, obj):
            return False
        return is_member(actor) and bool(getattr(group_of(obj), setting))

    return rule


RULES: dict[Permission, Rule] = {
    Permission.VIEW_GROUP: is_member,
    Permission.MANAGE_GROUP: is_facilitator,
    Permission.LEAVE_GROUP: is_member,
    Permission.VIEW_READING: is_member,
    Permission.MANAGE_READINGS: is_facilitator,
    Permission.MARK_READ: is_member,
    Permission.ANNOTATE: is_member,
    Permission.VIEW_ANNOTATION: is_member,
    Permission.EDIT_ANNOTATION: is_author,
    Permission.DELETE_ANNOTATION: is_author,
    Permission.REATTACH_ANNOTATION: is_author_or_facilitator,
    Permission.REPLY: is_member,
    Permission.VOTE: is_member,
    Permission.MARK_ANSWER: is_author_or_facilitator,
    Permission.FLAG: is_member,
    Permission.READ_HIDDEN: is_author_or_facilitator,
    Permission.MODERATE: is_facilitator,
    Permission.EXPORT: is_member,
    Permission.DELETE_GROUP: is_facilitator,
    Permission.VIEW_DASHBOARD: is_member,
    Permission.VIEW_ROOM: is_facilitator_or_member_if("members_see_dashboard"),
    Permission.VIEW_HEATMAP: is_facilitator_or_member_if("members_see_heatmap"),
    Permission.VIEW_READERS: is_facilitator,
}


def can_see(actor: Actor, obj: Any) -> bool:
    """Whether the actor may know the object exists at all (otherwise: 404)."""
    if not is_member(actor):
        return False
    if isinstance(obj, Annotation) and obj.visibility is Visibility.PRIVATE:
        return is_author(actor, obj)
    if isinstance(obj, Annotation) and not (is_author(actor, obj) or obj.is_prompt):
        return is_facilitator(actor) or not waiting_to_post(actor, obj.reading)
    return True


def waiting_to_post(actor: Actor, reading: Reading) -> bool:
    """Whether "post before you see" still holds back others' posts on the reading from the
    actor: its assignment asks for it, and the actor is no facilitator and has shared nothing
    there yet. Memoised for the request: filtering a list costs one query, not one a row."""
    assignment = reading.assignment
    if assignment is None or not assignment.post_first or is_facilitator(actor):
        return False
    if actor.user_id is None:
        return True
    cache: dict[tuple[int, int], bool] = g.setdefault("waiting_to_post", {})
    key = (actor.user_id, reading.id)
    if key not in cache:
        cache[key] = not db.session.scalar(select(_has_posted(actor.user_id, reading.id)))
    return cache[key]


def _has_posted(
    viewer_id: int | SQLColumnExpression[int], reading_id: int | SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """SQL: the viewer shared something of their own on the reading, an annotation or a
    reply. A private note is not posting to the group, so it unlocks nothing."""
    mine = aliased(Annotation)
    return exists().where(
        mine.reading_id == reading_id,
        mine.author_id == viewer_id,
        mine.visibility == Visibility.GROUP,
        mine.prompt_index.is_(None),
    )


def _not_held_back(viewer_id: int | None | SQLColumnExpression[int]) -> ColumnElement[bool]:
    """SQL for the post-first half of can_see: the viewer's own posts and the prompts always;
    others' once the viewer posted, or when the assignment does not ask, or to facilitators."""
    held = exists().where(
        Assignment.reading_id == Annotation.reading_id, Assignment.post_first.is_(True)
    )
    always = or_(Annotation.prompt_index.is_not(None), ~held)
    if viewer_id is None:
        return always
    reading, membership = aliased(Reading), aliased(Membership)
    facilitator = exists().where(
        reading.id == Annotation.reading_id,
        membership.group_id == reading.group_id,
        membership.user_id == viewer_id,
        membership.role == Role.FACILITATOR,
    )
    return or_(
        always,
        Annotation.author_id == viewer_id,
        facilitator,
        _has_posted(viewer_id, Annotation.reading_id),
    )


def visible_to(viewer_id: int | None | SQLColumnExpression[int]) -> ColumnElement[bool]:
    """SQL for can_see on annotations: the group's, and the viewer's own.

    Every query that lists, counts or mentions annotations to someone goes through this
    (membership of the group is the caller's check), so private stays private everywhere,
    and "post before you see" holds everywhere too.
    """
    if viewer_id is None:  # not "author_id IS NULL": a departed author's notes stay private
        shared = Annotation.visibility == Visibility.GROUP
    else:
        shared = or_(Annotation.visibility == Visibility.GROUP, Annotation.author_id == viewer_id)
    return and_(shared, _not_held_back(viewer_id))


def allowed(actor: Actor, permission: Permission, obj: Any) -> bool:
    return can_see(actor, obj) and RULES[permission](actor, obj)


def group_of(obj: Any) -> Group:
    """The group an object lives in: every protected object belongs to exactly one."""
    return obj if isinstance(obj, Group) else group_of(obj.group)


def actor_for(group: Group) -> Actor:
    """The current user as an Actor in `group`, memoised for the request."""
    from .services.groups import role_of  # services import models; avoid a cycle at import

    cache: dict[int, Actor] = g.setdefault("actors", {})
    if group.id not in cache:
        user = current_user if current_user.is_authenticated else None
        cache[group.id] = Actor(
            user_id=user.id if user else None,
            role=role_of(user, group) if user else None,
        )
    return cache[group.id]


def require(permission: Permission, obj: Any) -> Actor:
    """404 for what the user must not know exists, 403 for what they may see but not do."""
    actor = actor_for(group_of(obj))
    if not can_see(actor, obj):
        abort(404)
    if not RULES[permission](actor, obj):
        abort(403, description=REFUSALS.get(permission, FACILITATORS_ONLY))
    return actor
