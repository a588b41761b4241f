"""/healthz: whether this worker and its database answer, for a load balancer."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .. import database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    if not database.reachable():
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
