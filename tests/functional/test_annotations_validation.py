"""Bad input is refused with a clear message, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from .test_api_annotations import Room, build_room, orphan, payload, target


@pytest.fixture
def room(app, factory):
    return build_room(app, factory)


def with_selectors(room: Room, start: Any, end: Any, exact: Any = "single article") -> dict:
    data = payload(room.text)
    data["target"]["selector"] = [
        {"type": "TextQuoteSelector", "exact": exact},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
    return data


def without(key: str) -> Any:
    return lambda room: {k: v for k, v in payload(room.text).items() if k != key}


def changed(**fields: Any) -> Any:
    return lambda room: payload(room.text) | fields


def extension(**fields: Any) -> Any:
    return lambda room: payload(room.text) | {"studygroup": fields}


START = 48  # where "single article" begins in the room's text
CASES = {
    "missing-target": (without("target"), 422, "'target' must be an object"),
    "target-elsewhere": (changed(target="http://x"), 422, "must be this reading's IRI"),
    "source-elsewhere": (changed(target={"source": "x"}), 422, "must be this reading's IRI"),
    "no-selectors": (changed(target={"selector": "x"}), 422, "must list a TextQuoteSelector"),
    "no-quote": (
        lambda room: (
            payload(room.text)
            | {"target": {"selector": [{"type": "TextPositionSelector", "start": 1, "end": 2}]}}
        ),
        422,
        "exactly one TextQuoteSelector",
    ),
    "start-after-end": (
        lambda room: with_selectors(room, START + 14, START),
        422,
        "start must be less than its end",
    ),
    "empty-range": (lambda room: with_selectors(room, START, START), 422, "less than its end"),
    "past-the-end": (
        lambda room: with_selectors(room, 120, 140, "x"),
        422,
        "lies outside the text (revision 1 has 132 characters)",
    ),
    "negative": (lambda room: with_selectors(room, -1, 3), 422, "lies outside the text"),
    "quote-mismatch": (
        lambda room: with_selectors(room, START + 1, START + 15),
        422,
        "'exact' does not match the text at 49-63 of revision 1",
    ),
    "string-offsets": (
        lambda room: with_selectors(room, "48", "62"),
        422,
        "'start' and 'end' must be integers",
    ),
    "boolean-offsets": (lambda room: with_selectors(room, True, 3), 422, "must be integers"),
    "empty-quote": (lambda room: with_selectors(room, 1, 2, ""), 422, "non-empty string"),
    "one-megabyte-body": (
        lambda room: payload(room.text, body="x" * 1_000_000),
        422,
        "at most 10,000 characters",
    ),
    "unknown-motivation": (changed(motivation="liking"), 422, "Unknown motivation 'liking'"),
    "motivation-not-text": (changed(motivation=5), 422, "'motivation' must be one of"),
    "replying-with-visibility": (
        changed(motivation="replying"),
        422,
        "A reply takes its thread's visibility",
    ),
    "body-string": (changed(body="hello"), 422, "'body' must be an object or a list"),
    "body-value-number": (
        changed(body=[{"type": "TextualBody", "value": 3}]),
        422,
        "string 'value'",
    ),
    "body-html-format": (
        changed(body={"type": "TextualBody", "value": "<b>x</b>", "format": "text/html"}),
        422,
        "'format' must be",
    ),
    "two-bodies": (
        changed(body=[{"value": "a"}, {"value": "b"}]),
        422,
        "at most one textual body",
    ),
    "comment-without-body": (changed(body=[]), 422, "commenting annotation needs a body"),
    "highlight-with-text": (changed(motivation="highlighting"), 422, "A highlight has no text"),
    "unknown-colour": (extension(color="mauve"), 422, "Unknown colour 'mauve'"),
    "colour-number": (extension(color=3), 422, "'studygroup.color' must be a string"),
    "public-visibility": (extension(visibility="public"), 422, "'group' or 'private'"),
    "extension-list": (changed(studygroup=["private"]), 422, "'studygroup' must be an object"),
}


@pytest.mark.parametrize(("build", "status", "message"), CASES.values(), ids=CASES.keys())
def test_bad_annotations_are_refused(room, build, status, message):
    assert room.text.index("single article") == START
    response = room.client("author").post(room.collection, json=build(room))
    assert response.status_code == status, response.text
    assert message in response.get_json()["error"]["message"]
    assert room.count() == 0


@pytest.mark.parametrize(
    ("data", "content_type", "status", "message"),
    [
        ("{not json", "application/json", 400, "must be a JSON object"),
        ("[1, 2]", "application/json", 400, "must be a JSON object"),
        ("motivation=commenting", "application/x-www-form-urlencoded", 415, "Send JSON"),
    ],
    ids=["invalid-json", "array", "form"],
)
def test_bodies_that_are_not_json_objects(room, data, content_type, status, message):
    response = room.client("author").post(room.collection, data=data, content_type=content_type)
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]
    assert room.count() == 0


PATCHES = {
    "unknown-colour": ({"studygroup": {"color": "mauve"}}, "Unknown colour"),
    "visibility-null": ({"studygroup": {"visibility": None}}, "'group' or 'private'"),
    "empty-body": ({"body": []}, "needs a body text"),
    "huge-body": ({"body": {"value": "x" * 10_001}}, "at most 10,000 characters"),
    "body-string": ({"body": "text"}, "'body' must be an object"),
}


@pytest.mark.parametrize(("data", "message"), PATCHES.values(), ids=PATCHES.keys())
def test_bad_changes_are_refused(room, data, message):
    created = room.annotate()
    url = created["id"].removeprefix("http://localhost")
    client = room.client("author")
    response = client.patch(url, json=data)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert client.get(url).get_json() == created


def test_a_bad_reattach_leaves_the_orphan_alone(room):
    url = orphan(room, room.annotate())
    wrong = target(room.text, "margins")
    wrong["selector"][0]["exact"] = "gins"
    response = room.client("author").post(url, json={"target": wrong})
    assert response.status_code == 422
    assert "does not match" in response.get_json()["error"]["message"]
    stored = room.stored(int(url.rsplit("/", 2)[1]))  # .../annotations/<n>/reattach
    assert stored.orphaned and stored.exact == "single article"
