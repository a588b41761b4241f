"""No page asks another host for anything: every request of every kind of page is recorded,
with outbound links and images in the text and the comments, and must stay on our server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from studygroup.rendering import LINK_REL
from tests.conftest import PASSWORD, Factory
from tests.functional.export_support import build_circle

pytestmark = pytest.mark.browser

OUTBOUND = (
    "Read [the original](https://example.org/original) with its picture "
    "![a picture](https://img.example.org/picture.png) and <https://tracker.example.net/>."
)


def logged_in(new_page: Any, base: str, email: str, requests: list[str]) -> Any:
    page = new_page()
    page.context.on("request", lambda request: requests.append(request.url))
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def foreign(requests: list[str], base: str) -> list[str]:
    ours = urlsplit(base).netloc
    return [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != ours
    ]


def test_no_page_requests_another_host(live_server, new_page):
    base, app = live_server.url, live_server.flask_app
    circle = build_circle(app, Factory(app, counter=10))
    fran, max_ = circle.users["facilitator"], circle.users["member"]
    linked = Factory(app, counter=20).reading(
        _group(circle), fran, OUTBOUND + "\n\nMore words to read.", title="Links"
    )
    requests: list[str] = []
    page = logged_in(new_page, base, fran.email, requests)
    group, reading = f"/groups/{circle.group_id}", f"/readings/{circle.reading_id}"
    pages = [
        "/",
        reading,
        f"/readings/{linked.id}",
        reading + "/discussion",
        f"{reading}/discussion/{circle.ids['question']}",
        f"{reading}/revisions",
        group,
        group + "/questions",
        group + "/members",
        group + "/moderation",
        group + "/edit",
        group + "/delete",
        f"/annotations/{circle.ids['rude']}/history",
        "/settings/",
        "/settings/notifications",
        "/settings/delete-account",
        "/notifications",
        "/no-such-page",
    ]
    for path in pages:
        response = page.goto(base + path)
        assert response is not None
        assert response.headers["referrer-policy"] == "same-origin"
        page.wait_for_load_state("networkidle")
    # The reader as it prints, with its annotations painted.
    page.goto(base + reading)
    page.wait_for_selector("article[data-anchored]", state="attached")
    page.emulate_media(media="print")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="screen")
    # The reader offers the downloads; one comes down from our own server.
    page.get_by_text("Download", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Annotations (CSV)").click()
    assert download.value.suggested_filename == f"studygroup-reading-{circle.reading_id}.csv"
    # Outbound links in comments cannot tell their target where the reader came from.
    page.goto(f"{base}{reading}/discussion")
    link = page.locator("a[href='https://example.org/source']")
    assert link.get_attribute("rel") == LINK_REL
    assert set(LINK_REL.split()) == {"noopener", "noreferrer", "nofollow"}
    assert page.locator("img").count() == 0  # a comment's image is only its alt text

    member = logged_in(new_page, base, max_.email, requests)
    for path, status in ((group + "/edit", 403), ("/groups/99999", 404)):
        response = member.goto(base + path)
        assert response is not None and response.status == status
        member.wait_for_load_state("networkidle")
    member.goto(base + reading)
    member.wait_for_selector("article[data-anchored]", state="attached")
    member.wait_for_load_state("networkidle")

    assert len(requests) > len(pages)  # pages, their styles and scripts, the API calls
    assert foreign(requests, base) == []


def _group(circle: Any) -> Any:
    from studygroup.extensions import db
    from studygroup.models import Group

    with circle.app.app_context():
        group = db.session.get(Group, circle.group_id)
        db.session.expunge(group)
        return group
