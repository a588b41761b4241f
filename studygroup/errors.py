"""Errors negotiate: JSON for /api/*, a friendly page for people; never a traceback."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

# Messages people can act on, where Werkzeug's defaults speak to programmers.
FRIENDLY_MESSAGES = {
    404: "We couldn't find that page. It may have been removed, or you may not have access.",
    413: "That upload is too large: files can be at most 2 MB.",
    429: "Too many attempts. Please wait a minute and try again.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}
PAGES = frozenset({400, 401, 403, 404, 405, 413, 422, 429, 500})


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_code(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_").replace("'", "")


def error_message(error: HTTPException) -> str:
    status = error.code or 500
    default = type(error).description
    if error.description and error.description != default:
        return error.description
    return FRIENDLY_MESSAGES.get(status, error.description or "")


def render_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    message = error_message(error)
    if wants_json():
        return jsonify(error={"code": error_code(error), "message": message}), status
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    return render_template(template, error=error, status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        error.description = (
            "This form has expired or was sent from another site. Reload the page and try again."
        )
        return render_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error  # redirects raised by routing (e.g. a missing trailing slash)
        return render_error(error)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError) -> tuple[Response | str, int]:
        return render_error(InternalServerError())
