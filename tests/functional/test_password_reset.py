"""Password reset: by email when SMTP is configured, by a printed link always."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD


def reset_link_from(message) -> str:
    match = re.search(r"http://localhost(/reset-password/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_emailed_reset_link_works_once(make_app, factory, smtp_server):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    user = factory.user()
    client = app.test_client()
    response = client.post("/reset-password", data={"email": user.email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == user.email
    link = reset_link_from(message)
    form = {"password": "brand new passphrase", "confirm": "brand new passphrase"}
    assert client.get(link).status_code == 200
    assert client.post(link, data=form).status_code == 302
    assert client.post(link, data=form).status_code == 400  # spent
    login = {"email": user.email, "password": "brand new passphrase"}
    assert app.test_client().post("/login", data=login).status_code == 302


def test_unknown_addresses_get_the_same_answer_and_no_mail(make_app, smtp_server):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    response = app.test_client().post("/reset-password", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_without_smtp_the_page_explains_the_command(client):
    page = client.get("/reset-password")
    assert b"flask --app studygroup reset-password" in page.data


def test_printed_link_resets_and_expires(app, runner, factory):
    user = factory.user()
    result = runner.invoke(args=["reset-password", user.email])
    assert result.exit_code == 0, result.output
    link = result.output.strip().removeprefix("http://127.0.0.1:5000")
    client = app.test_client()
    mismatch = client.post(link, data={"password": "one passphrase", "confirm": "another one"})
    assert mismatch.status_code == 400
    assert b"The passwords differ." in mismatch.data
    assert (
        client.post(
            link, data={"password": "new passphrase!", "confirm": "new passphrase!"}
        ).status_code
        == 302
    )
    old = app.test_client().post("/login", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 400


def test_tampered_or_expired_links_are_refused(make_app, runner, factory):
    app = make_app(PASSWORD_RESET_MAX_AGE=-1)
    user = factory.user()
    link = app.test_cli_runner().invoke(args=["reset-password", user.email]).output.strip()
    path = link.removeprefix("http://127.0.0.1:5000")
    assert app.test_client().get(path).status_code == 400
    assert app.test_client().get("/reset-password/garbage").status_code == 400
