"""Reading W3C Web Annotation JSON from clients: checked for shape, with clear 422s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import abort, url_for

from ..input_guard import id_in_range
from ..models import Motivation, Visibility
from ..services.annotations import KEEP, Keep, Target

# Text an API client may send; the stored HTML is always rendered again from it.
TEXT_FORMATS = frozenset({"text/markdown", "text/plain"})


@dataclass(frozen=True)
class NewAnnotation:
    """A POSTed annotation, checked for shape; the service checks it against the text."""

    motivation: Motivation
    target: Target
    body: str
    visibility: Visibility
    color: str | None


@dataclass(frozen=True)
class NewReply:
    """A POSTed reply: its parent's id, from the target IRI, and its text."""

    parent_id: int
    body: str


@dataclass(frozen=True)
class Changes:
    """A PATCH: the fields it names, and KEEP for the rest."""

    body: str | Keep = KEEP
    visibility: Visibility | Keep = KEEP
    color: str | None | Keep = KEEP


def _object(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    if not isinstance(value, dict):
        abort(422, description=f"'{name}' must be an object.")
    return value


def _extension(data: dict[str, Any]) -> dict[str, Any]:
    return _object(data, "studygroup") if "studygroup" in data else {}


def _motivation(data: dict[str, Any]) -> Motivation:
    value = data.get("motivation")
    choices = "highlighting, commenting, questioning or replying"
    if not isinstance(value, str):
        abort(422, description=f"'motivation' is required: {choices}.")
    try:
        return Motivation(value)
    except ValueError:
        abort(422, description=f"Unknown motivation {value!r}; use {choices}.")


def _visibility(extension: dict[str, Any]) -> Visibility:
    value = extension.get("visibility")
    if value not in {v.value for v in Visibility}:
        abort(422, description="'studygroup.visibility' must be 'group' or 'private'.")
    return Visibility(value)


def _color(extension: dict[str, Any]) -> str | None:
    value = extension.get("color")
    if value is not None and not isinstance(value, str):
        abort(422, description="'studygroup.color' must be a string or null.")
    return value


def _body_text(data: dict[str, Any]) -> str:
    """The one textual body that is not a colour tag; the colour travels in 'studygroup'."""
    bodies = data.get("body") or []
    bodies = [bodies] if isinstance(bodies, dict) else bodies
    if not isinstance(bodies, list) or not all(isinstance(b, dict) for b in bodies):
        abort(422, description="'body' must be an object or a list of objects.")
    texts = [b for b in bodies if b.get("purpose") != "tagging"]
    if len(texts) > 1:
        abort(422, description="Send at most one textual body.")
    if not texts:
        return ""
    text = texts[0]
    if text.get("type", "TextualBody") != "TextualBody" or not isinstance(text.get("value"), str):
        abort(422, description="The body must be a TextualBody with a string 'value'.")
    if text.get("format", "text/markdown") not in TEXT_FORMATS:
        abort(422, description="The body's 'format' must be 'text/markdown' or 'text/plain'.")
    return str(text["value"])


def _selector(selectors: list[Any], kind: str) -> dict[str, Any]:
    found = [s for s in selectors if isinstance(s, dict) and s.get("type") == kind]
    if len(found) != 1:
        abort(422, description=f"'target.selector' needs exactly one {kind}.")
    return found[0]


def parse_target(data: dict[str, Any]) -> Target:
    """Both selectors from 'target'; prefix and suffix are advisory and ignored."""
    selectors = _object(data, "target").get("selector")
    selectors = [selectors] if isinstance(selectors, dict) else selectors
    if not isinstance(selectors, list):
        abort(
            422,
            description="'target.selector' must list a TextQuoteSelector and a "
            "TextPositionSelector.",
        )
    position = _selector(selectors, "TextPositionSelector")
    quote = _selector(selectors, "TextQuoteSelector")
    start, end, exact = position.get("start"), position.get("end"), quote.get("exact")
    if type(start) is not int or type(end) is not int:  # bool is an int to isinstance
        abort(422, description="The TextPositionSelector's 'start' and 'end' must be integers.")
    if not isinstance(exact, str) or not exact:
        abort(422, description="The TextQuoteSelector's 'exact' must be a non-empty string.")
    return Target(start=start, end=end, exact=exact)


def parse_new(data: dict[str, Any]) -> NewAnnotation | NewReply:
    """A POSTed W3C annotation, with our 'studygroup' extension for visibility and colour;
    a reply ('replying') targets its parent annotation's IRI and takes its thread's settings."""
    extension = _extension(data)
    motivation = _motivation(data)
    if motivation is Motivation.REPLYING:
        if extension.get("color") is not None:
            abort(422, description="A reply has no colour; colours mark passages.")
        if "visibility" in extension:
            abort(422, description="A reply takes its thread's visibility; leave it out.")
        return NewReply(parent_id=_parent_id(data.get("target")), body=_body_text(data))
    return NewAnnotation(
        motivation=motivation,
        target=parse_target(data),
        body=_body_text(data),
        visibility=_visibility({"visibility": "group", **extension}),
        color=_color(extension),
    )


def parse_annotation_iri(value: Any, *, name: str) -> int:
    """An annotation's id from its IRI (absolute, on this host, or just the path)."""
    prefix = urlsplit(url_for("api_annotations.show", annotation_id=0, _external=True))
    path_prefix = prefix.path[:-1]
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or (parts.netloc and parts.netloc != prefix.netloc)
        or not parts.path.startswith(path_prefix)
        or not parts.path[len(path_prefix) :].isascii()
        or not parts.path[len(path_prefix) :].isdigit()
        or not id_in_range(parts.path[len(path_prefix) :])
    ):
        abort(
            422,
            description=f"'{name}' must be an annotation's IRI, like "
            f"'{prefix.scheme}://{prefix.netloc}{path_prefix}12'.",
        )
    return int(parts.path[len(path_prefix) :])


def _parent_id(target: Any) -> int:
    """A reply's target: the parent's IRI, as a string or as an object's 'id' or 'source'."""
    if isinstance(target, dict):
        target = target.get("id", target.get("source"))
    return parse_annotation_iri(target, name="target")


def parse_changes(data: dict[str, Any]) -> Changes:
    """A PATCH names only what changes: the body, visibility or colour."""
    extension = _extension(data)
    return Changes(
        body=_body_text(data) if "body" in data else KEEP,
        visibility=_visibility(extension) if "visibility" in extension else KEEP,
        color=_color(extension) if "color" in extension else KEEP,
    )
