"""A group's zip (our export) into this installation: a new group with the importer as its
facilitator, each reading with its revisions, and its annotations placed by quote.

The zip is checked whole before anything is written (names, count, sizes: no zip bomb, no
path tricks; nothing is ever extracted to disk), and a failure afterwards removes the group.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..models import Group, Reading, User
from ..w3c.parse import Imported, parse_import
from . import groups, readings, revisions
from .annotations import AnnotationError
from .imports import ImportSummary, import_annotations

MAX_FILES = 5_000
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
NAME_MAX = 120
FORMATS = {"markdown", "text", "html"}


class ArchiveError(Exception):
    """A zip we refuse; the API answers 422 with the message."""


@dataclass(frozen=True)
class ReadingPlan:
    title: str
    author: str
    source_url: str
    revisions: list[tuple[str, str]]  # each revision's source and format, oldest first
    annotations: list[Imported]


@dataclass(frozen=True)
class GroupPlan:
    """Everything the zip holds, read and checked: creating it cannot fail on the input."""

    name: str
    description: str
    readings: list[ReadingPlan]


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_FILES:
        raise ArchiveError(f"The zip holds more than {MAX_FILES:,} files.")
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise ArchiveError("The zip unpacks to more than 256 MB; it is not a group export.")
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
            raise ArchiveError(f"The zip holds a file with an unsafe name: {name!r}.")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member, read no further than the limit whatever its header claims."""
    try:
        with archive.open(name) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
    except KeyError:
        raise ArchiveError(f"The zip has no {name}; is it a group export?") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
        raise ArchiveError(f"{name} could not be read: {error}.") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise ArchiveError(f"{name} is larger than 16 MB.")
    return data


def _json(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        return json.loads(_read(archive, name))
    except (ValueError, RecursionError):
        raise ArchiveError(f"{name} is not valid JSON.") from None


def _text(entry: dict[str, Any], name: str, limit: int) -> str:
    value = entry.get(name) or ""
    if not isinstance(value, str) or len(value) > limit:
        raise ArchiveError(
            f"The manifest's '{name}' must be a string of at most {limit} characters."
        )
    return value


def _revisions(archive: zipfile.ZipFile, folder: str) -> list[tuple[str, str]]:
    log = _json(archive, f"{folder}/revisions.json")
    entries = log.get("revisions") if isinstance(log, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ArchiveError(f"{folder}/revisions.json lists no revisions.")
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("format") not in FORMATS:
            raise ArchiveError(f"{folder}/revisions.json has a revision without a known format.")
        source = _read(archive, f"{folder}/{_text(entry, 'file', 200)}")
        found.append((source.decode("utf-8", errors="replace"), str(entry["format"])))
    return found


def _reading(archive: zipfile.ZipFile, entry: Any) -> ReadingPlan:
    if not isinstance(entry, dict):
        raise ArchiveError("The manifest's readings must be objects.")
    folder = _text(entry, "folder", 200)
    name = f"{folder}/annotations.jsonld"
    try:
        annotations = parse_import(_json(archive, name))
    except HTTPException as problem:
        raise ArchiveError(f"{name}: {problem.description}") from None
    return ReadingPlan(
        title=_text(entry, "title", readings.TITLE_MAX),
        author=_text(entry, "author", readings.AUTHOR_MAX),
        source_url=_text(entry, "source_url", readings.SOURCE_URL_MAX),
        revisions=_revisions(archive, folder),
        annotations=annotations,
    )


def read_group_archive(raw: bytes) -> GroupPlan:
    """The zip's group, readings and annotations, or an ArchiveError saying what is wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise ArchiveError("This is not a zip file.") from None
    with archive:
        _check_names(archive.infolist())
        manifest = _json(archive, "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != "studygroup-group-export":
            raise ArchiveError("manifest.json does not describe a Studygroup group export.")
        group = manifest.get("group")
        entries = manifest.get("readings")
        if not isinstance(group, dict) or not isinstance(entries, list):
            raise ArchiveError("manifest.json needs its 'group' and its 'readings'.")
        name = _text(group, "name", NAME_MAX).strip()
        if not name:
            raise ArchiveError("The manifest's group has no name.")
        return GroupPlan(
            name=name,
            description=_text(group, "description", 2000),
            readings=[_reading(archive, entry) for entry in entries],
        )


def _create_reading(group: Group, planned: ReadingPlan, importer: User) -> Reading:
    """The reading with its history: the first revision, then each later one as an edit."""
    (source, source_format), *later = planned.revisions
    reading = readings.create_reading(
        group=group,
        creator=importer,
        title=planned.title,
        author=planned.author,
        source_url=planned.source_url,
        source=source,
        source_format=source_format,
    )
    for source, source_format in later:
        revisions.edit_reading(
            reading=reading,
            editor=importer,
            title=planned.title,
            author=planned.author,
            source_url=planned.source_url,
            source=source,
            source_format=source_format,
        )
    return reading


def import_group(*, plan: GroupPlan, importer: User) -> tuple[Group, list[ImportSummary]]:
    """Create the group and its readings, then import each reading's annotations; any
    failure deletes the new group again, so nothing is left half-imported."""
    group = groups.create_group(creator=importer, name=plan.name, description=plan.description)
    summaries = []
    try:
        for planned in plan.readings:
            reading = _create_reading(group, planned, importer)
            summaries.append(
                import_annotations(reading=reading, importer=importer, items=planned.annotations)
            )
    except BaseException as error:
        db.session.rollback()
        groups.delete_group(group)
        if isinstance(error, readings.ReadingError | AnnotationError):
            raise ArchiveError(str(error)) from None
        raise
    return group, summaries
