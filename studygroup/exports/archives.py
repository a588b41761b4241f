"""Zip archives written while they are sent: a group's readings, or all of one person's data.

The standard library's zipfile writes to a stream it cannot seek (sizes go in data
descriptors after each file), so the archive leaves in chunks as it is written.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Group, Reading, ReadingRevision, User
from ..models.types import utcnow
from ..permissions import Actor
from ..presenters.readings import assignment_json
from ..services import groups, readings, votes
from .formats import READING_FORMATS
from .markdown import markdown_chunks
from .rows import author_scope, reading_scope, stream_rows
from .tables import csv_chunks

FORMAT_VERSION = 1
FLUSH_BYTES = 64 * 1024
EXTENSIONS = {"markdown": "md", "text": "txt", "html": "html"}
Member = tuple[str, Iterable[bytes]]  # a file's name in the archive, and its content


class _Pipe(io.RawIOBase):
    """A write-only, unseekable file whose bytes are handed on as they arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def zip_stream(members: Iterable[Member]) -> Iterator[bytes]:
    """Deflate each member into the archive, handing on every 64 KiB written."""
    pipe = _Pipe()
    moment = utcnow().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in content:
                    entry.write(chunk)
                    if pipe.size >= FLUSH_BYTES:
                        yield pipe.drain()
            yield pipe.drain()
    yield pipe.drain()


def _json(data: dict[str, Any]) -> Iterator[bytes]:
    yield json.dumps(data, indent=2, ensure_ascii=False).encode()


def _stamp() -> str:
    return utcnow().isoformat(timespec="seconds").replace("+00:00", "Z")


def _folder(reading: Reading) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reading.title.lower()).strip("-")[:40] or "reading"
    return f"readings/{reading.id}-{slug}"


def _revisions(reading: Reading) -> Iterator[ReadingRevision]:
    """One revision at a time: each may hold a 2 MB text."""
    numbers = db.session.scalars(
        select(ReadingRevision.number)
        .where(ReadingRevision.reading_id == reading.id)
        .order_by(ReadingRevision.number)
    ).all()
    for number in numbers:
        yield readings.revision_of(reading, number)


def _revision_log(reading: Reading) -> dict[str, Any]:
    rows = db.session.execute(
        select(
            ReadingRevision.number,
            ReadingRevision.source_format,
            ReadingRevision.created_at,
            User.display_name,
        )
        .outerjoin(User, User.id == ReadingRevision.created_by_id)
        .where(ReadingRevision.reading_id == reading.id)
        .order_by(ReadingRevision.number)
    )
    return {
        "revisions": [
            {
                "number": number,
                "format": fmt,
                "file": f"revisions/{number}.{EXTENSIONS[fmt]}",
                "created_at": created.isoformat(),
                "created_by": name,
            }
            for number, fmt, created, name in rows
        ]
    }


def _reading_members(reading: Reading, actor: Actor) -> Iterator[Member]:
    folder, current = _folder(reading), readings.current_revision(reading)
    scope = reading_scope(reading, actor)
    yield f"{folder}/reading.html", [current.html.encode()]
    yield f"{folder}/annotations.csv", csv_chunks(stream_rows(scope))
    yield f"{folder}/annotations.md", markdown_chunks(reading, current, scope)
    yield f"{folder}/annotations.jsonld", READING_FORMATS["jsonld"].render(reading, actor)
    yield f"{folder}/revisions.json", _json(_revision_log(reading))
    for revision in _revisions(reading):
        name = f"{folder}/revisions/{revision.number}.{EXTENSIONS[revision.source_format]}"
        yield name, [revision.source.encode()]


def _group_manifest(group: Group, library: list[Reading], exporter: User) -> dict[str, Any]:
    return {
        "format": "studygroup-group-export",
        "version": FORMAT_VERSION,
        "exported_at": _stamp(),
        "exported_by": exporter.display_name,
        "group": {
            "id": group.id,
            "name": group.name,
            "description": group.description,
            "created_at": group.created_at.isoformat(),
        },
        "members": [
            {"name": m.user.display_name, "role": m.role.value} for m in groups.members_of(group)
        ],
        "readings": [
            {
                "id": r.id,
                "title": r.title,
                "author": r.author,
                "source_url": r.source_url,
                "current_revision": r.current_revision,
                "created_at": r.created_at.isoformat(),
                "schedule": assignment_json(r.assignment),
                "folder": _folder(r),
            }
            for r in library
        ],
    }


def group_archive(group_id: int, actor: Actor, exporter_id: int) -> Iterator[bytes]:
    """Every reading's text, history and annotations as the exporter sees them.

    Loads by id inside the stream: a streamed body outlives the view's database session.
    """

    def members() -> Iterator[Member]:
        group, exporter = db.session.get_one(Group, group_id), db.session.get_one(User, exporter_id)
        library = readings.readings_of(group)
        yield "manifest.json", _json(_group_manifest(group, library, exporter))
        for reading in library:
            yield from _reading_members(reading, actor)

    return zip_stream(members())


def _account(user: User) -> dict[str, Any]:
    return {
        "format": "studygroup-account-export",
        "version": FORMAT_VERSION,
        "exported_at": _stamp(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "created_at": user.created_at.isoformat(),
        },
        "groups": [
            {
                "id": m.group_id,
                "name": m.group.name,
                "role": m.role.value,
                "joined_at": m.created_at.isoformat(),
            }
            for m in groups.memberships_of(user)
        ],
        "api_tokens": [
            {
                "label": t.label,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in user.tokens
        ],
        "readings_read": [
            {"reading_id": reading_id, "title": title, "read_at": at.isoformat()}
            for reading_id, title, at in readings.read_marks_of(user)
        ],
        "upvoted_annotation_ids": votes.upvoted_by(user),
    }


def account_archive(user_id: int) -> Iterator[bytes]:
    """ "All my data": the account, and everything its owner wrote, private notes included."""

    def members() -> Iterator[Member]:
        user = db.session.get_one(User, user_id)
        yield "account.json", _json(_account(user))
        yield "annotations.csv", csv_chunks(stream_rows(author_scope(user)))

    return zip_stream(members())
