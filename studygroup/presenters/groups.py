"""Groups and people as JSON."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..models import Group, Membership, User


def user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.display_name}


def membership_json(member: Membership) -> dict[str, Any]:
    return {**user_json(member.user), "role": member.role.value}


def group_json(group: Group, *, members: list[Membership] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "url": url_for("groups.show", group_id=group.id, _external=True),
    }
    if members is not None:
        data["members"] = [membership_json(m) for m in members]
    return data


def invite_url(group: Group) -> str | None:
    """The group's invite link, or None while invites are off."""
    if not group.invite_enabled:
        return None
    return url_for("groups.join", token=group.invite_token, _external=True)
