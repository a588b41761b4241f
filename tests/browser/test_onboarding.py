"""A newcomer's first minutes, in Chromium: register, start a group, invite a friend."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def register(page, base: str, name: str, email: str, path: str = "/register") -> None:
    page.goto(base + path)
    if "/join/" in page.url:  # the invite names the group, then offers an account
        page.get_by_role("link", name="Create an account to join").click()
    if "/login" in page.url:
        page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a good long passphrase")
    page.get_by_role("button", name="Create account").click()


def test_register_create_group_and_invite_a_friend(live_server, new_page):
    base = live_server.url
    alice = new_page()
    alice.context.grant_permissions(["clipboard-read", "clipboard-write"])
    register(alice, base, "Alice Whitaker", "alice@example.org")
    alice.get_by_role("link", name="Start a group").click()
    alice.get_by_label("Name").fill("Tuesday Reading Circle")
    alice.get_by_role("button", name="Create group").click()
    alice.get_by_role("button", name="Copy link").click()
    invite = alice.evaluate("navigator.clipboard.readText()")
    assert invite.startswith(base + "/join/")

    bob = new_page()
    bob.goto(invite)
    assert bob.get_by_text("Alice Whitaker invites you to join").is_visible()
    register(bob, base, "Bob Okonkwo-Smith", "bob@example.org", path=invite.removeprefix(base))
    bob.get_by_role("button", name="Join the group").click()
    assert bob.get_by_role("heading", name="Tuesday Reading Circle").is_visible()

    alice.reload()
    rows = alice.locator("table.members tbody tr").all()
    members = [
        (row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text())
        for row in rows
    ]
    assert members == [("Alice Whitaker (you)", "facilitator"), ("Bob Okonkwo-Smith", "member")]
    assert rows[1].get_by_role("button", name="Make facilitator").is_visible()

    alice.set_viewport_size({"width": 360, "height": 740})  # the same page on a phone
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert alice.evaluate(overflow) <= 0, "the members page scrolls sideways on a phone"
    assert rows[1].get_by_role("button", name="Remove").is_visible()


def test_logout_invalidates_the_session(live_server, new_page):
    page = new_page()
    register(page, live_server.url, "Carol", "carol@example.org")
    cookies = page.context.cookies()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("heading", name="Log in").is_visible()
    # Replaying the old cookies in another browser does not bring the session back.
    thief = new_page()
    thief.context.add_cookies(cookies)
    thief.goto(live_server.url + "/settings/")
    assert "/login" in thief.url


def test_the_app_makes_no_third_party_requests(live_server, new_page):
    page = new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    register(page, live_server.url, "Dan", "dan@example.org")
    page.goto(live_server.url + "/groups/new")
    assert hosts == {live_server.url.split("/")[2]}
