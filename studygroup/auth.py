"""Who is asking: the session cookie for pages, a bearer token for scripts."""

from __future__ import annotations

from flask import Flask, abort, redirect, request, url_for
from werkzeug.wrappers import Response

from .extensions import csrf, login_manager
from .models import User
from .services import tokens, users


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # With a bearer header only the token counts, so a cookie cannot ride along.
        if request.headers.get("Authorization"):
            return None
        return users.load_session_user(session_id)

    @login_manager.request_loader
    def load_user_from_token(_request: object) -> User | None:
        token = bearer_token()
        return tokens.user_for_token(token) if token else None

    @login_manager.unauthorized_handler
    def unauthorized() -> Response:
        if request.path.startswith("/api/"):
            abort(401, description="Log in, or send 'Authorization: Bearer <token>'.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def protect_from_csrf() -> None:
        # Browsers never attach an Authorization header on their own, so token
        # requests cannot be forged cross-site; everything else needs the CSRF token.
        if request.headers.get("Authorization"):
            if bearer_token() is None:
                abort(401, description="Only 'Authorization: Bearer <token>' is accepted.")
            return
        if app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()
