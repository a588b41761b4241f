"""Every route × every role: who gets in, who is turned away, and how.

A non-member gets 404 for everything of a group (it must not learn the group exists), and
so does the facilitator of another group; a member gets 403 for what only facilitators
may do, and for what only an annotation's author may do; the anonymous are sent to log in
(pages) or told 401 (API). `test_every_route_is_in_the_matrix` keeps the table complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask

from studygroup.extensions import db
from studygroup.models import Group, Motivation, Reading, Role, User
from studygroup.services import annotations
from studygroup.services.annotations import Target
from tests.conftest import PASSWORD, Factory

ROLES = ("anonymous", "outsider", "author", "facilitator", "member", "other_facilitator")
OTHER_GROUP = "Thursday Circle"


READING_TEXT = "A short text to read, and to argue about."


@dataclass
class World:
    """A group with a facilitator and two members, a reading with one member's comment on it,
    a user from outside, and the facilitator of another group."""

    group_id: int
    invite: str
    facilitator_id: int
    member_id: int
    reading_id: int
    comment_id: int
    users: dict[str, Any] = field(default_factory=dict)


def build_world(app: Flask, factory: Factory) -> World:
    facilitator, member, outsider = factory.user(), factory.user(), factory.user()
    bystander, other_facilitator = factory.user(), factory.user()
    group = factory.group(facilitator)
    factory.member(group, member, Role.MEMBER)
    factory.member(group, bystander, Role.MEMBER)
    factory.group(other_facilitator, name=OTHER_GROUP)
    reading = factory.reading(group, facilitator, READING_TEXT)
    with app.app_context():
        invite = db.session.get(Group, group.id).invite_token
        comment = annotations.create_annotation(
            reading=db.session.get(Reading, reading.id),
            author=db.session.get(User, member.id),
            motivation=Motivation.COMMENTING,
            target=Target(start=2, end=7, exact="short"),
            body="Which *text*?",
        )
        comment_id = comment.id
    return World(
        group_id=group.id,
        invite=invite,
        facilitator_id=facilitator.id,
        member_id=member.id,
        reading_id=reading.id,
        comment_id=comment_id,
        users={
            "facilitator": facilitator,
            "author": member,
            "outsider": outsider,
            "member": bystander,
            "other_facilitator": other_facilitator,
        },
    )


@dataclass(frozen=True)
class Route:
    method: str
    rule: str
    url: Callable[[World], str]
    expected: tuple[int, int, int, int]  # anonymous, outsider, author, facilitator
    data: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | Callable[[World], dict[str, Any]] | None = None
    # A member who did not write the comment, where that differs from its author.
    member: int | None = None
    # The facilitator of another group, where that differs from an outsider's.
    other: int | None = None

    def status_for(self, role: str) -> int:
        """The facilitator of another group is an outsider here; a member is the author
        unless the row says otherwise."""
        if role == "other_facilitator":
            if self.other is not None:
                return self.other
            role = "outsider"
        if role == "member":
            return self.expected[2] if self.member is None else self.member
        return self.expected[ROLES.index(role)]


def g(world: World) -> str:
    return f"/groups/{world.group_id}"


def r(world: World) -> str:
    return f"/readings/{world.reading_id}"


def a(world: World) -> str:
    return f"/annotations/{world.comment_id}"


def iri(world: World) -> str:
    """The comment's IRI: in its reading's container."""
    return f"/api{r(world)}/annotations/{world.comment_id}"


A = "/api/readings/<int:reading_id>/annotations/<int:annotation_id>"
MOVED = (
    "/api/annotations/<int:annotation_id>/<any(reattach, thread, vote, answer, flags, hidden, "
    "lock, edits):action>"
)


def highlight(world: World) -> dict[str, Any]:
    selectors = [
        {"type": "TextQuoteSelector", "exact": "short"},
        {"type": "TextPositionSelector", "start": 2, "end": 7},
    ]
    return {"motivation": "highlighting", "target": {"selector": selectors}}


LOGIN = 302  # pages send the anonymous to the login form
NO = (LOGIN, 404, 404, 404)  # nobody may see a thing that does not exist
# fmt: off
ROUTES = [
    # Accounts
    Route("GET", "/", lambda w: "/", (200, 200, 200, 200)),
    Route("GET", "/login", lambda w: "/login", (200, 302, 302, 302)),
    Route("POST", "/login", lambda w: "/login", (400, 302, 302, 302), data={"email": "x@y.z"}),
    Route("GET", "/register", lambda w: "/register", (200, 302, 302, 302)),
    Route("POST", "/register", lambda w: "/register", (400, 302, 302, 302), data={"email": "x"}),
    Route("POST", "/logout", lambda w: "/logout", (LOGIN, 302, 302, 302)),
    Route("GET", "/reset-password", lambda w: "/reset-password", (200, 200, 200, 200)),
    Route("POST", "/reset-password", lambda w: "/reset-password", (302, 302, 302, 302),
          data={"email": "x@example.org"}),
    Route("GET", "/reset-password/<token>", lambda w: "/reset-password/x", (400, 400, 400, 400)),
    Route("POST", "/reset-password/<token>", lambda w: "/reset-password/x", (400, 400, 400, 400)),
    Route("GET", "/settings/", lambda w: "/settings/", (LOGIN, 200, 200, 200)),
    Route("POST", "/settings/name", lambda w: "/settings/name", (LOGIN, 302, 302, 302),
          data={"display_name": "Renamed"}),
    Route("POST", "/settings/password", lambda w: "/settings/password", (LOGIN, 400, 400, 400),
          data={"current_password": "wrong", "new_password": "a new passphrase"}),
    Route("POST", "/settings/tokens", lambda w: "/settings/tokens", (LOGIN, 200, 200, 200),
          data={"label": "x"}),
    Route("POST", "/settings/tokens/<int:token_id>/revoke", lambda w: "/settings/tokens/999/revoke",
          (LOGIN, 404, 404, 404)),
    # Groups
    Route("GET", "/groups/new", lambda w: "/groups/new", (LOGIN, 200, 200, 200)),
    Route("POST", "/groups/new", lambda w: "/groups/new", (LOGIN, 302, 302, 302),
          data={"name": "N"}),
    Route("GET", "/groups/<int:group_id>", g, (LOGIN, 404, 200, 200)),
    Route("GET", "/groups/<int:group_id>/edit", lambda w: g(w) + "/edit", (LOGIN, 404, 403, 200)),
    Route("POST", "/groups/<int:group_id>/edit", lambda w: g(w) + "/edit", (LOGIN, 404, 403, 302),
          data={"name": "Renamed"}),
    Route("GET", "/groups/<int:group_id>/members", lambda w: g(w) + "/members",
          (LOGIN, 404, 200, 200)),
    Route("POST", "/groups/<int:group_id>/invite", lambda w: g(w) + "/invite",
          (LOGIN, 404, 403, 302), data={"action": "regenerate"}),
    Route("POST", "/groups/<int:group_id>/members/<int:user_id>/role",
          lambda w: f"{g(w)}/members/{w.member_id}/role", (LOGIN, 404, 403, 302),
          data={"role": "facilitator"}),
    Route("POST", "/groups/<int:group_id>/members/<int:user_id>/remove",
          lambda w: f"{g(w)}/members/{w.member_id}/remove", (LOGIN, 404, 403, 302)),
    Route("POST", "/groups/<int:group_id>/leave", lambda w: g(w) + "/leave",
          (LOGIN, 404, 302, 302)),
    Route("GET", "/join/<token>", lambda w: f"/join/{w.invite}", (200, 200, 302, 302)),
    Route("POST", "/join/<token>", lambda w: f"/join/{w.invite}", (LOGIN, 302, 302, 302)),
    Route("GET", "/api/groups", lambda w: "/api/groups", (401, 200, 200, 200)),
    Route("POST", "/api/groups", lambda w: "/api/groups", (401, 201, 201, 201), json={"name": "A"}),
    Route("GET", "/api/groups/<int:group_id>", lambda w: f"/api/groups/{w.group_id}",
          (401, 404, 200, 200)),
    Route("POST", "/api/join/<token>", lambda w: f"/api/join/{w.invite}", (401, 200, 200, 200)),
    # Readings and the schedule
    Route("GET", "/groups/<int:group_id>/readings/new", lambda w: g(w) + "/readings/new",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/groups/<int:group_id>/readings/new", lambda w: g(w) + "/readings/new",
          (LOGIN, 404, 403, 302), data={"title": "T", "body": "B"}),
    Route("GET", "/readings/<int:reading_id>", r, (LOGIN, 404, 200, 200)),
    Route("GET", "/readings/<int:reading_id>/edit", lambda w: r(w) + "/edit",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/readings/<int:reading_id>/edit", lambda w: r(w) + "/edit",
          (LOGIN, 404, 403, 302), data={"title": "T", "body": "A short text, edited."}),
    Route("GET", "/readings/<int:reading_id>/revisions", lambda w: r(w) + "/revisions",
          (LOGIN, 404, 403, 200)),
    Route("GET", "/readings/<int:reading_id>/revisions/<int:number>/diff",
          lambda w: r(w) + "/revisions/1/diff", (LOGIN, 404, 403, 404)),  # 1 has no "before"
    Route("POST", "/readings/<int:reading_id>/read", lambda w: r(w) + "/read",
          (LOGIN, 404, 302, 302), data={"read": "yes"}),
    Route("GET", "/readings/<int:reading_id>/schedule", lambda w: r(w) + "/schedule",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/readings/<int:reading_id>/schedule", lambda w: r(w) + "/schedule",
          (LOGIN, 404, 403, 302), data={"due_date": "2030-01-01"}),
    Route("POST", "/readings/<int:reading_id>/schedule/remove", lambda w: r(w) + "/schedule/remove",
          (LOGIN, 404, 403, 302)),
    Route("POST", "/readings/<int:reading_id>/delete", lambda w: r(w) + "/delete",
          (LOGIN, 404, 403, 302)),
    Route("GET", "/api/groups/<int:group_id>/readings", lambda w: f"/api{g(w)}/readings",
          (401, 404, 200, 200)),
    Route("POST", "/api/groups/<int:group_id>/readings", lambda w: f"/api{g(w)}/readings",
          (401, 404, 403, 201), json={"title": "T", "body": "B"}),
    Route("GET", "/api/readings/<int:reading_id>", lambda w: "/api" + r(w), (401, 404, 200, 200)),
    Route("PATCH", "/api/readings/<int:reading_id>", lambda w: "/api" + r(w), (401, 404, 403, 200),
          json={"title": "T2"}),
    Route("DELETE", "/api/readings/<int:reading_id>", lambda w: "/api" + r(w),
          (401, 404, 403, 204)),
    Route("PUT", "/api/readings/<int:reading_id>/assignment", lambda w: f"/api{r(w)}/assignment",
          (401, 404, 403, 200), json={"due": "2030-01-01"}),
    Route("DELETE", "/api/readings/<int:reading_id>/assignment",
          lambda w: f"/api{r(w)}/assignment", (401, 404, 403, 204)),
    Route("PUT", "/api/readings/<int:reading_id>/read", lambda w: f"/api{r(w)}/read",
          (401, 404, 200, 200)),
    Route("DELETE", "/api/readings/<int:reading_id>/read", lambda w: f"/api{r(w)}/read",
          (401, 404, 200, 200)),
    # Annotations (the member wrote the comment; the facilitator did not)
    Route("GET", "/api/readings/<int:reading_id>/annotations/",
          lambda w: f"/api{r(w)}/annotations/", (401, 404, 200, 200)),
    Route("POST", "/api/readings/<int:reading_id>/annotations/",
          lambda w: f"/api{r(w)}/annotations/", (401, 404, 201, 201), json=highlight),
    Route("GET", A, iri,
          (401, 404, 200, 200)),
    Route("PUT", A, iri,
          (401, 404, 200, 403),
          json={"body": {"type": "TextualBody", "value": "Replaced"}, "motivation": "commenting"},
          member=403),
    Route("PATCH", A, iri,
          (401, 404, 200, 403), json={"body": {"type": "TextualBody", "value": "Edited"}},
          member=403),
    Route("DELETE", A, iri,
          (401, 404, 204, 403), member=403),
    Route("POST", A + "/reattach",
          lambda w: f"{iri(w)}/reattach", (401, 404, 422, 422), json=highlight, member=403),
    # Threaded discussion
    Route("POST", "/api/preview", lambda w: "/api/preview", (401, 200, 200, 200),
          json={"body": "*Hello*"}),
    Route("GET", A + "/thread", lambda w: f"{iri(w)}/thread",
          (401, 404, 200, 200)),
    Route("PUT", A + "/vote", lambda w: f"{iri(w)}/vote",
          (401, 404, 422, 200), member=200),  # nobody upvotes their own comment
    Route("DELETE", A + "/vote", lambda w: f"{iri(w)}/vote",
          (401, 404, 422, 200), member=200),
    # The member asked (commented); a comment has no answer, so both are told why not.
    Route("PUT", A + "/answer", lambda w: f"{iri(w)}/answer",
          (401, 404, 422, 422), json={}, member=403),
    Route("DELETE", A + "/answer", lambda w: f"{iri(w)}/answer",
          (401, 404, 422, 422), member=403),
    Route("POST", A + "/flags", lambda w: f"{iri(w)}/flags",
          (401, 404, 422, 201), json={"reason": "Off topic"}, member=201),
    Route("PUT", A + "/hidden", lambda w: f"{iri(w)}/hidden",
          (401, 404, 403, 200), json={"reason": "Off topic"}),
    Route("DELETE", A + "/hidden",
          lambda w: f"{iri(w)}/hidden", (401, 404, 403, 422)),  # it is not hidden
    Route("PUT", A + "/lock", lambda w: f"{iri(w)}/lock",
          (401, 404, 403, 200)),
    Route("DELETE", A + "/lock", lambda w: f"{iri(w)}/lock",
          (401, 404, 403, 422)),  # it is not locked
    Route("GET", A + "/edits", lambda w: f"{iri(w)}/edits",
          (401, 404, 403, 200)),
    # The IRIs of before the container: a permanent redirect, for those who may see it
    *[Route(method, "/api/annotations/<int:annotation_id>", lambda w: "/api" + a(w),
            (401, 404, 308, 308)) for method in ("GET", "PUT", "PATCH", "DELETE")],
    *[Route(method, MOVED, lambda w: f"/api{a(w)}/vote", (401, 404, 308, 308))
      for method in ("GET", "PUT", "POST", "DELETE")],
    Route("GET", "/api/readings/<int:reading_id>/revisions/<int:number>",
          lambda w: f"/api{r(w)}/revisions/1", (401, 404, 200, 200)),
    Route("GET", "/api/users/<int:user_id>", lambda w: f"/api/users/{w.member_id}",
          (401, 404, 200, 200)),
    Route("GET", "/api/constraints", lambda w: "/api/constraints", (200, 200, 200, 200)),
    Route("GET", "/readings/<int:reading_id>/discussion", lambda w: r(w) + "/discussion",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/readings/<int:reading_id>/discussion/<int:annotation_id>",
          lambda w: f"{r(w)}/discussion/{w.comment_id}", (LOGIN, 404, 200, 200)),
    Route("GET", "/groups/<int:group_id>/questions", lambda w: g(w) + "/questions",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/groups/<int:group_id>/moderation", lambda w: g(w) + "/moderation",
          (LOGIN, 404, 403, 200)),
    Route("GET", "/annotations/<int:annotation_id>/history", lambda w: a(w) + "/history",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/annotations/<int:annotation_id>/replies", lambda w: a(w) + "/replies",
          (LOGIN, 404, 302, 302), data={"body": "A reply"}),
    Route("GET", "/annotations/<int:annotation_id>/edit", lambda w: a(w) + "/edit",
          (LOGIN, 404, 200, 403), member=403),
    Route("POST", "/annotations/<int:annotation_id>/edit", lambda w: a(w) + "/edit",
          (LOGIN, 404, 302, 403), data={"body": "Edited"}, member=403),
    Route("POST", "/annotations/<int:annotation_id>/delete", lambda w: a(w) + "/delete",
          (LOGIN, 404, 302, 403), member=403),
    Route("POST", "/annotations/<int:annotation_id>/vote", lambda w: a(w) + "/vote",
          (LOGIN, 404, 400, 302), data={"vote": "on"}, member=302),
    # HTML forms answer a refused action with the form again and why (400).
    Route("POST", "/annotations/<int:annotation_id>/answer", lambda w: a(w) + "/answer",
          (LOGIN, 404, 400, 400)),
    Route("POST", "/annotations/<int:annotation_id>/reopen", lambda w: a(w) + "/reopen",
          (LOGIN, 404, 400, 400), member=403),
    Route("POST", "/annotations/<int:annotation_id>/flag", lambda w: a(w) + "/flag",
          (LOGIN, 404, 400, 302), data={"reason": "Off topic"}, member=302),
    Route("POST", "/annotations/<int:annotation_id>/moderate", lambda w: a(w) + "/moderate",
          (LOGIN, 404, 403, 302), data={"action": "lock"}),
    # Notifications
    Route("GET", "/notifications", lambda w: "/notifications", (LOGIN, 200, 200, 200)),
    Route("POST", "/notifications/<int:notification_id>/read",
          lambda w: "/notifications/999/read", NO),
    Route("POST", "/notifications/read-all", lambda w: "/notifications/read-all",
          (LOGIN, 302, 302, 302)),
    Route("GET", "/settings/notifications", lambda w: "/settings/notifications",
          (LOGIN, 200, 200, 200)),
    Route("POST", "/settings/notifications", lambda w: "/settings/notifications",
          (LOGIN, 302, 302, 302), data={"email_mode": "digest"}),
    Route("GET", "/api/notifications", lambda w: "/api/notifications", (401, 200, 200, 200)),
    Route("POST", "/api/notifications/read", lambda w: "/api/notifications/read",
          (401, 200, 200, 200), json={"all": True}),
    Route("GET", "/api/groups/<int:group_id>/members/search",
          lambda w: f"/api/groups/{w.group_id}/members/search?q=Reader", (401, 404, 200, 200)),
    # Intake: delete with a confirmation, archive
    Route("GET", "/readings/<int:reading_id>/delete", lambda w: r(w) + "/delete",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/readings/<int:reading_id>/archive", lambda w: r(w) + "/archive",
          (LOGIN, 404, 403, 302), data={"archived": "yes"}),
    Route("GET", "/api/notifications/unread", lambda w: "/api/notifications/unread",
          (401, 200, 200, 200)),
    # Exports, and leaving (the facilitator is the group's last: asked to hand over first)
    Route("GET", "/api/readings/<int:reading_id>/export",
          lambda w: f"/api{r(w)}/export?format=csv", (401, 404, 200, 200)),
    Route("GET", "/api/groups/<int:group_id>/export", lambda w: f"/api{g(w)}/export",
          (401, 404, 200, 200)),
    Route("GET", "/api/me/export", lambda w: "/api/me/export", (401, 200, 200, 200)),
    Route("GET", "/settings/delete-account", lambda w: "/settings/delete-account",
          (LOGIN, 200, 200, 200)),
    Route("POST", "/settings/delete-account", lambda w: "/settings/delete-account",
          (LOGIN, 302, 302, 400), data={"password": PASSWORD}, other=400),
    Route("DELETE", "/api/me", lambda w: "/api/me", (401, 204, 204, 409),
          json={"password": PASSWORD}, other=409),
    Route("GET", "/groups/<int:group_id>/delete", lambda w: g(w) + "/delete",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/groups/<int:group_id>/delete", lambda w: g(w) + "/delete",
          (LOGIN, 404, 403, 302), data={"confirm_name": "Tuesday Circle"}),
    Route("DELETE", "/api/groups/<int:group_id>", lambda w: f"/api{g(w)}",
          (401, 404, 403, 204)),
    # Insights: members see their own dashboard row and the prep sheet; the heatmap is the
    # facilitators' unless the group opens it.
    Route("GET", "/readings/<int:reading_id>/dashboard", lambda w: r(w) + "/dashboard",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/readings/<int:reading_id>/prep", lambda w: r(w) + "/prep",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/readings/<int:reading_id>/prep.md", lambda w: r(w) + "/prep.md",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/api/readings/<int:reading_id>/dashboard", lambda w: f"/api{r(w)}/dashboard",
          (401, 404, 200, 200)),
    Route("GET", "/api/readings/<int:reading_id>/heatmap", lambda w: f"/api{r(w)}/heatmap",
          (401, 404, 403, 200)),
    Route("GET", "/groups/<int:group_id>/dashboard", lambda w: g(w) + "/dashboard",
          (LOGIN, 404, 403, 200)),
    # Search
    Route("GET", "/groups/<int:group_id>/search", lambda w: g(w) + "/search?q=text",
          (LOGIN, 404, 200, 200)),
    Route("GET", "/api/groups/<int:group_id>/search",
          lambda w: f"/api/groups/{w.group_id}/search?q=text", (401, 404, 200, 200)),
    # Operations
    Route("GET", "/healthz", lambda w: "/healthz", (200, 200, 200, 200)),
    # Imports: facilitators bring annotations made elsewhere into a reading
    Route("POST", "/api/readings/<int:reading_id>/import", lambda w: f"/api{r(w)}/import",
          (401, 404, 403, 200), json={"type": "AnnotationPage", "items": []}),
    Route("GET", "/readings/<int:reading_id>/import", lambda w: r(w) + "/import",
          (LOGIN, 404, 403, 200)),
    Route("POST", "/readings/<int:reading_id>/import", lambda w: r(w) + "/import",
          (LOGIN, 404, 403, 400)),
    Route("POST", "/api/groups/import", lambda w: "/api/groups/import", (401, 415, 415, 415),
          json={}),
]
# fmt: on


def route_id(route: Route) -> str:
    return f"{route.method} {route.rule}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_route_by_role(app, client, factory, login, route: Route, role: str):
    world = build_world(app, factory)
    if role != "anonymous":
        login(world.users[role])
    response = client.open(
        route.url(world),
        method=route.method,
        data=route.data or None,
        json=route.json(world) if callable(route.json) else route.json,
    )
    expected = route.status_for(role)
    assert response.status_code == expected, f"{role}: {response.status_code} {response.text[:300]}"
    if expected == 404 and role in ("outsider", "other_facilitator"):
        for secret in ("Tuesday Circle", "Which", READING_TEXT):  # nothing of the group leaks
            assert secret not in response.text


def test_every_route_is_in_the_matrix(app):
    listed = {(r.method, r.rule) for r in ROUTES}
    missing = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (method, rule.rule) not in listed
    ]
    assert missing == [], (
        "Add a Route row to ROUTES in tests/functional/test_route_matrix.py for: "
        + ", ".join(f"{method} {rule}" for method, rule in missing)
    )
