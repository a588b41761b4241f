"""Search a group's readings and annotations: the page, and the query-string reader the API
shares with it."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import login_required

from ..extensions import db
from ..models import Group
from ..permissions import Permission, require
from ..services import search
from ..services.groups import members_of
from ..services.readings import readings_of

bp = Blueprint("search", __name__)


def _whole_number(args: Mapping[str, str], name: str) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400, description=f"'{name}' must be an id (a whole number).")
    return int(raw)


def filters_from(args: Mapping[str, str]) -> search.Filters:
    """The filters of a search URL: kind, reading, author and open questions."""
    kind = args.get("kind", "").strip()
    if kind and kind not in {choice.value for choice in search.Kind}:
        allowed = ", ".join(choice.value for choice in search.Kind)
        abort(400, description=f"'kind' must be one of: {allowed}.")
    return search.Filters(
        kind=search.Kind(kind) if kind else None,
        reading_id=_whole_number(args, "reading"),
        author_id=_whole_number(args, "author"),
        open_questions=args.get("open", "") in ("1", "true", "on"),
    )


def hit_url(hit: search.Hit, *, external: bool = False) -> str:
    """Into the reader: at the annotation, or at the passage of the reading's text."""
    anchor = None
    if hit.annotation is not None:
        anchor = f"annotation-{hit.annotation.id}"
    elif hit.start is not None:
        anchor = f"passage-{hit.start}-{hit.end}"
    return url_for("readings.show", reading_id=hit.reading.id, _anchor=anchor, _external=external)


@bp.get("/groups/<int:group_id>/search")
@login_required
def page(group_id: int) -> tuple[str, int]:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.VIEW_GROUP, group)
    filters, query = filters_from(request.args), request.args.get("q", "")
    hits, error = None, None
    if query.strip():
        try:
            hits = search.search(group=group, actor=actor, query=query, filters=filters)
        except search.SearchError as problem:
            error = str(problem)
    page = render_template(
        "search/index.html",
        group=group,
        actor=actor,
        query=query,
        filters=filters,
        kinds=list(search.Kind),
        readings=readings_of(group),
        members=members_of(group),
        hits=hits,
        error=error,
        hit_url=hit_url,
    )
    return page, 400 if error else 200
