"""Leaving: a person deletes their account, a facilitator deletes a group (pages and API)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms.accounts import DeleteAccountForm
from ..forms.groups import DeleteGroupForm
from ..models import Group
from ..passwords import MAX_LENGTH
from ..permissions import Permission, require
from ..services import groups, users
from .api_support import api_login_required, json_body, string_field

bp = Blueprint("leaving", __name__)


def _signed_out(message: str) -> None:
    logout_user()
    session.clear()
    flash(message, "info")


@bp.route("/settings/delete-account", methods=["GET", "POST"])
@login_required
def delete_account() -> Response | tuple[str, int]:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            users.delete_account(current_user._get_current_object(), password=form.password.data)
        except users.HandoverNeeded:
            pass  # the page lists the groups to hand over
        except users.AccountError as error:
            form.password.errors.append(str(error))
        else:
            _signed_out("Your account has been deleted. Thank you for reading with us.")
            return redirect(url_for("home.index"))
    blocked = groups.groups_needing_handover(current_user)
    page = render_template("settings/delete_account.html", form=form, blocked=blocked)
    return page, 400 if request.method == "POST" else 200


@bp.delete("/api/me")
@api_login_required
def api_delete_account() -> tuple[str, int]:
    password = string_field(json_body(), "password", max_length=MAX_LENGTH)
    try:
        users.delete_account(current_user._get_current_object(), password=password)
    except users.HandoverNeeded as error:
        abort(409, description=str(error))
    except users.AccountError as error:
        abort(403, description=str(error))
    logout_user()
    return "", 204


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@login_required
def delete_group(group_id: int) -> Response | tuple[str, int]:
    group = db.get_or_404(Group, group_id)
    actor = require(Permission.DELETE_GROUP, group)
    form = DeleteGroupForm()
    if form.validate_on_submit():
        if form.confirm_name.data.strip() == group.name:
            name = group.name
            groups.delete_group(group)
            flash(f"“{name}” and everything in it have been deleted.", "info")
            return redirect(url_for("home.index"))
        form.confirm_name.errors.append("That is not the group's name.")
    page = render_template("groups/delete.html", group=group, actor=actor, form=form)
    return page, 400 if request.method == "POST" else 200


@bp.delete("/api/groups/<int:group_id>")
@api_login_required
def api_delete_group(group_id: int) -> tuple[str, int]:
    group = db.session.get(Group, group_id) or abort(404)
    require(Permission.DELETE_GROUP, group)
    groups.delete_group(group)
    return "", 204
