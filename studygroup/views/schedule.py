"""Schedule pages: put a reading on the group's schedule, change it, take it off."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms.readings import AssignmentForm
from ..models import Assignment, Reading
from ..permissions import Permission, require
from ..services import schedule

bp = Blueprint("schedule", __name__)


def _form_data(assignment: Assignment | None) -> dict[str, Any]:
    """An existing assignment in the form's terms, in UTC (the page's script shows local time)."""
    if assignment is None:
        return {}
    due = assignment.due_at.astimezone(UTC)
    return {
        "due_date": due.date(),
        "due_time": due.time() if assignment.due_has_time else None,
        "timezone": "",
        "position": assignment.position,
        "prompts": "\n".join(assignment.prompts),
        "post_first": assignment.post_first,
    }


@bp.route("/readings/<int:reading_id>/schedule", methods=["GET", "POST"])
@login_required
def assign(reading_id: int) -> Response | tuple[str, int]:
    reading = db.get_or_404(Reading, reading_id)
    require(Permission.MANAGE_READINGS, reading)
    form = AssignmentForm(data=_form_data(reading.assignment))
    if form.validate_on_submit():
        try:
            schedule.assign(
                reading=reading,
                due_at=form.due_at(),
                due_has_time=form.due_time.data is not None,
                position=form.position.data,
                prompts=form.prompt_list(),
                post_first=form.post_first.data,
                assigned_by=current_user,
            )
        except schedule.ScheduleError as error:
            getattr(form, error.field or "prompts").errors.append(str(error))
        else:
            flash(f"“{reading.title}” is on the schedule.", "success")
            return redirect(url_for("groups.show", group_id=reading.group_id))
    page = render_template("readings/assign.html", reading=reading, form=form)
    return page, 400 if request.method == "POST" else 200


@bp.post("/readings/<int:reading_id>/schedule/remove")
@login_required
def unassign(reading_id: int) -> Response:
    reading = db.get_or_404(Reading, reading_id)
    require(Permission.MANAGE_READINGS, reading)
    schedule.unassign(reading=reading)
    flash(f"“{reading.title}” is off the schedule; it stays in the library.", "info")
    return redirect(url_for("groups.show", group_id=reading.group_id))


@bp.app_template_filter()
def due_text(assignment: Assignment) -> str:
    """The due date as text for readers without JavaScript; the script shows local time."""
    due = assignment.due_at.astimezone(UTC)
    day = f"{due:%a} {due.day} {due:%b %Y}"
    return f"{day}, {due:%H:%M} UTC" if assignment.due_has_time else day
