"""JSON search for scripts: the search page's results, with the same permissions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Group
from ..permissions import Permission, require
from ..services import search
from .api_support import api_login_required
from .search import filters_from, hit_url

bp = Blueprint("api_search", __name__, url_prefix="/api")


def _hit_json(hit: search.Hit) -> dict[str, Any]:
    annotation = hit.annotation
    author = annotation.author if annotation is not None else None
    passage = None
    if hit.start is not None and hit.end is not None:
        quote = annotation.exact if annotation is not None else hit.snippet[1]
        passage = {"start": hit.start, "end": hit.end, "quote": quote}
    return {
        "kind": hit.kind.value,
        "reading": {"id": hit.reading.id, "title": hit.reading.title},
        "annotation_id": annotation.id if annotation is not None else None,
        "author": None
        if author is None
        else {"id": author.id, "display_name": author.display_name},
        "passage": passage,
        "snippet": "".join(hit.snippet),
        "match": hit.snippet[1],
        "url": hit_url(hit, external=True),
    }


@bp.get("/groups/<int:group_id>/search")
@api_login_required
def index(group_id: int) -> Response:
    group = db.session.get(Group, group_id) or abort(404)
    actor = require(Permission.VIEW_GROUP, group)
    query, filters = request.args.get("q", ""), filters_from(request.args)
    try:
        hits = search.search(group=group, actor=actor, query=query, filters=filters)
    except search.SearchError as error:
        abort(400, description=str(error))
    return jsonify(query=query, hits=[_hit_json(hit) for hit in hits])
