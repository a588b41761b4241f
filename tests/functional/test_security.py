"""Headers on every response, and CSRF on every state change."""

from __future__ import annotations

import pytest

from studygroup.extensions import db
from studygroup.models import User
from studygroup.services import tokens
from tests.conftest import PASSWORD, csrf_token_from


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/api/groups", "/no-such-page", "/static/css/app.css"],
    ids=["home", "login", "api-401", "404", "static"],
)
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        csp = response.headers["Content-Security-Policy"]
        headers = response.headers
    for directive in (
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_handlers(client, factory, login):
    login(factory.user())
    html = client.get("/settings/").get_data(as_text=True)
    assert "<script>" not in html and "<script " in html
    assert all('src="' in tag for tag in html.split("<script")[1:])
    assert " onclick=" not in html and " onsubmit=" not in html


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def test_forms_without_the_csrf_token_are_refused(csrf_app, factory):
    user = factory.user()
    client = csrf_app.test_client()
    refused = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert b"expired or was sent from another site" in refused.data
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    accepted = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302


def test_json_with_a_session_needs_the_csrf_header(csrf_app, factory):
    user = factory.user()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    refused = client.post("/api/groups", json={"name": "Forged"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "bad_request"
    page_token = csrf_token_from(client.get("/").get_data(as_text=True))
    accepted = client.post(
        "/api/groups", json={"name": "Mine"}, headers={"X-CSRFToken": page_token}
    )
    assert accepted.status_code == 201


def test_bearer_requests_need_no_csrf_token(csrf_app, runner, factory):
    user = factory.user()
    token = csrf_app.test_cli_runner().invoke(args=["create-token", user.email]).output.strip()
    response = csrf_app.test_client().post(
        "/api/groups", json={"name": "Scripted"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201


def test_log_out_everywhere_can_revoke_api_tokens_too(app, client, factory, login):
    """Tokens outlive a logout (they are for scripts) unless the person asks otherwise."""
    user = factory.user()
    with app.app_context():
        kept = tokens.create_token(user=db.session.get(User, user.id), label="kept")
    bearer = {"Authorization": f"Bearer {kept}"}
    login(user)
    page = client.get("/settings/")
    assert "Also revoke all my API tokens" in page.text and "Last used" in page.text
    client.post("/logout")
    assert client.get("/api/groups", headers=bearer).status_code == 200
    login(user)
    client.post("/logout", data={"revoke_tokens": "yes"})
    assert client.get("/api/groups", headers=bearer).status_code == 401
    assert client.get("/settings/").status_code == 302
