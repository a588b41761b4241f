"""The front door: a landing page for visitors, "my groups" for members."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..models import Assignment
from ..services import groups, readings, schedule

bp = Blueprint("home", __name__)
NEXT_UP = 5  # readings in the "Next up" list; each group's card shows its own next one


@bp.get("/")
def index() -> str:
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    upcoming = schedule.next_due_for(user=current_user, limit=None)
    next_by_group: dict[int, Assignment] = {}
    for assignment in upcoming:  # soonest first, so the first per group is its next
        next_by_group.setdefault(assignment.group_id, assignment)
    return render_template(
        "home/index.html",
        groups=groups.groups_of(current_user),
        next_due=upcoming[:NEXT_UP],
        next_by_group=next_by_group,
        read=readings.read_ids(user=current_user, readings=[a.reading for a in upcoming]),
    )
