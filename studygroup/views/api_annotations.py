"""The W3C Web Annotation API: a container per reading, and each annotation as a resource."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user
from werkzeug.exceptions import UnprocessableEntity

from ..errors import render_error
from ..extensions import db
from ..models import Annotation, Reading
from ..page_cache import PageCache
from ..permissions import Actor, Permission, require
from ..presenters.annotation_input import NewReply, parse_changes, parse_new, parse_target
from ..presenters.annotations import MEDIA_TYPE, Links, annotation_json, collection_json
from ..services.annotations import (
    AnnotationError,
    CollectionStamp,
    collection_stamp,
    create_annotation,
    get_annotation,
    reattach_annotation,
    update_annotation,
    visible_annotations,
)
from ..services.threads import Facts, create_reply, delete_annotation, facts_for
from ..services.votes import Tally, tally
from .api_support import api_login_required, json_body

bp = Blueprint("api_annotations", __name__, url_prefix="/api")
# Bump when the JSON shape changes, so no client or cache keeps the old one.
FORMAT_VERSION = "1"


@bp.errorhandler(AnnotationError)
def invalid_annotation(error: AnnotationError) -> tuple[Response | str, int]:
    return render_error(UnprocessableEntity(description=str(error)))


def ld_json(data: dict[str, Any] | bytes, status: int = 200, **headers: str) -> Response:
    """Annotation resources go out as JSON-LD with the Web Annotation profile."""
    body = data if isinstance(data, bytes) else current_app.json.dumps(data, sort_keys=False)
    return Response(body, status, headers=headers, content_type=MEDIA_TYPE)


def load_annotation(annotation_id: int, permission: Permission) -> tuple[Annotation, Actor]:
    annotation = get_annotation(annotation_id) or abort(404)
    return annotation, require(permission, annotation)


def present(
    annotation: Annotation,
    actor: Actor,
    status: int = 200,
    facts: Facts | None = None,
    **headers: str,
) -> Response:
    links = Links.for_reading(annotation.reading_id)
    facts = facts or facts_for(annotation, user_id=actor.user_id)
    data = annotation_json(annotation, actor=actor, links=links, facts=facts)
    return ld_json(data, status, **headers)


def collection_etag(stamp: CollectionStamp) -> str:
    """The host is part of it: the cached page holds absolute URLs."""
    key = repr((FORMAT_VERSION, request.url_root, stamp))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@bp.get("/readings/<int:reading_id>/annotations/")
@api_login_required
def index(reading_id: int) -> Response:
    reading = db.session.get(Reading, reading_id) or abort(404)
    actor = require(Permission.VIEW_READING, reading)
    etag = collection_etag(collection_stamp(reading=reading, actor=actor))
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    pages = PageCache.of(current_app)
    page = pages.get(etag)
    if page is None:
        items = visible_annotations(reading=reading, actor=actor)
        votes = tally(where=Annotation.reading_id == reading.id, user_id=actor.user_id)
        links, facts = Links.for_reading(reading.id), Facts.of(items, votes)
        data = collection_json(reading, items, actor=actor, links=links, facts=facts)
        page = pages.put(etag, current_app.json.dumps(data, sort_keys=False).encode())
    return ld_json(page, ETag=f'"{etag}"')


@bp.post("/readings/<int:reading_id>/annotations/")
@api_login_required
def create(reading_id: int) -> Response:
    reading = db.session.get(Reading, reading_id) or abort(404)
    actor = require(Permission.ANNOTATE, reading)
    new = parse_new(json_body())
    if isinstance(new, NewReply):
        return create_reply_in(reading, new)
    annotation = create_annotation(
        reading=reading,
        author=current_user,
        motivation=new.motivation,
        target=new.target,
        body=new.body,
        visibility=new.visibility,
        color=new.color,
    )
    location = Links.for_reading(reading.id).annotation_prefix + str(annotation.id)
    fresh = Facts.of([annotation], Tally())  # no replies or votes yet: nothing to query
    return present(annotation, actor, 201, facts=fresh, Location=location)


def create_reply_in(reading: Reading, new: NewReply) -> Response:
    """A reply goes to the reading its parent annotates."""
    parent, actor = load_annotation(new.parent_id, Permission.REPLY)
    if parent.reading_id != reading.id:
        abort(422, description="The target annotation belongs to another reading.")
    reply = create_reply(parent=parent, author=current_user, body=new.body)
    location = Links.for_reading(reading.id).annotation_prefix + str(reply.id)
    return present(reply, actor, 201, Location=location)


@bp.get("/annotations/<int:annotation_id>")
@api_login_required
def show(annotation_id: int) -> Response:
    annotation, actor = load_annotation(annotation_id, Permission.VIEW_ANNOTATION)
    return present(annotation, actor)


@bp.patch("/annotations/<int:annotation_id>")
@api_login_required
def update(annotation_id: int) -> Response:
    annotation, actor = load_annotation(annotation_id, Permission.EDIT_ANNOTATION)
    changes = parse_changes(json_body())
    update_annotation(
        annotation, body=changes.body, visibility=changes.visibility, color=changes.color
    )
    return present(annotation, actor)


@bp.delete("/annotations/<int:annotation_id>")
@api_login_required
def delete(annotation_id: int) -> tuple[str, int]:
    annotation, _actor = load_annotation(annotation_id, Permission.DELETE_ANNOTATION)
    delete_annotation(annotation)
    return "", 204


@bp.post("/annotations/<int:annotation_id>/reattach")
@api_login_required
def reattach(annotation_id: int) -> Response:
    annotation, actor = load_annotation(annotation_id, Permission.REATTACH_ANNOTATION)
    reattach_annotation(annotation, target=parse_target(json_body()))
    return present(annotation, actor)
