"""Registration, login, logout and password reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..forms.accounts import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from ..mail import mail_enabled, send_mail
from ..models import User
from ..services import tokens, users
from .redirects import safe_next

bp = Blueprint("auth", __name__)

LOGIN_LIMIT_MESSAGE = "Too many login attempts. Please wait a minute before trying again."


def _login_limit_per_ip() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_IP"])


def _login_limit_per_account() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def _submitted_email() -> str:
    return "login:" + users.normalize_email(request.form.get("email", ""))


def _start_session(user: User, remember: bool = False) -> None:
    session.clear()  # a fresh session on every login: no fixation
    login_user(user, remember=remember)
    session.permanent = True


@bp.route("/register", methods=["GET", "POST"])
def register() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("home.index")))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
            )
        except users.AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            _start_session(user)
            flash(f"Welcome to Studygroup, {user.display_name}!", "success")
            return redirect(safe_next(url_for("home.index")))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit_per_ip, methods=["POST"], error_message=LOGIN_LIMIT_MESSAGE)
@limiter.limit(
    _login_limit_per_account,
    key_func=_submitted_email,
    methods=["POST"],
    error_message=LOGIN_LIMIT_MESSAGE,
)
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("home.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next(url_for("home.index")))
        form.password.errors.append("That email and password don't match an account.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout() -> Response:
    users.end_all_sessions(current_user)  # also voids remember-me cookies everywhere
    if request.form.get("revoke_tokens") == "yes":
        tokens.revoke_all_tokens(user=current_user)
    logout_user()
    session.clear()
    flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset-password", methods=["GET", "POST"])
def request_reset() -> Response | str:
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = users.find_by_email(form.email.data)
        if user is not None and mail_enabled():
            link = url_for("auth.reset", token=users.password_reset_token(user), _external=True)
            send_mail(
                to=user.email,
                subject="Reset your Studygroup password",
                body=f"Follow this link within an hour to choose a new password:\n\n{link}\n\n"
                "If you didn't ask for this, ignore this email.",
            )
        flash(
            "If an account uses that address, we've emailed it a link to reset the password.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form, mail_enabled=mail_enabled())


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response | str | tuple[str, int]:
    user = users.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(user, current=None, new=form.password.data)
        except users.AccountError as error:
            form.password.errors.append(str(error))
        else:
            flash("Your password has been changed. Log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200
