"""Groups, invitations and memberships."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Group, Membership, Role, User
from ..models.group import new_invite_token
from ..rendering import render_comment


class MembershipError(ValueError):
    """A membership change that would leave a group in a bad state."""


def role_of(user: User, group: Group) -> Role | None:
    return db.session.scalar(
        select(Membership.role).where(
            Membership.group_id == group.id, Membership.user_id == user.id
        )
    )


def membership(group: Group, user_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    )


def _describe(group: Group, description: str) -> None:
    """Keep the Markdown and its sanitized HTML side by side: sanitize once, on write."""
    group.description = description.strip()
    group.description_html = render_comment(group.description) if group.description else ""


def create_group(*, creator: User, name: str, description: str = "") -> Group:
    group = Group(name=name.strip())
    _describe(group, description)
    group.memberships.append(Membership(user=creator, role=Role.FACILITATOR))
    db.session.add(group)
    db.session.commit()
    return group


def update_group(
    group: Group,
    *,
    name: str,
    description: str,
    requires_approval: bool,
    members_see_dashboard: bool = False,
    members_see_heatmap: bool = False,
) -> None:
    group.name = name.strip()
    _describe(group, description)
    group.requires_approval = requires_approval
    group.members_see_dashboard = members_see_dashboard
    group.members_see_heatmap = members_see_heatmap
    db.session.commit()


def groups_of(user: User) -> list[Group]:
    """The groups the user belongs to (pending requests excluded), by name."""
    return list(
        db.session.scalars(
            select(Group)
            .join(Membership)
            .where(Membership.user_id == user.id, Membership.role != Role.PENDING)
            .order_by(func.lower(Group.name), Group.id)
        )
    )


def memberships_of(user: User) -> list[Membership]:
    """Every group the user belongs to or asked to join, with the group loaded."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.group))
            .order_by(Membership.created_at, Membership.id)
        )
    )


def members_of(group: Group) -> list[Membership]:
    """Facilitators first, then members, then pending requests; by name within each."""
    rank = {Role.FACILITATOR: 0, Role.MEMBER: 1, Role.PENDING: 2}
    rows = db.session.scalars(
        select(Membership).where(Membership.group_id == group.id).join(Membership.user)
    ).all()
    return sorted(rows, key=lambda m: (rank[m.role], m.user.display_name.lower(), m.user_id))


def facilitator_names(group: Group) -> list[str]:
    """Who runs the group, for an invite page: the people a newcomer is joining."""
    return list(
        db.session.scalars(
            select(User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role == Role.FACILITATOR)
            .order_by(func.lower(User.display_name))
        )
    )


def group_for_invite(token: str) -> Group | None:
    group = db.session.scalar(select(Group).where(Group.invite_token == token))
    return group if group is not None and group.invite_enabled else None


def join(group: Group, user: User) -> Membership:
    """Join through the invite link; groups that approve members get a pending request."""
    existing = membership(group, user.id)
    if existing is not None:
        return existing
    role = Role.PENDING if group.requires_approval else Role.MEMBER
    member = Membership(group=group, user=user, role=role)
    db.session.add(member)
    db.session.commit()
    return member


def regenerate_invite(group: Group) -> None:
    group.invite_token = new_invite_token()
    group.invite_enabled = True
    db.session.commit()


def set_invite_enabled(group: Group, enabled: bool) -> None:
    group.invite_enabled = enabled
    db.session.commit()


def _facilitator_count(group: Group) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group.id, Membership.role == Role.FACILITATOR
            )
        )
        or 0
    )


def _ensure_not_last_facilitator(group: Group, member: Membership, message: str) -> None:
    if member.role is Role.FACILITATOR and _facilitator_count(group) <= 1:
        raise MembershipError(message)


def set_role(group: Group, member: Membership, role: Role) -> None:
    """Promote, demote or approve; the group always keeps a facilitator."""
    if role is not Role.FACILITATOR:
        _ensure_not_last_facilitator(
            group, member, "A group needs a facilitator: promote someone else first."
        )
    member.role = role
    db.session.commit()


def remove_member(group: Group, member: Membership) -> None:
    _ensure_not_last_facilitator(
        group, member, "The last facilitator cannot leave: promote someone else first."
    )
    db.session.delete(member)
    db.session.commit()


def groups_needing_handover(user: User) -> list[Group]:
    """The groups the user is the only facilitator of: they would be left without one."""
    facilitators = (
        select(Membership.group_id)
        .where(Membership.role == Role.FACILITATOR)
        .group_by(Membership.group_id)
        .having(func.count(Membership.id) == 1)
    )
    return list(
        db.session.scalars(
            select(Group)
            .join(Membership)
            .where(
                Membership.user_id == user.id,
                Membership.role == Role.FACILITATOR,
                Group.id.in_(facilitators),
            )
            .order_by(func.lower(Group.name), Group.id)
        )
    )


def delete_group(group: Group) -> None:
    """Remove the group and everything in it: the database cascades to readings, their
    revisions and annotations, memberships, notifications and the moderation log."""
    db.session.execute(delete(Group).where(Group.id == group.id))
    db.session.commit()
