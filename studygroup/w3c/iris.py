"""The IRIs of the W3C container: annotations live under their reading's container."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import abort, url_for

from ..input_guard import id_in_range

# An annotation's IRI path: its container's plus its id; the legacy one is still understood.
_ANNOTATION_PATH = re.compile(r"/api/(?:readings/(\d+)/)?annotations/(\d+)")


@dataclass(frozen=True)
class Links:
    """Absolute IRIs for one reading's container, built once per response, not per item."""

    container: str  # ends with "/": an annotation's IRI is the container's plus its id
    reader: str  # the target's source: the page that shows the reading
    user_prefix: str  # plus a user id: a creator's IRI
    revision_prefix: str  # plus a revision number: the text a target's selectors refer to
    revision_dates: Mapping[int, datetime] = field(default_factory=dict)

    @classmethod
    def for_reading(cls, reading_id: int, revision_dates: Mapping[int, datetime]) -> Links:
        container = url_for("api_annotations.index", reading_id=reading_id, _external=True)
        return cls(
            container=container,
            reader=url_for("readings.show", reading_id=reading_id, _external=True),
            user_prefix=_prefix("api_annotations.user", user_id=0),
            revision_prefix=_prefix("api_annotations.revision", reading_id=reading_id, number=0),
            revision_dates=revision_dates,
        )

    def annotation(self, annotation_id: int) -> str:
        return f"{self.container}{annotation_id}"

    def page(self, index: int | str, *, iris: bool) -> str:
        """A page of the container (or "all", one page of everything): of descriptions, or of
        IRIs only."""
        return f"{self.container}?page={index}{'&iris=1' if iris else ''}"


def _prefix(endpoint: str, **values: Any) -> str:
    """url_for's output for id 0, minus the 0: the route stays the one source of truth."""
    return url_for(endpoint, **values, _external=True)[:-1]


def constraints_url() -> str:
    """The page that states what our container accepts (ldp#constrainedBy)."""
    return url_for("api_annotations.constraints", _external=True)


def parse_annotation_iri(value: Any, *, name: str) -> int:
    """An annotation's id from its IRI: absolute on this host, or just the path; the
    container-less IRIs of before are still understood, as the API still redirects them."""
    here = urlsplit(url_for("api_annotations.index", reading_id=1, _external=True))
    parts = urlsplit(value) if isinstance(value, str) else None
    match = None
    if parts is not None and (not parts.netloc or parts.netloc == here.netloc):
        match = _ANNOTATION_PATH.fullmatch(parts.path)
    if match is None or not match.group(2).isascii() or not id_in_range(match.group(2)):
        abort(
            422,
            description=f"'{name}' must be an annotation's IRI, like "
            f"'{here.scheme}://{here.netloc}/api/readings/1/annotations/12'.",
        )
    return int(match.group(2))
