"""The permission table, exhaustively: every permission × role × (for annotations) authorship."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from studygroup.models import Group, Role, Visibility
from studygroup.permissions import RULES, Actor, Permission, allowed, can_see

ME = 1
SOMEONE_ELSE = 2
ROLES = {
    "anonymous": None,
    "pending": Role.PENDING,
    "member": Role.MEMBER,
    "facilitator": Role.FACILITATOR,
}

# What each role may do with a group-wide object (group, reading).
GROUP_LEVEL = {
    Permission.VIEW_GROUP: {"member", "facilitator"},
    Permission.MANAGE_GROUP: {"facilitator"},
    Permission.LEAVE_GROUP: {"member", "facilitator"},
    Permission.VIEW_READING: {"member", "facilitator"},
    Permission.MANAGE_READINGS: {"facilitator"},
    Permission.MARK_READ: {"member", "facilitator"},
    Permission.ANNOTATE: {"member", "facilitator"},
    Permission.MODERATE: {"facilitator"},  # the group's moderation page
    Permission.EXPORT: {"member", "facilitator"},
    Permission.DELETE_GROUP: {"facilitator"},
    Permission.VIEW_DASHBOARD: {"member", "facilitator"},  # members: their own row
    Permission.VIEW_ROOM: {"facilitator"},  # members too when the group allows (below)
    Permission.VIEW_HEATMAP: {"facilitator"},
    Permission.VIEW_READERS: {"facilitator"},
}
# What a group's settings open to its members.
OPENED_BY = {
    Permission.VIEW_ROOM: "members_see_dashboard",
    Permission.VIEW_HEATMAP: "members_see_heatmap",
}
# What each role may do with an annotation, by (authorship, visibility).
ANNOTATION_LEVEL = {
    Permission.VIEW_ANNOTATION: {
        ("mine", "group"): {"member", "facilitator"},
        ("theirs", "group"): {"member", "facilitator"},
        ("mine", "private"): {"member", "facilitator"},
        ("theirs", "private"): set(),
    },
    Permission.EDIT_ANNOTATION: {
        ("mine", "group"): {"member", "facilitator"},
        ("theirs", "group"): set(),
        ("mine", "private"): {"member", "facilitator"},
        ("theirs", "private"): set(),
    },
    Permission.REATTACH_ANNOTATION: {
        ("mine", "group"): {"member", "facilitator"},
        ("theirs", "group"): {"facilitator"},
        ("mine", "private"): {"member", "facilitator"},
        ("theirs", "private"): set(),
    },
}
ANNOTATION_LEVEL[Permission.DELETE_ANNOTATION] = ANNOTATION_LEVEL[Permission.EDIT_ANNOTATION]
# Whoever can see an annotation may reply to it, upvote it and flag it (the services refuse
# votes and flags on one's own); private ones are their author's alone.
EVERY_VISIBLE = {
    ("mine", "group"): {"member", "facilitator"},
    ("theirs", "group"): {"member", "facilitator"},
    ("mine", "private"): {"member", "facilitator"},
    ("theirs", "private"): set(),
}
ANNOTATION_LEVEL[Permission.REPLY] = EVERY_VISIBLE
ANNOTATION_LEVEL[Permission.VOTE] = EVERY_VISIBLE
ANNOTATION_LEVEL[Permission.FLAG] = EVERY_VISIBLE
# A question's asker or a facilitator marks the answer; the same people read a hidden body.
ANNOTATION_LEVEL[Permission.MARK_ANSWER] = ANNOTATION_LEVEL[Permission.REATTACH_ANNOTATION]
ANNOTATION_LEVEL[Permission.READ_HIDDEN] = ANNOTATION_LEVEL[Permission.REATTACH_ANNOTATION]
ANNOTATION_LEVEL[Permission.MODERATE] = {
    ("mine", "group"): {"facilitator"},
    ("theirs", "group"): {"facilitator"},
    ("mine", "private"): {"facilitator"},
    ("theirs", "private"): set(),
}


def test_the_expectations_cover_every_permission():
    assert set(GROUP_LEVEL) | set(ANNOTATION_LEVEL) == set(RULES) == set(Permission)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", GROUP_LEVEL, ids=str)
def test_group_level_permissions(permission, role):
    actor = Actor(user_id=ME if role != "anonymous" else None, role=ROLES[role])
    group_object = Group(members_see_dashboard=False, members_see_heatmap=False)
    assert allowed(actor, permission, group_object) == (role in GROUP_LEVEL[permission])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", OPENED_BY, ids=str)
def test_group_settings_open_insights_to_members(permission, role):
    actor = Actor(user_id=ME if role != "anonymous" else None, role=ROLES[role])
    group_object = Group(**{OPENED_BY[permission]: True})
    assert allowed(actor, permission, group_object) == (role in {"member", "facilitator"})


def annotation(author: str, visibility: str) -> SimpleNamespace:
    # A real Annotation is needed for can_see's type check; build one without a session.
    from studygroup.models import Annotation, Reading

    return Annotation(
        author_id=ME if author == "mine" else SOMEONE_ELSE,
        visibility=Visibility(visibility),
        reading=Reading(title="Unscheduled"),  # no assignment: no "post before you see"
    )


@pytest.mark.parametrize("visibility", ["group", "private"])
@pytest.mark.parametrize("author", ["mine", "theirs"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", ANNOTATION_LEVEL, ids=str)
def test_annotation_permissions(permission, role, author, visibility):
    actor = Actor(user_id=ME if role != "anonymous" else None, role=ROLES[role])
    expected = role in ANNOTATION_LEVEL[permission][(author, visibility)]
    assert allowed(actor, permission, annotation(author, visibility)) == expected


@pytest.mark.parametrize("role", ROLES)
def test_private_annotations_are_invisible_to_everyone_but_the_author(role):
    actor = Actor(user_id=ME, role=ROLES[role])
    assert not can_see(actor, annotation("theirs", "private"))
