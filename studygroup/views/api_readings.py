"""JSON API for readings: add, fetch with canonical text, revise (re-anchoring), schedule."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Group, Reading
from ..permissions import Permission, require
from ..presenters.readings import (
    assignment_json,
    outcome_json,
    preview_json,
    reading_json,
    reading_summary_json,
)
from ..services import imports, readings, revisions, schedule
from ..services.readings import AUTHOR_MAX, INPUT_FORMATS, SOURCE_URL_MAX, TITLE_MAX
from ..uploads import MAX_UPLOAD_BYTES
from ..w3c.parse import parse_import
from .api_support import api_login_required, json_body, string_field

bp = Blueprint("api_readings", __name__, url_prefix="/api")

FIELD_LIMITS = {
    "title": TITLE_MAX,
    "author": AUTHOR_MAX,
    "source_url": SOURCE_URL_MAX,
    "body": MAX_UPLOAD_BYTES,
    "format": 16,
    "published": 10,
}
DUE_FORMAT_HELP = (
    "'due' must be a date (2025-05-06) or a date and time with its UTC offset "
    "(2025-05-06T19:00:00+02:00)."
)


def _reading_or_404(reading_id: int) -> Reading:
    return db.session.get(Reading, reading_id) or abort(404)


def _full(reading: Reading) -> dict[str, Any]:
    revision = readings.current_revision(reading)
    return reading_json(
        reading, revision, read=readings.has_read(user=current_user, reading=reading)
    )


def _text_fields(data: dict[str, Any], defaults: dict[str, str]) -> dict[str, str]:
    """The reading's strings from a JSON body; absent ones keep their `defaults`."""
    fields: dict[str, str] = {}
    for name, limit in FIELD_LIMITS.items():
        if name in data or name not in defaults:
            required = name in ("title", "body")
            fields[name] = string_field(data, name, max_length=limit, required=required)
        else:
            fields[name] = defaults[name]
    if fields["format"] not in INPUT_FORMATS:
        abort(422, description="'format' must be one of: " + ", ".join(INPUT_FORMATS) + ".")
    if fields["published"] and readings.parse_published(fields["published"]) is None:
        abort(422, description="'published' must be a date like 2025-05-06.")
    return fields


def _new_reading_defaults(data: dict[str, Any]) -> dict[str, str]:
    """Defaults of a new reading; with a "url" and no "body", the fetched article's."""
    defaults = {"author": "", "source_url": "", "format": "auto", "published": ""}
    if data.get("preview") is True:
        defaults["title"] = ""  # a preview may come before the title is chosen
    if "url" not in data or "body" in data:
        return defaults
    url = string_field(data, "url", max_length=SOURCE_URL_MAX, required=True)
    try:
        article = readings.fetch_article(url)
    except readings.ReadingError as error:
        abort(error.status, description=str(error))
    return {
        "title": article.title,
        "author": article.author,
        "source_url": article.url,
        "published": article.date,
        "body": article.html,
        "format": "html",
    }


@bp.get("/groups/<int:group_id>/readings")
@api_login_required
def index(group_id: int) -> Response:
    group = db.session.get(Group, group_id) or abort(404)
    require(Permission.VIEW_READING, group)
    return jsonify(readings=[reading_summary_json(r) for r in readings.readings_of(group)])


@bp.post("/groups/<int:group_id>/readings")
@api_login_required
def create(group_id: int) -> tuple[Response, int] | tuple[Response, int, dict[str, str]]:
    group = db.session.get(Group, group_id) or abort(404)
    require(Permission.MANAGE_READINGS, group)
    data = json_body()
    if not isinstance(data.get("preview", False), bool):
        abort(422, description="'preview' must be true or false.")
    fields = _text_fields(data, _new_reading_defaults(data))
    try:
        if data.get("preview"):
            intake = readings.render_text(fields["body"], fields["format"])
            details = {k: fields[k] for k in ("title", "author", "source_url", "published")}
            return jsonify(preview_json(intake, details)), 200
        reading = readings.create_reading(
            group=group,
            creator=current_user,
            title=fields["title"],
            author=fields["author"],
            source_url=fields["source_url"],
            published_on=readings.parse_published(fields["published"]),
            source=fields["body"],
            source_format=fields["format"],
        )
    except readings.ReadingError as error:
        abort(error.status, description=str(error))
    location = url_for(".show", reading_id=reading.id, _external=True)
    return jsonify(_full(reading)), 201, {"Location": location}


@bp.get("/readings/<int:reading_id>")
@api_login_required
def show(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.VIEW_READING, reading)
    return jsonify(_full(reading))


@bp.patch("/readings/<int:reading_id>")
@api_login_required
def update(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    data, current = json_body(), readings.current_revision(reading)
    base = data.get("revision")
    if base is not None and (not isinstance(base, int) or isinstance(base, bool)):
        abort(422, description="'revision' must be the revision number your edit is based on.")
    fields = _text_fields(
        data,
        {
            "title": reading.title,
            "author": reading.author,
            "source_url": reading.source_url,
            "body": current.source,
            "format": current.source_format,
            "published": reading.published_on.isoformat() if reading.published_on else "",
        },
    )
    try:
        outcome = revisions.edit_reading(
            reading=reading,
            editor=current_user,
            title=fields["title"],
            author=fields["author"],
            source_url=fields["source_url"],
            source=fields["body"],
            source_format=fields["format"],
            published_on=readings.parse_published(fields["published"]),
            base_revision=base,
        )
    except readings.ReadingError as error:
        abort(error.status, description=str(error))
    return jsonify({**outcome_json(outcome), **_full(reading)})


@bp.delete("/readings/<int:reading_id>")
@api_login_required
def delete(reading_id: int) -> tuple[str, int]:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    readings.delete_reading(reading=reading)
    return "", 204


def _due(data: dict[str, Any]) -> tuple[datetime, bool]:
    """A date means "due that day"; a date and time must say its UTC offset."""
    raw = string_field(data, "due", max_length=40).strip()
    try:
        if len(raw) == len("2025-05-06"):
            return schedule.due_from_parts(date.fromisoformat(raw), None), False
        moment = datetime.fromisoformat(raw)
    except ValueError:
        abort(422, description=DUE_FORMAT_HELP)
    if moment.tzinfo is None:
        abort(422, description=DUE_FORMAT_HELP)
    return moment.astimezone(UTC), True


@bp.put("/readings/<int:reading_id>/assignment")
@api_login_required
def assign(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    data = json_body()
    due_at, has_time = _due(data)
    position, prompts = data.get("position"), data.get("prompts", [])
    if position is not None and (not isinstance(position, int) or isinstance(position, bool)):
        abort(422, description="'position' must be a whole number or null.")
    if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
        abort(422, description="'prompts' must be a list of strings.")
    post_first = data.get("post_first")
    if post_first is not None and not isinstance(post_first, bool):
        abort(422, description="'post_first' must be true or false.")
    try:
        assignment = schedule.assign(
            reading=reading,
            due_at=due_at,
            due_has_time=has_time,
            position=position,
            prompts=prompts,
            post_first=post_first,
            assigned_by=current_user,
        )
    except schedule.ScheduleError as error:
        abort(422, description=f"'{error.field}': {error}")
    return jsonify(assignment_json(assignment))


@bp.delete("/readings/<int:reading_id>/assignment")
@api_login_required
def unassign(reading_id: int) -> tuple[str, int]:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    schedule.unassign(reading=reading)
    return "", 204


@bp.route("/readings/<int:reading_id>/read", methods=["PUT", "DELETE"])
@api_login_required
def mark_read(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MARK_READ, reading)
    read = request.method == "PUT"
    readings.set_read(reading=reading, user=current_user, read=read)
    return jsonify(read=read)


@bp.post("/readings/<int:reading_id>/import")
@api_login_required
def import_annotations(reading_id: int) -> Response:
    """A W3C collection, page or list of annotations made elsewhere, found again in this text."""
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    if not request.is_json:
        abort(415, description="Send JSON-LD with 'Content-Type: application/ld+json'.")
    data = request.get_json(silent=True)
    if data is None:  # an empty body; one that is not JSON never gets here
        abort(400, description="Send an AnnotationCollection, an AnnotationPage or a list.")
    summary = imports.import_annotations(
        reading=reading, importer=current_user, items=parse_import(data)
    )
    return jsonify(asdict(summary))
