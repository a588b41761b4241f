"""Finding and linking @mentions in sanitized comment HTML: pure functions, no database."""

from __future__ import annotations

import pytest

from studygroup.models import User
from studygroup.rendering import canonical_text, render_comment
from studygroup.services.mentions import find_mentions, link_mentions
from tests.unit.test_rendering import VECTORS, Inventory

MEMBERS = [
    User(id=1, display_name="Ada"),
    User(id=2, display_name="Ada Lovelace"),
    User(id=3, display_name="Émile Zola"),
    User(id=4, display_name="Sam Vimes"),
    User(id=5, display_name="Sam Vimes"),
    User(id=6, display_name="Grace Hopper"),
    User(id=7, display_name='<img src=x onerror=alert(1)> "Q"'),
]


def mentioned(markdown: str) -> list[int]:
    return [user.id for user in find_mentions(render_comment(markdown), members=MEMBERS)]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("@Ada Lovelace, look", [2]),
        ("@ada lovelace!", [2]),
        ("@Ada, look", [1]),
        ("@Adam is no one", []),
        ("@émile zola and @Grace Hopper", [3, 6]),
        ("@Grace and @Émile", [6, 3]),
        ("@Grace @Grace Hopper", [6]),
        ("@Sam Vimes", []),
        ("mail ada@example.org", []),
        ("`@Ada` and\n\n    @Grace Hopper", []),
        ("[@Ada](https://example.org)", []),
        ("*@Ada*", [1]),
        ("@@Ada", [1]),
        ("(@Grace Hopper)", [6]),
        ("@Grace_Hopper", []),
    ],
    ids=[
        "full-name",
        "any-case",
        "longest-wins-only-when-present",
        "word-boundary",
        "unicode",
        "unique-first-word",
        "once-each",
        "ambiguous-name",
        "email",
        "code",
        "link-text",
        "emphasis",
        "double-at",
        "parentheses",
        "underscore-is-a-word-character",
    ],
)
def test_finding_mentions(markdown, expected):
    assert mentioned(markdown) == expected


def test_links_point_at_the_member_and_keep_the_typed_text():
    html = link_mentions(render_comment("Hi @ada lovelace & co"), group_id=9, members=MEMBERS)
    assert html == (
        '<p>Hi <a class="mention" href="/groups/9/members#user-2">@ada lovelace</a> &amp; co</p>\n'
    )


def test_a_hostile_display_name_is_escaped():
    name = MEMBERS[-1].display_name
    html = link_mentions(render_comment(f"@{name}"), group_id=1, members=MEMBERS)
    assert "<img" not in html and "&lt;img" in html
    assert 'href="/groups/1/members#user-7"' in html


IDS = [vector_id for vector_id, _ in VECTORS]


@pytest.mark.parametrize(("vector_id", "vector"), VECTORS, ids=IDS)
def test_html_without_mentions_passes_through_unchanged(vector_id, vector):
    sanitized = render_comment(vector.replace("@", ""))
    html = link_mentions(sanitized, group_id=1, members=MEMBERS)
    assert tags(html) == tags(sanitized)
    assert canonical_text(html) == canonical_text(sanitized)


def tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    inventory = Inventory()
    inventory.feed(html)
    inventory.close()
    return inventory.tags


@pytest.mark.parametrize(("vector_id", "vector"), VECTORS, ids=IDS)
def test_mentions_add_nothing_but_mention_links(vector_id, vector):
    sanitized = render_comment(f"@Ada {vector} @Grace Hopper")
    html = link_mentions(sanitized, group_id=1, members=MEMBERS)
    assert canonical_text(html) == canonical_text(sanitized)
    added = [tag for tag in tags(html) if ("class", "mention") in tag[1]]
    assert [tag for tag in tags(html) if tag not in added] == tags(sanitized)
    assert [dict(attrs)["href"] for _, attrs in added][:1] == ["/groups/1/members#user-1"]
