"""@mentions: find the members a comment names, link them, and suggest names while typing.

A mention is `@` followed by a member's display name, case-insensitive, where the longest
name wins ("@Ada Lovelace" over "@Ada"). `@` plus a first name also works when exactly one
member's name starts with that word. Names two members share are ambiguous and ignored.
An `@` right after a letter or digit (an email address) is not a mention, and neither is
text inside code or a link. Mentions are found in the rendered, sanitized HTML, so that
finding and linking always agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser

from sqlalchemy import select

from ..extensions import db
from ..models import Group, Membership, Role, User
from ..rendering import render_comment

SEARCH_LIMIT = 8
_NO_MENTIONS_INSIDE = frozenset({"a", "code", "pre"})


class _Names:
    """Members by the casefolded words that may follow `@`, longest first."""

    def __init__(self, members: list[User]) -> None:
        full: dict[str, list[User]] = {}
        first: dict[str, list[User]] = {}
        for user in members:
            name = user.display_name.strip()
            full.setdefault(name.casefold(), []).append(user)
            first.setdefault(name.split()[0].casefold() if name else "", []).append(user)
        unique_first = {n: u[0] for n, u in first.items() if n and len(u) == 1 and n not in full}
        unique_full = {n: u[0] for n, u in full.items() if n and len(u) == 1}
        merged = {**unique_first, **unique_full}
        self.by_name = dict(sorted(merged.items(), key=lambda item: -len(item[0])))

    def match(self, text: str) -> tuple[int, User] | None:
        """The longest name `text` starts with, ending at a word boundary."""
        for name, user in self.by_name.items():
            end = len(name)
            if end > len(text) or text[:end].casefold() != name:
                continue
            if end == len(text) or not (text[end].isalnum() or text[end] == "_"):
                return end, user
        return None

    def scan(self, text: str) -> Iterator[tuple[int, int, User]]:
        """(start, end, user) of each mention in a run of text, `@` included."""
        position = text.find("@")
        while position != -1:
            before = text[position - 1] if position else " "
            found = None if before.isalnum() else self.match(text[position + 1 :])
            if found is None:
                position = text.find("@", position + 1)
                continue
            end = position + 1 + found[0]
            yield position, end, found[1]
            position = text.find("@", end)


class _Linker(HTMLParser):
    """Re-serializes sanitized HTML, wrapping mentions in text nodes; escapes all it emits."""

    def __init__(self, names: _Names, group_id: int) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.group_id = group_id
        self.parts: list[str] = []
        self.mentioned: dict[int, User] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _NO_MENTIONS_INSIDE:
            self._skip += 1
        self.parts.append(_start_tag(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(_start_tag(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _NO_MENTIONS_INSIDE and self._skip:
            self._skip -= 1
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._skip:
            self.parts.append(escape(data, quote=False))
            return
        done = 0
        for start, end, user in self.names.scan(data):
            self.mentioned.setdefault(user.id, user)
            href = f"/groups/{self.group_id}/members#user-{user.id}"
            self.parts.append(escape(data[done:start], quote=False))
            self.parts.append(
                f'<a class="mention" href="{href}">{escape(data[start:end], quote=False)}</a>'
            )
            done = end
        self.parts.append(escape(data[done:], quote=False))


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    rendered = "".join(
        f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
        for name, value in attrs
    )
    return f"<{tag}{rendered}>"


def _link(html: str, *, group_id: int, members: list[User]) -> _Linker:
    linker = _Linker(_Names(members), group_id)
    linker.feed(html)
    linker.close()
    return linker


def group_members(*, group: Group) -> list[User]:
    """The people who can be mentioned: members and facilitators, not pending requests."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.group_id == group.id, Membership.role != Role.PENDING)
            .order_by(User.id)
        )
    )


def link_mentions(html: str, *, group_id: int, members: list[User]) -> str:
    """Sanitized comment HTML with each mention made a link to the member (pure)."""
    return "".join(_link(html, group_id=group_id, members=members).parts)


def find_mentions(html: str, *, members: list[User]) -> list[User]:
    """The members sanitized comment HTML mentions, once each, in order (pure)."""
    return list(_link(html, group_id=0, members=members).mentioned.values())


def _candidates(group: Group, html: str) -> list[User]:
    """The members a comment could mention: no query when it has no `@` (nor an entity)."""
    return group_members(group=group) if "@" in html or "&" in html else []


def render_with_mentions(*, group: Group, body: str) -> tuple[str, list[User]]:
    """A comment's Markdown as sanitized HTML with linked mentions, and who it mentions."""
    html = render_comment(body)
    linker = _link(html, group_id=group.id, members=_candidates(group, html))
    return "".join(linker.parts), list(linker.mentioned.values())


def mentioned_members(*, group: Group, body: str) -> list[User]:
    """The members a comment's Markdown mentions, once each, in order of first mention."""
    html = render_comment(body)
    return find_mentions(html, members=_candidates(group, html))


def search_members(
    *, group: Group, query: str, exclude_user_id: int | None = None, limit: int = SEARCH_LIMIT
) -> list[User]:
    """Autocomplete: names that start with the query first, then word starts, then the rest."""
    needle = query.strip().casefold()
    ranked = []
    for user in group_members(group=group):
        name = user.display_name.casefold()
        if user.id == exclude_user_id or needle not in name:
            continue
        words_start = any(word.startswith(needle) for word in name.split())
        rank = 0 if name.startswith(needle) else 1 if words_start else 2
        ranked.append((rank, name, user.id, user))
    return [user for *_, user in sorted(ranked)[:limit]]
