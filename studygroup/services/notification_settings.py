"""What a person wants to hear about, how they want it mailed, and which groups are muted."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select

from ..extensions import db
from ..models import EmailMode, GroupMute, NotificationKind, NotificationPreference, User
from .groups import groups_of


class NotificationError(ValueError):
    """Preferences that cannot be saved, with a message for the user."""


def preferences_for(*, user: User) -> NotificationPreference:
    """The user's preferences, or the defaults (every kind, daily digest) unsaved."""
    saved = db.session.get(NotificationPreference, user.id)
    if saved is not None:
        return saved
    defaults = NotificationPreference(user_id=user.id, email_mode=EmailMode.DIGEST)
    defaults.set_kinds(frozenset(NotificationKind))
    return defaults


def muted_group_ids(*, user: User) -> set[int]:
    return set(db.session.scalars(select(GroupMute.group_id).where(GroupMute.user_id == user.id)))


def save_preferences(
    *,
    user: User,
    kinds: Collection[NotificationKind],
    email_mode: EmailMode,
    muted: Collection[int],
) -> None:
    """Store which kinds to hear about, how to be emailed, and which groups to mute."""
    wanted = set(muted)
    if not wanted <= {group.id for group in groups_of(user)}:
        raise NotificationError("You can only mute groups you belong to.")
    preferences = db.session.get(NotificationPreference, user.id)
    if preferences is None:
        preferences = NotificationPreference(user_id=user.id)
        db.session.add(preferences)
    preferences.set_kinds(frozenset(kinds))
    preferences.email_mode = email_mode
    already = muted_group_ids(user=user)
    db.session.execute(
        delete(GroupMute).where(
            GroupMute.user_id == user.id, GroupMute.group_id.in_(already - wanted)
        )
    )
    db.session.add_all(GroupMute(user_id=user.id, group_id=gid) for gid in wanted - already)
    db.session.commit()
