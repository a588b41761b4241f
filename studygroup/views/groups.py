"""Group pages: create, settings, invitations and members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms.groups import GroupForm
from ..models import Group, Membership, Role
from ..permissions import Permission, allowed, require
from ..services import groups, readings, schedule

bp = Blueprint("groups", __name__)


def _group_or_404(group_id: int) -> Group:
    return db.get_or_404(Group, group_id)


def _member_or_404(group: Group, user_id: int) -> Membership:
    member = groups.membership(group, user_id)
    if member is None:
        abort(404)
    return member


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def create() -> Response | tuple[str, int]:
    form = GroupForm()
    if form.validate_on_submit():
        group = groups.create_group(
            creator=current_user, name=form.name.data, description=form.description.data or ""
        )
        flash(f"“{group.name}” is ready. Share the invite link to bring people in.", "success")
        return redirect(url_for(".members", group_id=group.id))
    return render_template("groups/new.html", form=form), 400 if form.errors else 200


@bp.get("/groups/<int:group_id>")
@login_required
def show(group_id: int) -> str:
    group = _group_or_404(group_id)
    actor = require(Permission.VIEW_GROUP, group)
    plan = schedule.schedule_for(group=group)
    shown = [a.reading for a in plan.this_week + plan.upcoming + plan.past] + plan.library
    return render_template(
        "groups/show.html",
        group=group,
        actor=actor,
        plan=plan,
        read=readings.read_ids(user=current_user, readings=shown),
        manage=allowed(actor, Permission.MANAGE_READINGS, group),
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int) -> Response | tuple[str, int]:
    group = _group_or_404(group_id)
    actor = require(Permission.MANAGE_GROUP, group)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        groups.update_group(
            group,
            name=form.name.data,
            description=form.description.data or "",
            requires_approval=form.requires_approval.data,
            members_see_dashboard=form.members_see_dashboard.data,
            members_see_heatmap=form.members_see_heatmap.data,
        )
        flash("The group's settings have been saved.", "success")
        return redirect(url_for(".show", group_id=group.id))
    status = 400 if form.errors else 200
    return render_template("groups/edit.html", group=group, actor=actor, form=form), status


@bp.get("/groups/<int:group_id>/members")
@login_required
def members(group_id: int) -> str:
    group = _group_or_404(group_id)
    actor = require(Permission.VIEW_GROUP, group)
    return render_template(
        "groups/members.html", group=group, actor=actor, members=groups.members_of(group)
    )


@bp.post("/groups/<int:group_id>/invite")
@login_required
def invite(group_id: int) -> Response:
    group = _group_or_404(group_id)
    require(Permission.MANAGE_GROUP, group)
    action = request.form.get("action")
    if action == "regenerate":
        groups.regenerate_invite(group)
        flash("A new invite link has been made; the old one no longer works.", "success")
    elif action in ("enable", "disable"):
        groups.set_invite_enabled(group, action == "enable")
        flash(f"The invite link is {action}d.", "success")
    else:
        abort(400, description="Unknown invite action.")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/role")
@login_required
def set_role(group_id: int, user_id: int) -> Response:
    group = _group_or_404(group_id)
    require(Permission.MANAGE_GROUP, group)
    member = _member_or_404(group, user_id)
    try:
        role = Role(request.form.get("role", ""))
        if role is Role.PENDING:
            raise ValueError(role)
    except ValueError:
        abort(400, description="Choose facilitator or member.")
    try:
        groups.set_role(group, member, role)
    except groups.MembershipError as error:
        flash(str(error), "error")
    else:
        flash(f"{member.user.display_name} is now a {role.value}.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/remove")
@login_required
def remove(group_id: int, user_id: int) -> Response:
    group = _group_or_404(group_id)
    require(Permission.MANAGE_GROUP, group)
    member = _member_or_404(group, user_id)
    name = member.user.display_name
    try:
        groups.remove_member(group, member)
    except groups.MembershipError as error:
        flash(str(error), "error")
    else:
        flash(f"{name} has been removed from the group.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/groups/<int:group_id>/leave")
@login_required
def leave(group_id: int) -> Response:
    group = _group_or_404(group_id)
    require(Permission.LEAVE_GROUP, group)
    try:
        groups.remove_member(group, _member_or_404(group, current_user.id))
    except groups.MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for(".members", group_id=group.id))
    flash(f"You have left “{group.name}”.", "info")
    return redirect(url_for("home.index"))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> Response | str:
    """Anyone may see which group invites them (a dead link says so before any login);
    joining needs an account."""
    group = groups.group_for_invite(token)
    if group is None:
        abort(404, description="This invite link is not valid any more. Ask for a new one.")
    if not current_user.is_authenticated:
        if request.method == "POST":
            return redirect(url_for("auth.login", next=request.path))
        hosts = groups.facilitator_names(group)
        return render_template("groups/invited.html", group=group, hosts=hosts)
    role = groups.role_of(current_user, group)
    if role in (Role.MEMBER, Role.FACILITATOR):
        return redirect(url_for(".show", group_id=group.id))
    if request.method == "POST":
        member = groups.join(group, current_user)
        if member.role is Role.PENDING:
            flash("Your request to join has been sent to the facilitators.", "info")
            return redirect(url_for("home.index"))
        flash(f"Welcome to “{group.name}”!", "success")
        return redirect(url_for(".show", group_id=group.id))
    return render_template("groups/join.html", group=group, pending=role is Role.PENDING)
