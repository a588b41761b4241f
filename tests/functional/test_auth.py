"""Accounts through the HTTP surface: register, log in and out, passwords, sessions."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from studygroup.extensions import db
from studygroup.models import User
from tests.conftest import PASSWORD


def stored_user(app: Flask, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def register(client, **fields):
    data = {"display_name": "Ada", "email": "ada@example.org", "password": PASSWORD}
    data.update(fields)
    return client.post("/register", data=data)


def test_register_logs_in_and_hashes_the_password(app, client):
    response = register(client, email="Ada@Example.org")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert b"My groups" in client.get("/").data
    user = stored_user(app, "ada@example.org")
    assert user is not None and user.display_name == "Ada"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "short"}, b"Use 8 to 128 characters."),
        ({"password": "password123"}, b"most common passwords"),
        ({"password": "x" * 129}, b"Use 8 to 128 characters."),
        ({"email": "not-an-email"}, b"Invalid email address."),
        ({"display_name": ""}, b"This field is required."),
    ],
    ids=["too-short", "common", "too-long", "bad-email", "no-name"],
)
def test_register_rejects_bad_input(app, client, fields, message):
    response = register(client, **fields)
    assert response.status_code == 400
    assert message in response.data
    assert stored_user(app, fields.get("email", "ada@example.org")) is None


def test_register_accepts_a_64_character_password(app, client):
    assert register(client, password="Ab1-" * 16).status_code == 302


def test_register_rejects_a_taken_email(app, client, factory):
    factory.user(email="ada@example.org", name="First Ada")
    response = register(client, email="ADA@example.org")
    assert response.status_code == 400
    assert b"already exists" in response.data
    assert stored_user(app, "ada@example.org").display_name == "First Ada"


def test_login_and_wrong_password(client, factory):
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 400
    assert b"don&#39;t match an account" in response.data
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/settings/", "/settings/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
    ids=["local", "absolute", "scheme-relative", "backslash"],
)
def test_login_redirects_only_within_the_site(client, factory, next_url, expected):
    user = factory.user()
    response = client.post(
        "/login", query_string={"next": next_url}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == expected


def test_pages_need_login(client):
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/settings/")


def test_logout_ends_every_session(app, factory, login, client):
    user = factory.user()
    login(user)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/settings/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/settings/").status_code == 302
    assert other_device.get("/settings/").status_code == 302


def test_logout_voids_the_remember_me_cookie(app, factory):
    user = factory.user()
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    # A fresh client with only the remember-me cookie is logged in...
    returning = app.test_client()
    returning.set_cookie("remember_token", remember.value)
    assert returning.get("/settings/").status_code == 200
    # ...until the user logs out somewhere.
    browser.post("/logout")
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remember.value)
    assert stolen.get("/settings/").status_code == 302


def test_session_cookie_flags(client, factory):
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain HTTP in tests


def test_cookies_are_secure_over_https(make_app, factory):
    app = make_app(PREFERRED_URL_SCHEME="https")
    user = factory.user()
    response = app.test_client().post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


def test_change_password_logs_out_other_devices(app, client, factory, login):
    user = factory.user()
    login(user)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": "a much better passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/settings/").status_code == 200
    assert other_device.get("/settings/").status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"email": user.email, "password": "a much better passphrase"})
        .status_code
        == 302
    )


def test_change_password_needs_the_current_one(app, client, factory, login):
    user = factory.user()
    login(user)
    response = client.post(
        "/settings/password", data={"current_password": "nope", "new_password": "another phrase"}
    )
    assert response.status_code == 400
    assert b"current password is not correct" in response.data
    assert stored_user(app, user.email).password_hash == user.password_hash


def test_change_display_name(app, client, factory, login):
    user = factory.user(name="Old Name")
    login(user)
    assert client.post("/settings/name", data={"display_name": "  New Name "}).status_code == 302
    assert stored_user(app, user.email).display_name == "New Name"
    assert client.post("/settings/name", data={"display_name": ""}).status_code == 400
    assert stored_user(app, user.email).display_name == "New Name"


def test_login_is_rate_limited_per_account(app, factory):
    user = factory.user()
    statuses = [
        app.test_client()
        .post("/login", data={"email": user.email, "password": "wrong"})
        .status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    blocked = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many login attempts" in blocked.data


def test_login_is_rate_limited_per_address(make_app, factory):
    app = make_app(LOGIN_LIMIT_PER_IP="3 per minute")
    client = app.test_client()
    statuses = [
        client.post("/login", data={"email": f"n{i}@example.org", "password": "x"}).status_code
        for i in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    assert client.get("/login").status_code == 200  # showing the form is never limited
