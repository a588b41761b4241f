"""The data model: one module per aggregate, all imported here for Alembic and callers."""

from . import search as search  # the full-text indexes, created with the metadata
from .annotation import Annotation, Motivation, Visibility
from .discussion import AnnotationEdit, Flag, ModerationAction, ModerationKind, Vote
from .group import Group, Membership, Role
from .mail import OutgoingMail
from .notification import (
    EmailMode,
    GroupMute,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from .reading import Assignment, Reading, ReadingRevision, ReadMark
from .user import ApiToken, User

__all__ = [
    "Annotation",
    "AnnotationEdit",
    "ApiToken",
    "Assignment",
    "EmailMode",
    "Flag",
    "Group",
    "GroupMute",
    "Membership",
    "ModerationAction",
    "ModerationKind",
    "Motivation",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "OutgoingMail",
    "ReadMark",
    "Reading",
    "ReadingRevision",
    "Role",
    "User",
    "Visibility",
    "Vote",
]
