"""One reading's export formats, by name: `?format=` picks one; the W3C work plugs in its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import current_app

from ..models import Annotation, Reading
from ..permissions import Actor
from ..presenters.annotations import timestamp
from ..services import readings
from ..services.annotations import visible_annotations
from ..services.threads import Facts
from ..services.votes import tally
from ..w3c import protocol
from ..w3c.iris import Links
from ..w3c.model import MEDIA_TYPE, annotation_json, collection_json, page_json
from .markdown import markdown_chunks
from .rows import reading_scope, stream_rows
from .tables import csv_chunks

Render = Callable[[Reading, Actor], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str
    render: Render


def _csv(reading: Reading, actor: Actor) -> Iterator[bytes]:
    return csv_chunks(stream_rows(reading_scope(reading, actor)))


def _markdown(reading: Reading, actor: Actor) -> Iterator[bytes]:
    revision = readings.current_revision(reading)
    return markdown_chunks(reading, revision, reading_scope(reading, actor))


def _jsonld(reading: Reading, actor: Actor) -> Iterator[bytes]:
    """The container as the API serves it, with one embedded page of everything."""
    items = visible_annotations(reading=reading, actor=actor)
    votes = tally(where=Annotation.reading_id == reading.id, user_id=actor.user_id)
    links = Links.for_reading(reading.id, readings.revision_dates(reading.id))
    facts = Facts.of(items, votes)
    page = page_json(
        [annotation_json(a, actor=actor, links=links, facts=facts) for a in items],
        links=links,
        index=protocol.ALL,
        last=0,
        start=0,
        iris=False,
        revision=reading.current_revision,
    )
    last = protocol.page_count(len(items)) - 1
    data = collection_json(
        reading, total=len(items), links=links, last=last, iris=False, first=page
    )
    # The texts the targets' states name, each its own resource, served by the API.
    data["studygroup"] = {
        "revisions": [
            {"id": f"{links.revision_prefix}{number}", "number": number, "created": timestamp(at)}
            for number, at in sorted(links.revision_dates.items())
        ]
    }
    return iter([current_app.json.dumps(data, sort_keys=False).encode()])


READING_FORMATS: dict[str, Format] = {
    "csv": Format("text/csv; charset=utf-8", "csv", _csv),
    "md": Format("text/markdown; charset=utf-8", "md", _markdown),
    "jsonld": Format(MEDIA_TYPE, "jsonld", _jsonld),
}
