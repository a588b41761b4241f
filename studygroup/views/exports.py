"""Downloads: one reading (CSV, Markdown, JSON-LD), a group's archive, all of my data.

The pages link here too (the session cookie counts): a download streams, and the browser's
own download progress shows how far it has got.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, request, stream_with_context
from flask_login import current_user

from ..exports.archives import account_archive, group_archive
from ..exports.formats import READING_FORMATS
from ..extensions import db
from ..models import Group, Reading
from ..permissions import Permission, require
from .api_support import api_login_required

bp = Blueprint("exports", __name__, url_prefix="/api")
ZIP = "application/zip"


def download(chunks: Iterator[bytes], *, media_type: str, filename: str) -> Response:
    """A streamed attachment; nothing of it is kept by caches on the way."""
    response = Response(stream_with_context(chunks), content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readings/<int:reading_id>/export")
@api_login_required
def reading(reading_id: int) -> Response:
    reading = db.session.get(Reading, reading_id) or abort(404)
    actor = require(Permission.EXPORT, reading)
    name = request.args.get("format", "jsonld")
    if name not in READING_FORMATS:
        abort(400, description="'format' must be one of: " + ", ".join(READING_FORMATS) + ".")
    chosen = READING_FORMATS[name]
    return download(
        chosen.render(reading, actor),
        media_type=chosen.media_type,
        filename=f"studygroup-reading-{reading.id}.{chosen.extension}",
    )


@bp.get("/groups/<int:group_id>/export")
@api_login_required
def group(group_id: int) -> Response:
    group = db.session.get(Group, group_id) or abort(404)
    actor = require(Permission.EXPORT, group)
    chunks = group_archive(group.id, actor, current_user.id)
    return download(chunks, media_type=ZIP, filename=f"studygroup-group-{group.id}.zip")


@bp.get("/me/export")
@api_login_required
def mine() -> Response:
    chunks = account_archive(current_user.id)
    return download(chunks, media_type=ZIP, filename="studygroup-my-data.zip")
