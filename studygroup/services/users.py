"""Accounts: registration, authentication, passwords and sessions."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..models import Annotation, Group, Membership, Notification, User, Visibility, Vote
from ..models.types import utcnow
from ..passwords import hash_password, needs_rehash, password_problem, verify_password
from .changes import author_renamed, readings_changed
from .groups import groups_needing_handover


class AccountError(ValueError):
    """A request about an account that cannot be honoured, with a message for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class HandoverNeeded(AccountError):
    """The account is the last facilitator of groups that would be left without one."""

    def __init__(self, groups: list[Group]) -> None:
        names = ", ".join(f"“{group.name}”" for group in groups)
        super().__init__(
            f"You are the only facilitator of {names}. Make another member a facilitator, "
            "or delete the group, before you delete your account."
        )
        self.groups = groups


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(*, email: str, display_name: str, password: str) -> User:
    if find_by_email(email) is not None:
        raise AccountError("An account with this email address already exists.", "email")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.commit()
    return user


# Verifying against a real hash for unknown emails keeps response times alike.
_UNKNOWN_USER_HASH: dict[str, str] = {}


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        dummy = _UNKNOWN_USER_HASH.setdefault("hash", hash_password("not a real password"))
        verify_password(dummy, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def change_password(user: User, *, current: str | None, new: str) -> None:
    """Set a new password and end every other session and remember-me cookie."""
    if current is not None and not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.", "current_password")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, "new_password")
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    db.session.commit()


def change_display_name(user: User, display_name: str) -> None:
    display_name = display_name.strip()
    if display_name != user.display_name:
        user.display_name = display_name
        user.renamed_at = utcnow()
        author_renamed(user.id)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    user.rotate_session_token()
    db.session.commit()


def load_session_user(session_id: str) -> User | None:
    """Resolve Flask-Login's "<id>:<session token>"; a rotated token no longer matches."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.session_token == token else None


def accounts_in_domain(domain: str) -> list[User]:
    """Accounts whose email is at `domain`, oldest first."""
    return list(
        db.session.scalars(select(User).where(User.email.endswith(f"@{domain}")).order_by(User.id))
    )


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def password_reset_token(user: User) -> str:
    """A signed token bound to the current session token, so it works once."""
    return _reset_serializer().dumps({"id": user.id, "st": user.session_token})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    return user if user is not None and user.session_token == data.get("st") else None


def visible_user(*, viewer_id: int, user_id: int) -> User | None:
    """A person the viewer may know of: themselves, or someone in one of their groups."""
    mine = select(Membership.group_id).where(Membership.user_id == viewer_id)
    theirs = select(Membership.id).where(
        Membership.user_id == user_id, Membership.group_id.in_(mine)
    )
    if user_id != viewer_id and db.session.scalar(select(theirs.exists())) is not True:
        return None
    return db.session.get(User, user_id)


def delete_account(user: User, *, password: str) -> None:
    """Delete the account: private notes go, public writing stays as a deleted user's so
    threads stay readable, and tokens, sessions, votes and notifications go with the row."""
    if not verify_password(user.password_hash, password):
        raise AccountError("Your password is not correct.", "password")
    blocked = groups_needing_handover(user)
    if blocked:
        raise HandoverNeeded(blocked)
    # Names and vote counts change on every list that shows the user's writing or votes.
    voted = select(Vote.annotation_id).where(Vote.user_id == user.id)
    touched = or_(Annotation.author_id == user.id, Annotation.id.in_(voted))
    db.session.execute(
        update(Annotation)
        .where(touched)
        .values(modified_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    readings_changed(select(Annotation.reading_id).where(touched))
    db.session.execute(
        delete(Annotation)
        .where(Annotation.author_id == user.id, Annotation.visibility == Visibility.PRIVATE)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Notification).where(Notification.actor_id == user.id))
    # The database cascades to tokens, memberships, votes, read marks and the user's own
    # notifications and settings; authorship of what stays becomes NULL ("Deleted user").
    db.session.delete(user)
    db.session.commit()
