"""A person's own account: name, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..forms.accounts import ChangePasswordForm, DisplayNameForm, TokenForm
from ..services import tokens, users

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _page(status: int = 200, **forms: object) -> tuple[str, int]:
    context = {
        "name_form": DisplayNameForm(display_name=current_user.display_name),
        "password_form": ChangePasswordForm(),
        "token_form": TokenForm(),
        "new_token": None,
    }
    context.update(forms)
    return render_template("settings/index.html", **context), status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    return _page()


@bp.post("/name")
@login_required
def change_name() -> Response | tuple[str, int]:
    form = DisplayNameForm()
    if not form.validate_on_submit():
        return _page(400, name_form=form)
    users.change_display_name(current_user, form.display_name.data)
    flash("Your display name has been changed.", "success")
    return redirect(url_for(".index"))


@bp.post("/password")
@login_required
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(
                current_user, current=form.current_password.data, new=form.new_password.data
            )
        except users.AccountError as error:
            getattr(form, error.field or "new_password").errors.append(str(error))
        else:
            # Other sessions end; this one continues under the new session token.
            session.clear()
            login_user(current_user._get_current_object())
            session.permanent = True
            flash("Your password has been changed; other devices have been logged out.", "success")
            return redirect(url_for(".index"))
    return _page(400, password_form=form)


@bp.post("/tokens")
@login_required
def create_token() -> tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(400, token_form=form)
    token = tokens.create_token(user=current_user, label=form.label.data or "")
    return _page(new_token=token)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not tokens.revoke_token(user=current_user, token_id=token_id):
        abort(404)
    flash("The token has been revoked.", "success")
    return redirect(url_for(".index"))
