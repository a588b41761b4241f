"""What every JSON endpoint needs: a login check that answers 401 and a strict body reader."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


def api_login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            abort(401, description="Log in, or send 'Authorization: Bearer <token>'.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        abort(415, description="Send JSON with 'Content-Type: application/json'.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="The request body must be a JSON object.")
    return data


def string_field(data: dict[str, Any], name: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(name, None if required else "")
    if value is None or (required and isinstance(value, str) and not value.strip()):
        abort(422, description=f"'{name}' is required.")
    if not isinstance(value, str):
        abort(422, description=f"'{name}' must be a string.")
    if len(value) > max_length:
        abort(422, description=f"'{name}' must be at most {max_length} characters.")
    return value
