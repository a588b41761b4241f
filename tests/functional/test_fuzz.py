"""Arbitrary bodies sent to every route that changes something: never a 5xx, and a refusal
changes nothing stored.

Routes come from `app.url_map`, so a new route is fuzzed as soon as it exists. API routes get
arbitrary JSON (any shape; strings with NUL, control characters and lone surrogates; huge,
negative and non-finite numbers); pages get arbitrary form fields. Bounded and derandomized so
that CI stays fast and a failure reproduces.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.conftest import signed_in_client
from tests.functional.snapshots import database_snapshot
from tests.functional.test_hostile_input import WRITES, methods, rules, url_with
from tests.functional.test_route_matrix import build_world

FIELDS = [
    "name", "description", "title", "body", "reason", "groupId", "answer", "ids", "all",
    "target", "motivation", "due", "due_date", "position", "prompts", "format", "author",
    "source_url", "studygroup", "visibility", "color", "selector", "type", "value", "start",
    "end", "exact", "email", "password", "display_name", "label", "role", "action", "next",
    "vote", "read", "base",
]  # fmt: skip
# Ends a session or removes the world the other routes act on: sent last.
ENDINGS = ("logout", "delete", "leave", "remove")

hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\u202e", "\ufeff", "<", "&"]),
    ),
    max_size=40,
)
form_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)
keys = st.one_of(st.sampled_from(FIELDS), hostile_text)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
json_bodies = st.one_of(st.dictionaries(keys, json_values, max_size=6), json_values)
form_bodies = st.dictionaries(st.sampled_from(FIELDS), form_text, max_size=6)

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


def write_routes(app: Flask) -> list[tuple[Rule, str]]:
    routes = [(rule, method) for rule in rules(app) for method in methods(rule) if method in WRITES]
    return sorted(routes, key=lambda rm: rm[1] == "DELETE" or rm[0].rule.endswith(ENDINGS))


def send_and_check(app: Flask, client: Any, method: str, url: str, **body: Any) -> int:
    before = database_snapshot(app)
    response = client.open(url, method=method, **body)
    status = response.status_code
    assert status < 500, f"{method} {url} {body}: {status}"
    if status >= 400:
        if url.startswith("/api/"):
            error = response.get_json()["error"]
            assert error["code"] and error["message"], f"{method} {url}"
        assert database_snapshot(app) == before, f"{method} {url} {body} changed data: {status}"
    return status


@FUZZ
@given(body=json_bodies)
def test_api_routes_survive_any_json(app, factory, body):
    world = build_world(app, factory)
    client = signed_in_client(app, world.users["facilitator"])
    data = json.dumps(body, allow_nan=True)
    sent = 0
    for rule, method in write_routes(app):
        if rule.rule.startswith("/api/"):
            url = url_with(rule, world)
            send_and_check(app, client, method, url, data=data, content_type="application/json")
            sent += 1
    assert sent > 20


@FUZZ
@given(body=form_bodies)
def test_forms_survive_any_fields(app, factory, body):
    world = build_world(app, factory)
    client = signed_in_client(app, world.users["facilitator"])
    sent = 0
    for rule, method in write_routes(app):
        if not rule.rule.startswith("/api/"):
            send_and_check(app, client, method, url_with(rule, world), data=body)
            sent += 1
    assert sent > 20
