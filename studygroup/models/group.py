"""Groups and who belongs to them, in which role."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


def new_invite_token() -> str:
    return secrets.token_urlsafe(18)


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    PENDING = "pending"  # asked to join a group that approves its members


class Group(db.Model):  # type: ignore[name-defined]
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # The description's Markdown, sanitized once on write (rendering.render_comment).
    description_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    invite_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_invite_token)
    invite_enabled: Mapped[bool] = mapped_column(default=True)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    # What members (not only facilitators) see of the room: the dashboard's whole table,
    # and the reader's margin heatmap. Both off by default: it is not a grade.
    members_see_dashboard: Mapped[bool] = mapped_column(default=False, server_default=false())
    members_see_heatmap: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name!r}>"


class Membership(db.Model):  # type: ignore[name-defined]
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [r.value for r in e])
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
