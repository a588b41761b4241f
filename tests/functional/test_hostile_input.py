"""Input built to crash the server is refused with a clear 4xx on every route, and changes nothing.

Routes come from `app.url_map`, so a route added tomorrow is covered without editing this file.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from studygroup.input_guard import MAX_ID
from tests.functional.snapshots import database_snapshot
from tests.functional.test_route_matrix import World, build_world

HUGE = 2**64 + 1
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


SENTINEL = 987654321987654


def url_with(rule: Rule, world: World, *, ints: str | None = None) -> str:
    """The rule's URL with the world's real ids (or the digits `ints` for every id)."""
    real = {
        "group_id": world.group_id,
        "reading_id": world.reading_id,
        "annotation_id": world.comment_id,
        "user_id": world.member_id,
    }
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            values[name] = SENTINEL if ints is not None else real.get(name, 1)
        elif isinstance(converter, AnyConverter):
            values[name] = min(converter.items)
        else:
            values[name] = world.invite if name == "token" else "x"
    built = rule.build(values)
    assert built is not None
    return built[1].replace(str(SENTINEL), ints or "")


def has_int(rule: Rule) -> bool:
    return any(isinstance(c, IntegerConverter) for c in rule._converters.values())


def as_facilitator(app: Flask, factory: Any, login: Any) -> World:
    world = build_world(app, factory)
    login(world.users["facilitator"])
    return world


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def test_ids_past_the_database_integer_are_404_on_every_route(app, client, factory, login):
    world = as_facilitator(app, factory, login)
    checked = 0
    for rule in rules(app):
        if not has_int(rule):
            continue
        for method in methods(rule):
            for digits in (str(HUGE), str(MAX_ID + 1), "9" * 11, "9" * 5000):
                url = url_with(rule, world, ints=digits)
                response = client.open(url, method=method, json={} if method != "GET" else None)
                assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                checked += 1
    assert checked > 100


def test_the_largest_id_is_an_ordinary_404(app, client, factory, login):
    world = as_facilitator(app, factory, login)
    assert client.get(f"/readings/{MAX_ID}").status_code == 404
    assert client.get(f"/api/annotations/{MAX_ID}").status_code == 404
    assert client.get(f"/groups/{world.group_id}").status_code == 200


DEEP = "[" * 1000 + "]" * 1000
HOSTILE_BODIES = {
    "deeply nested": ("application/json", DEEP, 400),
    "deeply nested object": ("application/json", '{"a":' * 1000 + "1" + "}" * 1000, 400),
    "lone surrogate": ("application/json", '{"body": "\\ud800", "name": "\\udfff"}', 400),
    "NUL": ("application/json", '{"body": "a\\u0000b", "name": "a\\u0000b"}', 400),
    "huge integer": ("application/json", '{"groupId": 2e0, "ids": [-18446744073709551617]}', 422),
    "infinite float": ("application/json", '{"position": 1e999}', 400),
    "NaN": ("application/json", '{"position": NaN}', 400),
    "not JSON": ("application/json", "{'single': quotes}", 400),
    "thousands of digits": ("application/json", '{"position": ' + "9" * 5000 + "}", 400),
}


@pytest.mark.parametrize("case", HOSTILE_BODIES, ids=list(HOSTILE_BODIES))
def test_hostile_json_is_refused_on_every_json_route(app, client, factory, login, case):
    world = as_facilitator(app, factory, login)
    content_type, body, status = HOSTILE_BODIES[case]
    before = database_snapshot(app)
    checked = 0
    for rule in rules(app):
        if not rule.rule.startswith("/api/"):
            continue
        for method in set(methods(rule)) & set(WRITES):
            url = url_with(rule, world)
            response = client.open(url, method=method, data=body, content_type=content_type)
            assert response.status_code == status, f"{method} {url}: {response.text[:200]}"
            assert set(response.get_json()["error"]) == {"code", "message"}
            checked += 1
    assert checked > 20
    assert database_snapshot(app) == before


def test_nul_in_forms_and_paths_is_a_400(app, client, factory, login):
    text = "a\x00b"
    world = as_facilitator(app, factory, login)
    before = database_snapshot(app)
    posted = 0
    for rule in rules(app):
        if rule.rule.startswith("/api/"):
            continue
        for method in set(methods(rule)) & set(WRITES):
            url = url_with(rule, world)
            fields = {"name": text, "title": text, "body": text, "reason": text, "email": text}
            response = client.open(url, method=method, data=fields)
            assert response.status_code == 400, f"{method} {url}: {response.status_code}"
            posted += 1
    assert posted > 20
    assert client.get("/join/a%00b").status_code == 400
    assert client.get("/notifications?page=1&q=%00").status_code == 400
    assert database_snapshot(app) == before


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        " //evil.example",
        "/\r/evil.example",
        "/\x00/evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "\t//evil.example",
    ],
)
def test_redirect_targets_never_leave_the_site(app, client, factory, login, target):
    world = as_facilitator(app, factory, login)
    reply = client.post(
        f"/annotations/{world.comment_id}/replies", data={"body": "Yes", "next": target}
    )
    login_again = client.get("/login", query_string={"next": target})
    for response in (reply, login_again):
        location = response.headers.get("Location", "")
        assert not location.startswith("//") and "evil.example" not in location, location


def test_a_local_next_is_followed(app, client, factory, login):
    world = as_facilitator(app, factory, login)
    response = client.post(
        f"/annotations/{world.comment_id}/replies", data={"body": "Yes", "next": "/groups?x=1"}
    )
    assert response.headers["Location"].startswith("/groups?x=1#annotation-")
