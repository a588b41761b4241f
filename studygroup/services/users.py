"""Accounts: registration, authentication, passwords and sessions."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..passwords import hash_password, needs_rehash, password_problem, verify_password
from .changes import author_renamed


class AccountError(ValueError):
    """A request about an account that cannot be honoured, with a message for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
