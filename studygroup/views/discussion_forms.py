"""The discussion page's forms: reply, edit, delete, vote, answer, flag, moderate.

They work without JavaScript: each POST redirects back to where it came from, or shows
its form again with the error (400).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..models import Annotation
from ..permissions import Permission, require
from ..services import moderation, questions, threads, votes
from ..services.annotations import AnnotationError, get_annotation, update_annotation
from ..services.votes import VoteError
from .redirects import safe_next

bp = Blueprint("discussion_forms", __name__)

Page = Response | tuple[str, int]


def _load(annotation_id: int, permission: Permission) -> Annotation:
    annotation = get_annotation(annotation_id) or abort(404)
    require(permission, annotation)
    return annotation


def _back(annotation: Annotation, anchor: int | None = None) -> Response:
    """To the page the form was on (a local path only), at the annotation."""
    return _back_to(annotation.reading_id, anchor or annotation.id)


def _back_to(reading_id: int, anchor: int) -> Response:
    target = safe_next(url_for("discussion.reading", reading_id=reading_id))
    return redirect(f"{target}#annotation-{anchor}")


def _refused(annotation: Annotation, action: str, error: ValueError) -> tuple[str, int]:
    """The form again, with what was typed and why it was refused."""
    page = render_template(
        "discussion/action.html",
        annotation=annotation,
        action=action,
        error=str(error),
        form=request.form,
    )
    return page, 400


@bp.post("/annotations/<int:annotation_id>/replies")
@login_required
def reply(annotation_id: int) -> Page:
    parent = _load(annotation_id, Permission.REPLY)
    try:
        created = threads.create_reply(
            parent=parent, author=current_user, body=request.form.get("body", "")
        )
    except AnnotationError as error:
        return _refused(parent, "reply", error)
    return _back(parent, created.id)


@bp.route("/annotations/<int:annotation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(annotation_id: int) -> Page | str:
    annotation = _load(annotation_id, Permission.EDIT_ANNOTATION)
    if annotation.is_deleted:
        abort(404)
    if request.method == "GET":
        return render_template(
            "discussion/action.html",
            annotation=annotation,
            action="edit",
            error=None,
            form={"body": annotation.body_source},
        )
    try:
        update_annotation(annotation, body=request.form.get("body", ""))
    except AnnotationError as error:
        return _refused(annotation, "edit", error)
    flash("Your changes are saved.", "success")
    return _back(annotation)


@bp.post("/annotations/<int:annotation_id>/delete")
@login_required
def delete(annotation_id: int) -> Page:
    annotation = _load(annotation_id, Permission.DELETE_ANNOTATION)
    if annotation.is_deleted:
        abort(404)
    reading_id, anchor = annotation.reading_id, annotation.parent_id or annotation.id
    threads.delete_annotation(annotation)
    flash("Deleted.", "info")
    return _back_to(reading_id, anchor)


@bp.post("/annotations/<int:annotation_id>/vote")
@login_required
def vote(annotation_id: int) -> Page:
    annotation = _load(annotation_id, Permission.VOTE)
    choice = request.form.get("vote")
    if choice not in ("on", "off"):
        abort(400, description="Say whether to upvote: 'on' or 'off'.")
    try:
        votes.set_vote(annotation=annotation, user=current_user, on=choice == "on")
    except VoteError as error:
        return _refused(annotation, "vote", error)
    return _back(annotation)


@bp.post("/annotations/<int:annotation_id>/answer")
@login_required
def mark_answer(annotation_id: int) -> Page:
    """Mark this reply as the answer to the question its thread starts with."""
    answer = _load(annotation_id, Permission.VIEW_ANNOTATION)
    question = get_annotation(answer.root_id) if answer.root_id else None
    if question is None:
        abort(400, description="Only a reply to a question can be its answer.")
    require(Permission.MARK_ANSWER, question)
    try:
        questions.mark_answer(question=question, answer=answer, by=current_user)
    except AnnotationError as error:
        return _refused(answer, "answer", error)
    return _back(answer)


@bp.post("/annotations/<int:annotation_id>/reopen")
@login_required
def reopen(annotation_id: int) -> Page:
    question = _load(annotation_id, Permission.MARK_ANSWER)
    try:
        questions.reopen(question=question, by=current_user)
    except AnnotationError as error:
        return _refused(question, "reopen", error)
    return _back(question)


@bp.post("/annotations/<int:annotation_id>/flag")
@login_required
def flag(annotation_id: int) -> Page:
    annotation = _load(annotation_id, Permission.FLAG)
    try:
        moderation.flag(
            annotation=annotation, user=current_user, reason=request.form.get("reason", "")
        )
    except AnnotationError as error:
        return _refused(annotation, "flag", error)
    flash("Thank you: the facilitators will take a look.", "success")
    return _back(annotation)


@bp.post("/annotations/<int:annotation_id>/moderate")
@login_required
def moderate(annotation_id: int) -> Page:
    """Hide, unhide, lock, unlock or dismiss flags; each is recorded."""
    annotation = _load(annotation_id, Permission.MODERATE)
    action, reason = request.form.get("action", ""), request.form.get("reason", "")
    try:
        if action == "hide":
            moderation.hide(annotation=annotation, by=current_user, reason=reason)
        elif action == "unhide":
            moderation.unhide(annotation=annotation, by=current_user, reason=reason)
        elif action in ("lock", "unlock"):
            moderation.set_locked(
                annotation=annotation, by=current_user, locked=action == "lock", reason=reason
            )
        elif action == "dismiss":
            moderation.dismiss_flags(annotation=annotation, by=current_user)
        else:
            abort(400, description="Choose hide, unhide, lock, unlock or dismiss.")
    except AnnotationError as error:
        return _refused(annotation, action, error)
    flash("Done. The moderation log records it.", "success")
    return _back(annotation)
