"""JSON for scripts: a reading's dashboard and heatmap, with the pages' permissions."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Reading
from ..permissions import Permission, require
from ..presenters.insights import dashboard_json, stretch_json
from ..services import insights
from .api_support import api_login_required
from .insights import dashboard_for

bp = Blueprint("api_insights", __name__, url_prefix="/api")


def _reading_or_404(reading_id: int) -> Reading:
    return db.session.get(Reading, reading_id) or abort(404)


@bp.get("/readings/<int:reading_id>/dashboard")
@api_login_required
def dashboard(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    actor = require(Permission.VIEW_DASHBOARD, reading)
    return jsonify(dashboard_json(reading, dashboard_for(reading, actor)))


@bp.get("/readings/<int:reading_id>/heatmap")
@api_login_required
def heatmap(reading_id: int) -> Response:
    reading = _reading_or_404(reading_id)
    require(Permission.VIEW_HEATMAP, reading)
    stretches = insights.heatmap(reading=reading)
    return jsonify(
        reading_id=reading.id,
        revision=reading.current_revision,
        stretches=[stretch_json(stretch) for stretch in stretches],
    )
