"""Reading pages: add, read, edit (a new revision), history and diffs, delete, mark as read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms.readings import ReadingForm
from ..input_guard import accepts_up_to
from ..intake import Intake
from ..models import Group, Reading
from ..permissions import Permission, allowed, require, waiting_to_post
from ..presenters.readings import outcome_message
from ..services import imports, readings, revisions
from ..uploads import MAX_UPLOAD_BYTES, UploadError
from ..w3c.parse import load_import

bp = Blueprint("readings", __name__)

Page = Response | tuple[str, int]
# The reading forms accept more than a reading may hold, so that a too-large paste comes back
# to the filled form with a message instead of an error page that loses the text.
FORM_REQUEST_MAX = 16 * 1024 * 1024


def _reading_or_404(reading_id: int) -> Reading:
    return db.get_or_404(Reading, reading_id)


def _form_error(form: ReadingForm, error: UploadError | readings.ReadingError) -> None:
    """Show a service's complaint next to the field it is about."""
    field = "upload" if isinstance(error, UploadError) else error.field or "body"
    getattr(form, "fetch_url" if field == "url" else field).errors.append(str(error))


def _reading_form(reading: Reading | None = None) -> ReadingForm:
    if reading is None:
        return ReadingForm()
    return ReadingForm.for_revision(reading, readings.current_revision(reading))


def _take_input(form: ReadingForm) -> Intake | None:
    """Bring an upload or a fetched page into the form; a preview to show, or None to save."""
    form.take_upload()
    url = form.url_to_fetch()
    if url:
        form.take_article(readings.fetch_article(url))
    if len((form.body.data or "").encode()) > MAX_UPLOAD_BYTES:
        raise RequestEntityTooLarge(
            description="The text is larger than 2 MB, the most a reading can hold. "
            "It is still in the form: shorten it or split it into two readings."
        )
    if url or request.form.get("action") == "preview":
        return readings.render_text(form.body.data or "", form.source_format.data or "")
    return None


def _form_page(template: str, form: ReadingForm, status: int, **context: object) -> Page:
    if request.method == "GET":
        status = 200
    return render_template(template, form=form, **context), status


@bp.route("/groups/<int:group_id>/readings/new", methods=["GET", "POST"])
@accepts_up_to(FORM_REQUEST_MAX)
@login_required
def create(group_id: int) -> Page:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.MANAGE_READINGS, group)
    form, preview, status = _reading_form(), None, 400
    if form.validate_on_submit():
        try:
            preview = _take_input(form)
            if preview is None:
                fields = form.reading_fields()
                reading = readings.create_reading(group=group, creator=current_user, **fields)
                flash(f"“{reading.title}” is in the library. Schedule it when ready.", "success")
                return redirect(url_for(".show", reading_id=reading.id))
            status = 200
        except (UploadError, readings.ReadingError) as error:
            _form_error(form, error)
        except RequestEntityTooLarge as error:
            form.body.errors.append(str(error.description))
            status = 413
    return _form_page("readings/new.html", form, status, group=group, actor=actor, preview=preview)


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
        waiting=waiting_to_post(actor, reading),
    )


@bp.route("/readings/<int:reading_id>/edit", methods=["GET", "POST"])
@accepts_up_to(FORM_REQUEST_MAX)
@login_required
def edit(reading_id: int) -> Page:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    form, preview, status = _reading_form(reading), None, 400
    if form.validate_on_submit():
        try:
            preview = _take_input(form)
            if preview is None:
                fields, base = form.reading_fields(), form.base_revision_number()
                outcome = revisions.edit_reading(
                    reading=reading, editor=current_user, base_revision=base, **fields
                )
                flash(outcome_message(outcome), "success")
                return redirect(url_for(".show", reading_id=reading.id))
            status = 200
        except (UploadError, readings.ReadingError) as error:
            _form_error(form, error)
        except RequestEntityTooLarge as error:
            form.body.errors.append(str(error.description))
            status = 413
    return _form_page("readings/edit.html", form, status, reading=reading, preview=preview)


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
    rows = revisions.revision_diff(reading=reading, number=number)
    return render_template("readings/diff.html", reading=reading, number=number, rows=rows)


@bp.route("/readings/<int:reading_id>/delete", methods=["GET", "POST"])
@login_required
def delete(reading_id: int) -> Page:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    if request.method == "GET":  # the confirmation, saying what goes with it
        count = readings.annotation_count(reading)
        return render_template("readings/delete.html", reading=reading, count=count), 200
    group_id, title = reading.group_id, reading.title
    readings.delete_reading(reading=reading)
    flash(f"“{title}” and its annotations have been deleted.", "info")
    return redirect(url_for("groups.show", group_id=group_id))


@bp.route("/readings/<int:reading_id>/import", methods=["GET", "POST"])
@login_required
def import_annotations(reading_id: int) -> Page:
    """Upload a W3C JSON-LD file of annotations made elsewhere; the page says what came in."""
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    upload = request.files.get("file")
    if request.method == "GET":
        return render_template("readings/import.html", reading=reading), 200
    if upload is None or not upload.filename:
        error = "Choose a .jsonld file to import."
        return render_template("readings/import.html", reading=reading, error=error), 400
    try:
        items = load_import(upload.read())
    except HTTPException as problem:
        error = problem.description or "The file could not be imported."
        return render_template("readings/import.html", reading=reading, error=error), 422
    summary = imports.import_annotations(reading=reading, importer=current_user, items=items)
    return render_template("readings/import.html", reading=reading, summary=summary), 200


@bp.post("/readings/<int:reading_id>/archive")
@login_required
def archive(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.MANAGE_READINGS, reading)
    archived = request.form.get("archived") != "no"
    readings.set_archived(reading=reading, archived=archived)
    message = "is in the archive" if archived else "is back in the library"
    flash(f"“{reading.title}” {message}.", "success")
    return redirect(url_for("groups.show", group_id=reading.group_id, _anchor="library"))


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
