"""The discussion API around annotations: threads, votes, answers, flags, moderation, preview."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import UnprocessableEntity

from ..errors import render_error
from ..extensions import db
from ..models import Group
from ..permissions import Permission, require
from ..presenters.annotations import timestamp
from ..rendering import render_comment
from ..services import moderation, questions, votes
from ..services.annotations import MAX_BODY_LENGTH, AnnotationError
from ..services.mentions import render_with_mentions
from ..services.threads import load_thread
from ..w3c.iris import parse_annotation_iri
from ..w3c.model import CONTEXT, annotation_json
from .api_annotations import ANNOTATION, in_container, ld_json, links_for, load_annotation, present
from .api_support import api_login_required, json_body, string_field

bp = Blueprint("api_discussion", __name__, url_prefix="/api")


@bp.errorhandler(AnnotationError)
@bp.errorhandler(votes.VoteError)
def refused(error: ValueError) -> tuple[Response | str, int]:
    return render_error(UnprocessableEntity(description=str(error)))


def _reason(data: dict[str, Any], *, required: bool) -> str:
    return string_field(data, "reason", max_length=moderation.REASON_MAX, required=required)


@bp.post("/preview")
@api_login_required
def preview() -> Response:
    """The comment renderer itself, so a preview always matches what will be stored."""
    data = json_body()
    body = string_field(data, "body", max_length=MAX_BODY_LENGTH, required=False)
    group_id = data.get("groupId")
    if group_id is None:
        return jsonify(html=render_comment(body))
    if type(group_id) is not int:
        abort(422, description="'groupId' must be a group's id (an integer).")
    group = db.session.get(Group, group_id) or abort(404)
    require(Permission.VIEW_GROUP, group)
    html, _mentioned = render_with_mentions(group=group, body=body)
    return jsonify(html=html)


@bp.get(ANNOTATION + "/thread")
@api_login_required
def thread(reading_id: int, annotation_id: int) -> Response:
    """The annotation's whole thread, root first, then replies by age: one query."""
    annotation, actor = in_container(reading_id, annotation_id, Permission.VIEW_ANNOTATION)
    root, facts = load_thread(annotation=annotation, actor=actor)
    links = links_for(annotation.reading_id)
    nodes, items = [root], []
    while nodes:
        node = nodes.pop(0)
        items.append(annotation_json(node.annotation, actor=actor, links=links, facts=facts))
        nodes.extend(node.children)
    return ld_json(
        {
            "@context": CONTEXT,
            "id": request.base_url,
            "type": "AnnotationCollection",
            "total": len(items),
            "first": {
                "id": f"{request.base_url}#page0",
                "type": "AnnotationPage",
                "partOf": {"id": request.base_url},
                "startIndex": 0,
                "items": items,
            },
        }
    )


@bp.put(ANNOTATION + "/vote")
@bp.delete(ANNOTATION + "/vote")
@api_login_required
def vote(reading_id: int, annotation_id: int) -> Response:
    annotation, _actor = in_container(reading_id, annotation_id, Permission.VOTE)
    on = request.method == "PUT"
    result = votes.set_vote(annotation=annotation, user=current_user, on=on)
    return jsonify(votes=result.count(annotation.id), voted=result.voted(annotation.id))


@bp.put(ANNOTATION + "/answer")
@api_login_required
def mark_answer(reading_id: int, annotation_id: int) -> Response:
    question, actor = in_container(reading_id, annotation_id, Permission.MARK_ANSWER)
    answer_id = parse_annotation_iri(json_body().get("answer"), name="answer")
    answer, _ = load_annotation(answer_id, Permission.VIEW_ANNOTATION)
    questions.mark_answer(question=question, answer=answer, by=current_user)
    return present(question, actor)


@bp.delete(ANNOTATION + "/answer")
@api_login_required
def reopen(reading_id: int, annotation_id: int) -> Response:
    question, actor = in_container(reading_id, annotation_id, Permission.MARK_ANSWER)
    questions.reopen(question=question, by=current_user)
    return present(question, actor)


@bp.post(ANNOTATION + "/flags")
@api_login_required
def flag(reading_id: int, annotation_id: int) -> tuple[Response, int]:
    annotation, _actor = in_container(reading_id, annotation_id, Permission.FLAG)
    reason = _reason(json_body(), required=True)
    moderation.flag(annotation=annotation, user=current_user, reason=reason)
    return jsonify(flagged=True), 201


@bp.put(ANNOTATION + "/hidden")
@api_login_required
def hide(reading_id: int, annotation_id: int) -> Response:
    annotation, actor = in_container(reading_id, annotation_id, Permission.MODERATE)
    reason = _reason(json_body(), required=True)
    moderation.hide(annotation=annotation, by=current_user, reason=reason)
    return present(annotation, actor)


@bp.delete(ANNOTATION + "/hidden")
@api_login_required
def unhide(reading_id: int, annotation_id: int) -> Response:
    annotation, actor = in_container(reading_id, annotation_id, Permission.MODERATE)
    moderation.unhide(annotation=annotation, by=current_user)
    return present(annotation, actor)


@bp.put(ANNOTATION + "/lock")
@bp.delete(ANNOTATION + "/lock")
@api_login_required
def lock(reading_id: int, annotation_id: int) -> Response:
    """Lock or unlock the annotation's thread; answers with the thread's root."""
    annotation, actor = in_container(reading_id, annotation_id, Permission.MODERATE)
    locked = request.method == "PUT"
    root = moderation.set_locked(annotation=annotation, by=current_user, locked=locked)
    return present(root, actor)


@bp.get(ANNOTATION + "/edits")
@api_login_required
def edits(reading_id: int, annotation_id: int) -> Response:
    """The bodies an annotation had before its edits: facilitators only."""
    annotation, _actor = in_container(reading_id, annotation_id, Permission.MODERATE)
    history = moderation.edit_history(annotation=annotation)
    return jsonify(
        edits=[
            {
                "body": edit.body_source,
                "written": timestamp(edit.written_at),
                "replaced": timestamp(edit.edited_at),
            }
            for edit in history
        ]
    )
