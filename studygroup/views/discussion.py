"""Discussion pages: a reading's threads, one thread, a group's questions, moderation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from ..extensions import db
from ..models import Annotation, Group, Reading
from ..permissions import Actor, Permission, allowed, require
from ..presenters.annotations import abilities, shows_body, state_key
from ..services import moderation
from ..services.annotations import collection_stamp, get_annotation
from ..services.questions import State, group_questions
from ..services.threads import Facts, Sort, find_node, load_thread, reading_discussion
from .api_annotations import collection_etag

bp = Blueprint("discussion", __name__)

# Replies nest this deep on a page; deeper ones continue on the thread's own page.
MAX_DEPTH = 4


def _choice(name: str, choices: type[Sort] | type[State], default: str) -> Any:
    value = request.args.get(name, default)
    if value not in {choice.value for choice in choices}:
        allowed = ", ".join(choice.value for choice in choices)
        abort(400, description=f"'{name}' must be one of: {allowed}.")
    return choices(value)


def _page_helpers(actor: Actor, facts: Facts) -> dict[str, Callable[..., Any]]:
    """What the thread macros ask of each annotation."""
    return {
        "can": partial(abilities, actor=actor, facts=facts),
        "state_key": partial(state_key, facts=facts),
        "is_locked": lambda annotation: annotation.thread_id in facts.locked,
    }


@bp.get("/readings/<int:reading_id>/discussion")
@login_required
def reading(reading_id: int) -> str:
    reading = db.get_or_404(Reading, reading_id)
    actor = require(Permission.VIEW_READING, reading)
    sort = _choice("sort", Sort, Sort.POSITION.value)
    # The stamp is taken first: whatever changes after it shows up as "new" in the page.
    etag = collection_etag(collection_stamp(reading=reading, actor=actor))
    discussion = reading_discussion(reading=reading, actor=actor, sort=sort)
    return render_template(
        "discussion/reading.html",
        reading=reading,
        actor=actor,
        threads=discussion.threads,
        sort=sort,
        sorts=list(Sort),
        etag=etag,
        moderate=allowed(actor, Permission.MODERATE, reading),
        max_depth=MAX_DEPTH,
        **_page_helpers(actor, discussion.facts),
    )


@bp.get("/readings/<int:reading_id>/discussion/<int:annotation_id>")
@login_required
def thread(reading_id: int, annotation_id: int) -> str:
    """One reply and everything under it: where "continue this thread" leads."""
    annotation = get_annotation(annotation_id) or abort(404)
    actor = require(Permission.VIEW_ANNOTATION, annotation)
    if annotation.reading_id != reading_id:
        abort(404)
    root, facts = load_thread(annotation=annotation, actor=actor)
    focus = find_node(root, annotation.id) or abort(404)
    return render_template(
        "discussion/thread.html",
        reading=annotation.reading,
        actor=actor,
        root=root,
        focus=focus,
        max_depth=MAX_DEPTH,
        **_page_helpers(actor, facts),
    )


@bp.get("/groups/<int:group_id>/questions")
@login_required
def questions(group_id: int) -> str:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.VIEW_GROUP, group)
    state = _choice("state", State, State.OPEN.value)
    listing = group_questions(group=group, actor=actor, state=state)
    return render_template(
        "discussion/questions.html",
        group=group,
        actor=actor,
        read_body=lambda annotation: shows_body(annotation, actor),
        listing=listing,
        state=state,
        states=list(State),
    )


@bp.get("/groups/<int:group_id>/moderation")
@login_required
def moderation_page(group_id: int) -> str:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.MODERATE, group)
    overview = moderation.overview(group=group, actor=actor)
    return render_template(
        "discussion/moderation.html", group=group, actor=actor, overview=overview
    )


@bp.get("/annotations/<int:annotation_id>/history")
@login_required
def history(annotation_id: int) -> str:
    """Earlier versions of an edited annotation, for facilitators."""
    annotation: Annotation = get_annotation(annotation_id) or abort(404)
    require(Permission.MODERATE, annotation)
    edits = moderation.edit_history(annotation=annotation)
    return render_template("discussion/history.html", annotation=annotation, edits=edits)
