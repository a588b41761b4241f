"""Personal API tokens: shown once, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import ApiToken, User
from ..models.types import utcnow

TOKEN_PREFIX = "sg_"  # noqa: S105 (a public marker that makes leaked tokens greppable)
# Recording every use would turn each scripted read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, label: str) -> str:
    """Store a new token's hash and return the token itself, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user=user, label=label.strip() or "API token", token_hash=_digest(token))
    )
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if api_token is None:
        return None
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
        api_token.last_used_at = now
        db.session.commit()
    return api_token.user


def revoke_all_tokens(*, user: User) -> None:
    """What "log out everywhere" also does for scripts, when asked."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()


def revoke_token(*, user: User, token_id: int) -> bool:
    api_token = db.session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        return False
    db.session.delete(api_token)
    db.session.commit()
    return True
