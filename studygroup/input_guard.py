"""Hostile input stops at the door: one check of every request before any view reads it.

Every value a view can read (the path, the query string, form fields and the JSON body)
passes here first, so no view, service or query ever meets text the database cannot hold
(NUL bytes, lone UTF-16 surrogates), an integer past the database's, or JSON nested deeper than
Python can parse. Uploaded files are decoded by `uploads.decode`, which refuses NUL bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

# Ids and every other integer we store are INTEGER columns, 32-bit signed on PostgreSQL:
# anything past this cannot name a row or be stored, on any database we support.
MAX_ID = 2**31 - 1
# NUL: PostgreSQL rejects it in text. Lone surrogates: no database encodes them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = (
    "The request contains characters that cannot be stored (a NUL byte or a lone UTF-16 "
    "surrogate). Remove them and try again."
)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route matches at most 10 digits: longer is a plain 404.

    (A 10-digit id past `MAX_ID` is a 404 from `check_request`; refusing it here would
    make Werkzeug answer 405 where another method's rule has the same path.)
    """

    regex = r"\d{1,10}"
    signed_regex = r"-?\d{1,10}"


def id_in_range(digits: str) -> bool:
    """Whether a string of digits names an id the database could hold."""
    return len(digits) <= len(str(MAX_ID)) and int(digits) <= MAX_ID


def storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def _json_problem(value: Any) -> tuple[int, str] | None:
    """What makes a parsed JSON value unusable, walking it without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not storable(item):
                return 400, UNSTORABLE_MESSAGE
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -MAX_ID <= item <= MAX_ID:
                return (
                    422,
                    f"Ids and other whole numbers must lie within ±{MAX_ID}.",
                )
        elif isinstance(item, float):
            if not math.isfinite(item):
                return 400, "Numbers must be finite: JSON has no NaN or Infinity."
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _parsed_json() -> Any:
    """The body as JSON (cached for the view), or a 400 when it is not JSON at all."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        abort(400, description="The JSON body is nested too deeply.")
    if data is None and request.get_data(cache=True).strip():
        abort(400, description="The request body must be a JSON object, and this is not JSON.")
    return data


View = TypeVar("View", bound=Callable[..., Any])


def accepts_up_to(limit: int) -> Callable[[View], View]:
    """Let a view take requests of up to `limit` bytes (it answers larger input itself):
    the guard reads the form before the view runs, so the view's limit must be known here."""

    def mark(view: View) -> View:
        view.max_content_length = limit  # type: ignore[attr-defined]
        return view

    return mark


def check_request() -> None:
    """400 for a request carrying anything no view should have to handle."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "max_content_length", None)
    if limit is not None:
        request.max_content_length = limit
    if any(type(value) is int and value > MAX_ID for value in (request.view_args or {}).values()):
        abort(404)
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        texts += [*request.form.keys(), *request.form.values()]
        texts += [upload.filename or "" for upload in request.files.values()]
    if not all(storable(text) for text in texts):
        abort(400, description=UNSTORABLE_MESSAGE)
    if request.is_json and request.method not in ("GET", "HEAD", "OPTIONS"):
        problem = _json_problem(_parsed_json())
        if problem is not None:
            abort(problem[0], description=problem[1])


def init_app(app: Flask) -> None:
    """Bound `<int:...>` before any blueprint builds its rules, and guard every request."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(check_request)
