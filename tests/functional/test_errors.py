"""Errors negotiate: friendly HTML pages for people, JSON for the API, never a traceback."""

from __future__ import annotations

import pytest


def test_html_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"Not found" in response.data and b"Back to the start page" in response.data


def test_api_404_is_json(client, factory, login):
    login(factory.user())
    response = client.get("/api/groups/999999")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": response.get_json()["error"]["message"]}
    }


def test_405_on_both_surfaces(client):
    assert client.delete("/login").status_code == 405
    response = client.put("/api/groups")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_413_for_oversized_requests(client, factory, login):
    login(factory.user())
    response = client.post(
        "/api/groups", data=b"x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert "2 MB" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/boom", "/api/boom"], ids=["html", "api"])
def test_unexpected_errors_show_no_traceback(make_app, path):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule(path, "boom", boom)
    response = app.test_client().get(path)
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert b"Something went wrong" in response.data


def test_403_says_who_may_do_it(client, factory, login):
    owner, member = factory.user(), factory.user()
    group = factory.group(owner)
    factory.member(group, member)
    login(member)
    page = client.get(f"/groups/{group.id}/edit")
    assert page.status_code == 403
    assert b"Only the group&#39;s facilitators can do this." in page.data
    api = client.post(f"/api/groups/{group.id}/readings", json={"title": "T", "body": "B"})
    assert api.status_code == 403
    assert api.get_json()["error"]["message"] == "Only the group's facilitators can do this."
