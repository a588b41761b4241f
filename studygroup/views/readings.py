"""Reading pages: add, read, edit (a new revision), history and diffs, delete, mark as read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms.readings import ReadingForm
from ..models import Group, Reading
from ..permissions import Permission, allowed, require
from ..presenters.readings import outcome_message
from ..services import readings, revisions
from ..uploads import UploadError

bp = Blueprint("readings", __name__)

Page = Response | tuple[str, int]


def _reading_or_404(reading_id: int) -> Reading:
    return db.get_or_404(Reading, reading_id)


def _form_error(form: ReadingForm, error: UploadError | readings.ReadingError) -> None:
    """Show a service's complaint next to the field it is about."""
    field = "upload" if isinstance(error, UploadError) else error.field or "body"
    getattr(form, field).errors.append(str(error))


@bp.route("/groups/<int:group_id>/readings/new", methods=["GET", "POST"])
@login_required
def create(group_id: int) -> Page:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.MANAGE_READINGS, group)
    form = ReadingForm()
    if form.validate_on_submit():
        try:
            fields = form.reading_fields()
            reading = readings.create_reading(group=group, creator=current_user, **fields)
        except (UploadError, readings.ReadingError) as error:
            _form_error(form, error)
        else:
            flash(f"“{reading.title}” is in the library. Schedule it when you're ready.", "success")
            return redirect(url_for(".show", reading_id=reading.id))
    page = render_template("readings/new.html", group=group, actor=actor, form=form)
    return page, 400 if request.method == "POST" else 200


@bp.get("/readings/<int:reading_id>")
@login_required
def show(reading_id: int) -> str:
    reading = _reading_or_404(reading_id)
    actor = require(Permission.VIEW_READING, reading)
    return render_template(
        "readings/reader.html",
        reading=reading,
        revision=readings.current_revision(reading),
        facilitator=allowed(actor, Permission.MANAGE_READINGS, reading),
        read=readings.has_read(user=current_user, reading=reading),
        heatmap=allowed(actor, Permission.VIEW_HEATMAP, reading),
    )


@bp.route("/readings/<int:reading_id>/edit", methods=["GET", "POST"])
@login_required
def edit(reading_id: int) -> Page:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    form = ReadingForm.for_revision(reading, readings.current_revision(reading))
    if form.validate_on_submit():
        try:
            fields, base = form.reading_fields(), form.base_revision_number()
            outcome = revisions.edit_reading(
                reading=reading, editor=current_user, base_revision=base, **fields
            )
        except (UploadError, readings.ReadingError) as error:
            _form_error(form, error)
        else:
            flash(outcome_message(outcome), "success")
            return redirect(url_for(".show", reading_id=reading.id))
    page = render_template("readings/edit.html", reading=reading, form=form)
    return page, 400 if request.method == "POST" else 200


@bp.get("/readings/<int:reading_id>/revisions")
@login_required
def history(reading_id: int) -> str:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    return render_template(
        "readings/revisions.html", reading=reading, revisions=revisions.revisions_of(reading)
    )


@bp.get("/readings/<int:reading_id>/revisions/<int:number>/diff")
@login_required
def diff(reading_id: int, number: int) -> str:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    if not 1 < number <= reading.current_revision:
        abort(404, description=f"This reading has no revision {number} to compare.")
    lines = revisions.revision_diff(reading=reading, number=number)
    return render_template("readings/diff.html", reading=reading, number=number, lines=lines)


@bp.post("/readings/<int:reading_id>/delete")
@login_required
def delete(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    group_id, title = reading.group_id, reading.title
    readings.delete_reading(reading=reading)
    flash(f"“{title}” and its annotations have been deleted.", "info")
    return redirect(url_for("groups.show", group_id=group_id))


@bp.post("/readings/<int:reading_id>/read")
@login_required
def mark_read(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MARK_READ, reading)
    choice = request.form.get("read")
    if choice not in ("yes", "no"):
        abort(400, description="Say whether you have read it: 'yes' or 'no'.")
    readings.set_read(reading=reading, user=current_user, read=choice == "yes")
    flash("Marked as read." if choice == "yes" else "Marked as not read yet.", "success")
    return redirect(url_for(".show", reading_id=reading.id))
