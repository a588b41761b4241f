"""Notifications: the list, the bell, preferences, and @mention suggestions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..extensions import db
from ..input_guard import MAX_ID
from ..models import EmailMode, Group, Notification, NotificationKind
from ..permissions import Permission, require
from ..services import (
    groups,
    mentions,
    notification_mail,
    notification_settings,
    notifications,
)
from ..services.notification_settings import NotificationError
from .api_support import api_login_required, json_body

bp = Blueprint("notifications", __name__)

MAX_PAGE = 10_000
MAX_IDS = 500
MAX_QUERY = 80


def _unread_for_nav() -> int:
    """The bell's count: one query per page that shows it, none for visitors."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = notifications.unread_count(user=current_user)
        except SQLAlchemyError:
            # The error page after a failed transaction must still render.
            g.unread_notifications = 0
    return int(g.unread_notifications)


@bp.app_context_processor
def bell() -> dict[str, Any]:
    return {"unread_notifications": _unread_for_nav}


def _page_arg(values: Mapping[str, str]) -> int:
    raw = values.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,5}", raw) or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, description=f"'page' must be a whole number from 1 to {MAX_PAGE}.")
    return int(raw)


@bp.get("/notifications")
@login_required
def index() -> str:
    listing = notifications.list_notifications(user=current_user, page=_page_arg(request.args))
    return render_template(
        "notifications/index.html",
        listing=listing,
        summary=notification_mail.summary,
        shown_text=notification_mail.shown_text,
        target_url=notification_mail.target_url,
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    if not notifications.owns(user=current_user, notification_id=notification_id):
        abort(404)
    notifications.mark_read(user=current_user, ids=[notification_id])
    return redirect(url_for(".index", page=_page_arg(request.form)))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read() -> Response:
    notifications.mark_read(user=current_user)
    flash("Every notification is marked read.", "success")
    return redirect(url_for(".index"))


def _preferences_from(form: MultiDict[str, str]) -> dict[str, Any]:
    """The settings form as typed values; tampered values are an error, not a guess."""
    try:
        kinds = frozenset(NotificationKind(kind) for kind in form.getlist("kind"))
        email_mode = EmailMode(form.get("email_mode", ""))
        muted = {int(group_id) for group_id in form.getlist("mute")}
    except ValueError as error:
        raise NotificationError("Choose from the options shown.") from error
    return {"kinds": kinds, "email_mode": email_mode, "muted": muted}


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings() -> Response | tuple[str, int]:
    error = None
    if request.method == "POST":
        try:
            choices = _preferences_from(request.form)
            notification_settings.save_preferences(user=current_user, **choices)
        except NotificationError as problem:
            error = str(problem)
        else:
            flash("Your notification settings have been saved.", "success")
            return redirect(url_for(".settings"))
    page = render_template(
        "notifications/settings.html",
        preferences=notification_settings.preferences_for(user=current_user),
        muted=notification_settings.muted_group_ids(user=current_user),
        groups=groups.groups_of(current_user),
        kinds=list(NotificationKind),
        modes=list(EmailMode),
        error=error,
    )
    return page, 400 if error else 200


def _notification_json(notification: Notification) -> dict[str, Any]:
    reading, actor = notification.reading, notification.actor
    return {
        "id": notification.id,
        "kind": notification.kind.value,
        "summary": notification_mail.summary(notification),
        "text": notification_mail.shown_text(notification),
        "url": notification_mail.target_url(notification),
        "group": {"id": notification.group_id, "name": notification.group.name},
        "reading": None if reading is None else {"id": reading.id, "title": reading.title},
        "annotation_id": notification.annotation_id,
        "actor": None if actor is None else {"id": actor.id, "display_name": actor.display_name},
        "created": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


def _flag(values: Mapping[str, str], name: str) -> bool:
    raw = values.get(name, "0").lower()
    if raw not in ("0", "1", "true", "false"):
        abort(400, description=f"'{name}' must be 1 or 0.")
    return raw in ("1", "true")


@bp.get("/api/notifications")
@api_login_required
def api_index() -> Response:
    listing = notifications.list_notifications(
        user=current_user,
        page=_page_arg(request.args),
        unread_only=_flag(request.args, "unread"),
    )
    return jsonify(
        notifications=[_notification_json(n) for n in listing.items],
        unread=notifications.unread_count(user=current_user),
        page=listing.page,
        has_next=listing.has_next,
    )


def _ids_to_mark(data: dict[str, Any]) -> list[int] | None:
    """`{"ids": [...]}` names notifications; `{"all": true}` (None here) means all of them."""
    if data.keys() == {"all"} and data["all"] is True:
        return None
    ids = data.get("ids")
    if data.keys() != {"ids"} or not isinstance(ids, list):
        abort(422, description='Send {"ids": [1, 2]} or {"all": true}.')
    if not 1 <= len(ids) <= MAX_IDS:
        abort(422, description=f"'ids' must list 1 to {MAX_IDS} notification ids.")
    if not all(type(item) is int and 1 <= item <= MAX_ID for item in ids):
        abort(422, description="'ids' must be notification ids: whole numbers.")
    return ids


@bp.get("/api/notifications/unread")
@api_login_required
def api_unread() -> Response:
    """The bell's count alone: what every page polls (static/js/bell.js)."""
    return jsonify(unread=notifications.unread_count(user=current_user))


@bp.post("/api/notifications/read")
@api_login_required
def api_mark_read() -> Response:
    marked = notifications.mark_read(user=current_user, ids=_ids_to_mark(json_body()))
    return jsonify(marked=marked, unread=notifications.unread_count(user=current_user))


@bp.get("/api/groups/<int:group_id>/members/search")
@api_login_required
def search_members(group_id: int) -> Response:
    group = db.session.get(Group, group_id) or abort(404)
    require(Permission.VIEW_GROUP, group)
    query = request.args.get("q", "")
    if not query.strip() or len(query) > MAX_QUERY:
        abort(400, description=f"'q' must be 1 to {MAX_QUERY} characters of a name.")
    found = mentions.search_members(group=group, query=query, exclude_user_id=current_user.id)
    return jsonify(members=[{"id": user.id, "display_name": user.display_name} for user in found])
