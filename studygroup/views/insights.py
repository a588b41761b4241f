"""Facilitators' pages for a reading: the dashboard and the printable discussion-prep sheet."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Group, Reading
from ..permissions import Actor, Permission, allowed, require, waiting_to_post
from ..services import insights

bp = Blueprint("insights", __name__)


def dashboard_for(reading: Reading, actor: Actor) -> insights.Dashboard:
    """The whole room, or only the viewer's own row when the group keeps the table closed."""
    whole = allowed(actor, Permission.VIEW_ROOM, reading)
    room = insights.dashboard(reading=reading, only_user_id=None if whole else actor.user_id)
    return _held_back(room, reading, actor)


def _held_back(room: insights.Dashboard, reading: Reading, actor: Actor) -> insights.Dashboard:
    """Nothing of what others wrote or marked while "post before you see" waits on the actor."""
    if waiting_to_post(actor, reading):
        return replace(room, top_passages=[], open_questions=[])
    return room


def _prep(reading_id: int) -> dict[str, Any]:
    reading = db.get_or_404(Reading, reading_id)
    actor = require(Permission.VIEW_READING, reading)
    room = _held_back(insights.dashboard(reading=reading), reading, actor)
    not_read = None
    if allowed(actor, Permission.VIEW_READERS, reading):
        not_read = [row for row in room.rows if not row.read]
    return {
        "reading": reading,
        "prompts": reading.assignment.prompts if reading.assignment else [],
        "room": room,
        "threads": []
        if waiting_to_post(actor, reading)
        else insights.active_threads(reading=reading),
        "not_read": not_read,
    }


@bp.get("/readings/<int:reading_id>/dashboard")
@login_required
def dashboard(reading_id: int) -> str:
    reading = db.get_or_404(Reading, reading_id)
    actor = require(Permission.VIEW_DASHBOARD, reading)
    return render_template(
        "insights/dashboard.html",
        reading=reading,
        room=dashboard_for(reading, actor),
        whole=allowed(actor, Permission.VIEW_ROOM, reading),
        heatmap=allowed(actor, Permission.VIEW_HEATMAP, reading),
    )


@bp.get("/groups/<int:group_id>/dashboard")
@login_required
def group_dashboard(group_id: int) -> str:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.VIEW_ROOM, group)
    return render_template(
        "insights/group.html",
        group=group,
        actor=actor,
        overview=insights.group_overview(group=group),
    )


@bp.get("/readings/<int:reading_id>/prep")
@login_required
def prep(reading_id: int) -> str:
    return render_template("insights/prep.html", **_prep(reading_id))


@bp.get("/readings/<int:reading_id>/prep.md")
@login_required
def prep_markdown(reading_id: int) -> Response:
    context = _prep(reading_id)
    filename = f"prep-{reading_id}.md"
    return Response(
        render_template("insights/prep.md", **context),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
