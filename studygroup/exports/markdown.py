"""A reading as Markdown: its text with each annotation as a footnote, replies nested under it.

Two streamed passes over the annotations: the first places the footnote marks in the text,
the second writes the footnotes, one thread at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..models import Reading, ReadingRevision
from .rows import Row, Scope, stream_rows

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_STARTS = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
INDENT = "    "  # a footnote's continuation lines
CHUNK_CHARACTERS = 64 * 1024
KINDS = {
    "highlighting": "highlight",
    "commenting": "comment",
    "questioning": "question",
    "replying": "reply",
}


def escape_text(text: str) -> str:
    """Plain text that Markdown shows as it is; one newline between blocks becomes two."""
    escaped = _LINE_STARTS.sub(r"\1\\\2", _INLINE_SPECIALS.sub(r"\\\1", text))
    return escaped.replace("\n", "\n\n")


def _date(row: Row) -> str:
    return row.created.date().isoformat()


def _body(row: Row) -> str:
    if row.deleted:
        return "*Deleted.*"
    if row.hidden and not row.body:
        return "*Hidden by a facilitator.*"
    return row.body.strip() or ("*Highlighted this passage.*" if row.kind == "highlighting" else "")


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def _heading(row: Row) -> str:
    author = f"**{escape_text(row.author)}**" if row.author else "*Deleted*"
    details = [KINDS.get(row.kind, row.kind), _date(row)]
    if row.visibility == "private":
        details.append("private note")
    if row.answered:
        details.append("answered")
    if row.votes:
        details.append(f"{row.votes} upvote{'s' if row.votes != 1 else ''}")
    return f"{author} ({', '.join(details)})"


def _thread(rows: list[Row], label: str) -> str:
    """One thread: the first note as a footnote (or list item), its replies nested below."""
    root, replies = rows[0], rows[1:]
    lines = [f"{label} {_heading(root)}"]
    if root.orphaned and root.quote:
        lines.append(f"{INDENT}> {escape_text(root.quote)}")
    lines.append("")
    lines.append(_indent(_body(root), INDENT))
    depth = {root.id: 0}
    children: dict[int | None, list[Row]] = {}
    for reply in replies:
        children.setdefault(reply.parent_id, []).append(reply)
    stack = list(reversed(children.get(root.id, [])))
    while stack:
        reply = stack.pop()
        depth[reply.id] = depth.get(reply.parent_id or root.id, 0) + 1
        prefix = INDENT + "  " * (depth[reply.id] - 1)
        lines.append("")
        lines.append(f"{prefix}- {_heading(reply)}")
        lines.append("")
        lines.append(_indent(_body(reply), prefix + "  "))
        stack.extend(reversed(children.get(reply.id, [])))
    return "\n".join(lines) + "\n\n"


def _threads(rows: Iterable[Row]) -> Iterator[list[Row]]:
    """Consecutive rows grouped by thread (the query orders them so)."""
    thread: list[Row] = []
    for row in rows:
        if thread and row.thread_id != thread[0].thread_id:
            yield thread
            thread = []
        thread.append(row)
    if thread:
        yield thread


def _text_with_marks(text: str, scope: Scope) -> Iterator[str]:
    """The text with a footnote mark where each anchored annotation ends."""
    position, number = 0, 0
    for root in stream_rows(scope, passages_only=True):
        number += 1
        if root.orphaned or root.end is None:
            continue
        yield escape_text(text[position : root.end]) + f"[^{number}]"
        position = root.end
    yield escape_text(text[position:].rstrip()) + "\n\n"


def _document(reading: Reading, revision: ReadingRevision, scope: Scope) -> Iterator[str]:
    head = [f"# {escape_text(reading.title)}\n"]
    if reading.author:
        head.append(f"*{escape_text(reading.author)}*\n")
    if reading.source_url:
        head.append(f"<{reading.source_url}>\n")
    yield "\n".join(head) + "\n"
    yield from _text_with_marks(revision.text, scope)
    number, orphans = 0, False
    for thread in _threads(stream_rows(scope)):
        number += 1
        if thread[0].orphaned:
            if not orphans:
                yield "## Annotations whose passage is gone\n\n"
                orphans = True
            yield _thread(thread, "-")
        else:
            yield _thread(thread, f"[^{number}]:")


def markdown_chunks(reading: Reading, revision: ReadingRevision, scope: Scope) -> Iterator[bytes]:
    """The whole document in UTF-8, in pieces of about 64 KiB: small enough to stream, big
    enough not to send a thousand tiny writes."""
    pending: list[str] = []
    size = 0
    for piece in _document(reading, revision, scope):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARACTERS:
            yield "".join(pending).encode()
            pending, size = [], 0
    yield "".join(pending).encode()
