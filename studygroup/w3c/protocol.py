"""The Web Annotation Protocol's HTTP vocabulary: Prefer, the headers, pages of a container."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .model import MEDIA_TYPE

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
PREFER_IRIS = f"{OA}PreferContainedIRIs"
PREFER_DESCRIPTIONS = f"{OA}PreferContainedDescriptions"
# One page stays fast to build and parse. The reader asks for ALL: one request, one ETag
# check per poll, measured faster than fetching the pages in parallel (see README).
PAGE_SIZE = 1000
ALL = "all"
ANNOTATION_METHODS = "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"
CONTAINER_METHODS = "GET, HEAD, OPTIONS, POST"
PAGE_METHODS = "GET, HEAD, OPTIONS"
_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"')


@dataclass(frozen=True)
class Preference:
    """What a container GET asks for: the first page embedded or not, IRIs or descriptions."""

    minimal: bool = False
    iris: bool = False
    applied: bool = False  # the client stated a preference we honour

    @classmethod
    def parse(cls, prefer: str | None, *, iris_query: bool) -> Preference:
        """Prefer: return=representation; include="<IRI> ..." (and ?iris=1, for our own links)."""
        included: set[str] = set()
        if prefer and "return=representation" in prefer.replace(" ", ""):
            for match in _INCLUDE.finditer(prefer):
                included.update(match.group(1).split())
        return cls(
            minimal=PREFER_MINIMAL in included,
            iris=iris_query or (PREFER_IRIS in included and PREFER_DESCRIPTIONS not in included),
            applied=bool(included & {PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS}),
        )

    @property
    def variant(self) -> str:
        """Which representation of the container this is, for its ETag and the cache."""
        return f"{'minimal' if self.minimal else 'full'}:{'iris' if self.iris else 'descriptions'}"


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def strong_etag(body: bytes) -> str:
    """An annotation's ETag: its representation for this viewer, hashed."""
    return hashlib.sha256(body).hexdigest()[:32]


def link(iri: str, rel: str) -> str:
    return f'<{iri}>; rel="{rel}"'


def annotation_headers(etag: str) -> dict[str, str]:
    return {
        "ETag": f'"{etag}"',
        "Allow": ANNOTATION_METHODS,
        "Link": link(f"{LDP}Resource", "type"),
        "Content-Type": MEDIA_TYPE,
    }


def container_headers(etag: str, *, constraints: str, location: str) -> dict[str, str]:
    return {
        "ETag": f'"{etag}"',
        "Allow": CONTAINER_METHODS,
        "Link": ", ".join(
            [
                link(f"{LDP}BasicContainer", "type"),
                link(f"{LDP}Resource", "type"),
                link(constraints, f"{LDP}constrainedBy"),
            ]
        ),
        "Accept-Post": f"{MEDIA_TYPE}, application/ld+json, application/json",
        "Content-Location": location,
        "Content-Type": MEDIA_TYPE,
    }


def page_headers(etag: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"', "Allow": PAGE_METHODS, "Content-Type": MEDIA_TYPE}
