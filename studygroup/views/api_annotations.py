"""The W3C Web Annotation container: a reading's annotations, each a resource under it."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask_login import current_user
from werkzeug import Response as WerkzeugResponse
from werkzeug.exceptions import Conflict, PreconditionFailed, UnprocessableEntity

from ..errors import render_error
from ..extensions import db
from ..models import Annotation, Reading
from ..page_cache import PageCache
from ..permissions import Actor, Permission, require
from ..presenters.annotations import timestamp
from ..services.annotations import (
    AnnotationError,
    CollectionStamp,
    StaleTargetError,
    collection_stamp,
    create_annotation,
    get_annotation,
    reattach_annotation,
    update_annotation,
    visible_annotations,
    visible_count,
)
from ..services.readings import revision_dates, revision_of
from ..services.threads import Facts, create_reply, delete_annotation, facts_for
from ..services.users import visible_user
from ..services.votes import Tally, tally
from ..w3c import protocol
from ..w3c.iris import Links, constraints_url
from ..w3c.model import CONTEXT, MEDIA_TYPE, annotation_json, collection_json, page_json
from ..w3c.parse import NewReply, parse_changes, parse_new, parse_replacement, parse_target
from .api_support import api_login_required, json_body

bp = Blueprint("api_annotations", __name__, url_prefix="/api")
# Bump when the JSON shape changes, so no client or cache keeps the old one.
FORMAT_VERSION = "2"
CONTAINER = "/readings/<int:reading_id>/annotations/"
ANNOTATION = "/readings/<int:reading_id>/annotations/<int:annotation_id>"
# What lived under an annotation's old IRI, and now lives under its new one.
MOVED_ACTIONS = "reattach, thread, vote, answer, flags, hidden, lock, edits"


@bp.errorhandler(AnnotationError)
def invalid_annotation(error: AnnotationError) -> tuple[Response | str, int]:
    if isinstance(error, StaleTargetError):
        return render_error(Conflict(description=str(error)))
    return render_error(UnprocessableEntity(description=str(error)))


def ld_json(
    data: dict[str, Any] | bytes, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Annotation resources go out as JSON-LD with the Web Annotation profile."""
    body = data if isinstance(data, bytes) else current_app.json.dumps(data, sort_keys=False)
    response = Response(body, status, headers=headers, content_type=MEDIA_TYPE)
    response.vary.add("Accept")
    return response


def links_for(reading_id: int) -> Links:
    return Links.for_reading(reading_id, revision_dates(reading_id))


def load_annotation(annotation_id: int, permission: Permission) -> tuple[Annotation, Actor]:
    annotation = get_annotation(annotation_id) or abort(404)
    return annotation, require(permission, annotation)


def in_container(
    reading_id: int, annotation_id: int, permission: Permission
) -> tuple[Annotation, Actor]:
    """An annotation through its IRI: it must live in that reading's container."""
    annotation, actor = load_annotation(annotation_id, permission)
    if annotation.reading_id != reading_id:
        abort(404)
    return annotation, actor


def _representation(
    annotation: Annotation, actor: Actor, facts: Facts | None = None, links: Links | None = None
) -> tuple[bytes, str]:
    facts = facts or facts_for(annotation, user_id=actor.user_id)
    links = links or links_for(annotation.reading_id)
    data = annotation_json(annotation, actor=actor, links=links, facts=facts)
    body = current_app.json.dumps(data, sort_keys=False).encode()
    return body, protocol.strong_etag(body)


def present(
    annotation: Annotation,
    actor: Actor,
    status: int = 200,
    facts: Facts | None = None,
    links: Links | None = None,
    **headers: str,
) -> Response:
    """`facts` and `links` where the caller has them: a new annotation needs no query."""
    body, etag = _representation(annotation, actor, facts, links)
    return ld_json(body, status, {**protocol.annotation_headers(etag), **headers})


def _check_if_match(annotation: Annotation, actor: Actor) -> None:
    """If-Match on a change: a stale ETag means someone changed it since the client read it."""
    if request.if_match and not request.if_match.star_tag:
        _body, etag = _representation(annotation, actor)
        if not request.if_match.contains(etag):
            raise PreconditionFailed(
                description="The annotation changed since you read it; GET it again "
                "and re-apply your change."
            )


def collection_etag(stamp: CollectionStamp, variant: str = "") -> str:
    """The host is part of it: the cached page holds absolute URLs."""
    key = repr((FORMAT_VERSION, request.url_root, stamp) + ((variant,) if variant else ()))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _page_items(
    reading: Reading, actor: Actor, links: Links, *, index: int | str, iris: bool
) -> tuple[int, list[Any]]:
    """How many annotations there are, and one page of them: every row is read (reply counts
    need the whole thread), only the page is serialized."""
    annotations = visible_annotations(reading=reading, actor=actor)
    chunk = annotations
    if isinstance(index, int):
        chunk = annotations[index * protocol.PAGE_SIZE : (index + 1) * protocol.PAGE_SIZE]
    if iris:
        return len(annotations), [links.annotation(a.id) for a in chunk]
    votes = tally(where=Annotation.reading_id == reading.id, user_id=actor.user_id)
    facts = Facts.of(annotations, votes)
    return len(annotations), [
        annotation_json(a, actor=actor, links=links, facts=facts) for a in chunk
    ]


def _build(
    reading: Reading,
    actor: Actor,
    *,
    page: int | str | None,
    pref: protocol.Preference,
) -> bytes:
    """The container, or one of its pages, serialized once per ETag."""
    links = links_for(reading.id)
    index = page or 0
    chunk: list[Any] = []
    if page is None and pref.minimal:
        total = visible_count(reading=reading, actor=actor)
    else:
        total, chunk = _page_items(reading, actor, links, index=index, iris=pref.iris)
    last = protocol.page_count(total) - 1
    if isinstance(page, int) and page > last:
        abort(404, description=f"This container has no page {page}.")
    body = page_json(
        chunk,
        links=links,
        index=index,
        last=last,
        start=index * protocol.PAGE_SIZE if isinstance(index, int) else 0,
        iris=pref.iris,
        revision=reading.current_revision,
    )
    if page is not None:
        data = {"@context": CONTEXT, **body}
    else:
        first = None if pref.minimal else body
        data = collection_json(
            reading, total=total, links=links, last=last, iris=pref.iris, first=first
        )
    return current_app.json.dumps(data, sort_keys=False).encode()


def _page_number() -> int | str | None:
    """?page=<i>, or ?page=all: one page of everything (what the reader asks for)."""
    value = request.args.get("page")
    if value is None or value == protocol.ALL:
        return value
    if not value.isascii() or not value.isdigit():
        abort(400, description="'page' must be a page number (0 for the first) or 'all'.")
    return int(value)


@bp.route(CONTAINER, methods=["GET", "OPTIONS"])
@api_login_required
def index(reading_id: int) -> Response:
    reading = db.session.get(Reading, reading_id) or abort(404)
    actor = require(Permission.VIEW_READING, reading)
    page = _page_number()
    pref = protocol.Preference.parse(
        request.headers.get("Prefer"), iris_query="iris" in request.args
    )
    stamp = collection_stamp(reading=reading, actor=actor)
    default = page is None and pref == protocol.Preference()
    etag = collection_etag(stamp, "" if default else f"{page}:{pref.variant}")
    if page is None:
        container = request.base_url
        location = f"{container}?iris=1" if pref.iris else container
        headers = protocol.container_headers(etag, constraints=constraints_url(), location=location)
    else:
        headers = protocol.page_headers(etag)
    if pref.applied:
        headers["Preference-Applied"] = "return=representation"
    if request.method == "OPTIONS" or request.if_none_match.contains(etag):
        response = Response(status=200 if request.method == "OPTIONS" else 304, headers=headers)
    else:
        pages = PageCache.of(current_app)
        body = pages.get(etag) or pages.put(etag, _build(reading, actor, page=page, pref=pref))
        response = ld_json(body, headers=headers)
    response.vary.update(["Accept", "Prefer"])
    return response


@bp.post(CONTAINER)
@api_login_required
def create(reading_id: int) -> Response:
    reading = db.session.get(Reading, reading_id) or abort(404)
    actor = require(Permission.ANNOTATE, reading)
    links = links_for(reading.id)
    new = parse_new(json_body(), reading=_reading_iris(reading, links))
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
    fresh = Facts.of([annotation], Tally())  # no replies or votes yet: nothing to query
    location = links.annotation(annotation.id)
    return present(annotation, actor, 201, facts=fresh, links=links, Location=location)


def _reading_iris(reading: Reading, links: Links) -> list[str]:
    """What a target's source may name: the reader's page (ours), or the reading's API IRI."""
    return [links.reader, f"{request.url_root}api/readings/{reading.id}"]


def create_reply_in(reading: Reading, new: NewReply) -> Response:
    """A reply goes to the reading its parent annotates."""
    parent, actor = load_annotation(new.parent_id, Permission.REPLY)
    if parent.reading_id != reading.id:
        abort(422, description="The target annotation belongs to another reading.")
    reply = create_reply(parent=parent, author=current_user, body=new.body)
    return present(reply, actor, 201, Location=links_for(reading.id).annotation(reply.id))


@bp.route(ANNOTATION, methods=["GET", "OPTIONS"])
@api_login_required
def show(reading_id: int, annotation_id: int) -> Response:
    annotation, actor = in_container(reading_id, annotation_id, Permission.VIEW_ANNOTATION)
    body, etag = _representation(annotation, actor)
    headers = protocol.annotation_headers(etag)
    if request.method == "OPTIONS" or request.if_none_match.contains(etag):
        response = Response(status=200 if request.method == "OPTIONS" else 304, headers=headers)
        response.vary.add("Accept")
        return response
    return ld_json(body, headers=headers)


@bp.put(ANNOTATION)
@api_login_required
def replace(reading_id: int, annotation_id: int) -> Response:
    """PUT: the whole annotation again, with its changes; the passage moves only by reattach."""
    annotation, actor = in_container(reading_id, annotation_id, Permission.EDIT_ANNOTATION)
    _check_if_match(annotation, actor)
    changes = parse_replacement(json_body(), annotation=annotation)
    update_annotation(
        annotation, body=changes.body, visibility=changes.visibility, color=changes.color
    )
    return present(annotation, actor)


@bp.patch(ANNOTATION)
@api_login_required
def update(reading_id: int, annotation_id: int) -> Response:
    annotation, actor = in_container(reading_id, annotation_id, Permission.EDIT_ANNOTATION)
    _check_if_match(annotation, actor)
    changes = parse_changes(json_body())
    update_annotation(
        annotation, body=changes.body, visibility=changes.visibility, color=changes.color
    )
    return present(annotation, actor)


@bp.delete(ANNOTATION)
@api_login_required
def delete(reading_id: int, annotation_id: int) -> tuple[str, int]:
    annotation, actor = in_container(reading_id, annotation_id, Permission.DELETE_ANNOTATION)
    _check_if_match(annotation, actor)
    delete_annotation(annotation)
    return "", 204


@bp.route("/annotations/<int:annotation_id>", methods=["GET", "PUT", "PATCH", "DELETE"])
@bp.route(
    "/annotations/<int:annotation_id>/<any(" + MOVED_ACTIONS + "):action>",
    methods=["GET", "PUT", "POST", "DELETE"],
)
@api_login_required
def moved(annotation_id: int, action: str = "") -> WerkzeugResponse:
    """The IRIs of before the container held its annotations: 308 keeps method and body."""
    annotation, _actor = load_annotation(annotation_id, Permission.VIEW_ANNOTATION)
    iri = links_for(annotation.reading_id).annotation(annotation.id)
    return redirect(f"{iri}/{action}" if action else iri, 308)


@bp.post(ANNOTATION + "/reattach")
@api_login_required
def reattach(reading_id: int, annotation_id: int) -> Response:
    annotation, actor = in_container(reading_id, annotation_id, Permission.REATTACH_ANNOTATION)
    links = links_for(annotation.reading_id)
    target = parse_target(json_body(), reading=_reading_iris(annotation.reading, links))
    reattach_annotation(annotation, target=target)
    return present(annotation, actor)


@bp.get("/readings/<int:reading_id>/revisions/<int:number>")
@api_login_required
def revision(reading_id: int, number: int) -> Response:
    """A revision's text: what the selectors of a target in that state refer to."""
    reading = db.session.get(Reading, reading_id) or abort(404)
    require(Permission.VIEW_READING, reading)
    try:
        found = revision_of(reading, number)
    except LookupError:
        abort(404, description=f"This reading has no revision {number}.")
    return ld_json(
        {
            "@context": CONTEXT,
            "id": request.base_url,
            "type": "Text",
            "format": "text/plain",
            "revision": found.number,
            "current": found.number == reading.current_revision,
            "created": timestamp(found.created_at),
            "value": found.text,
        }
    )


@bp.get("/users/<int:user_id>")
@api_login_required
def user(user_id: int) -> Response:
    """A creator's IRI: known to the people who share a group with them."""
    person = visible_user(viewer_id=current_user.id, user_id=user_id) or abort(404)
    return ld_json(
        {"@context": CONTEXT, "id": request.base_url, "type": "Person", "name": person.display_name}
    )


@bp.get("/constraints")
def constraints() -> str:
    """What the container accepts, for ldp#constrainedBy: a page anyone may read."""
    return render_template("api/constraints.html")
