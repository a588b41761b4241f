"""JSON API for groups and joining them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Group
from ..permissions import Permission, allowed, require
from ..presenters.groups import group_json, invite_url
from ..services import group_imports, groups
from .api_support import api_login_required, json_body, string_field

bp = Blueprint("api_groups", __name__, url_prefix="/api")


@bp.get("/groups")
@api_login_required
def index() -> Response:
    return jsonify(groups=[group_json(g) for g in groups.groups_of(current_user)])


@bp.post("/groups")
@api_login_required
def create() -> tuple[Response, int, dict[str, Any]]:
    data = json_body()
    group = groups.create_group(
        creator=current_user,
        name=string_field(data, "name", max_length=120),
        description=string_field(data, "description", max_length=2000, required=False),
    )
    body = group_json(group, members=groups.members_of(group))
    return jsonify(body), 201, {"Location": url_for(".show", group_id=group.id, _external=True)}


@bp.post("/groups/import")
@api_login_required
def import_archive() -> tuple[Response, int, dict[str, Any]]:
    """A group's zip, exported here or elsewhere: a new group, with the importer facilitating."""
    if request.mimetype != "application/zip":
        abort(415, description="Send the group's zip with 'Content-Type: application/zip'.")
    try:
        plan = group_imports.read_group_archive(request.get_data())
        group, summaries = group_imports.import_group(plan=plan, importer=current_user)
    except group_imports.ArchiveError as error:
        abort(422, description=str(error))
    body = {
        "group": group_json(group, members=groups.members_of(group)),
        "readings": [asdict(summary) for summary in summaries],
    }
    return jsonify(body), 201, {"Location": url_for(".show", group_id=group.id, _external=True)}


@bp.get("/groups/<int:group_id>")
@api_login_required
def show(group_id: int) -> Response:
    group = db.session.get(Group, group_id) or abort(404)
    actor = require(Permission.VIEW_GROUP, group)
    data = group_json(group, members=groups.members_of(group))
    if allowed(actor, Permission.MANAGE_GROUP, group):  # so a script can invite people
        data["invite_url"] = invite_url(group)
    return jsonify(data)


@bp.post("/join/<token>")
@api_login_required
def join(token: str) -> tuple[Response, int]:
    group = groups.group_for_invite(token)
    if group is None:
        abort(404, description="This invite link is not valid any more.")
    member = groups.join(group, current_user)
    return jsonify(group=group_json(group), role=member.role.value), 200
