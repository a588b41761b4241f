"""Shapes in: W3C Web Annotation JSON from clients, checked for shape, with clear 422s."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import abort
from werkzeug.exceptions import HTTPException

from ..models import Annotation, Motivation, Visibility
from ..services.annotations import KEEP, Keep, Target
from .iris import parse_annotation_iri

# Text an API client may send; the stored HTML is always rendered again from it.
TEXT_FORMATS = frozenset({"text/markdown", "text/plain"})


@dataclass(frozen=True)
class NewAnnotation:
    """A POSTed annotation, checked for shape; the service checks it against the text."""

    motivation: Motivation
    target: Target | None  # None: a page note, on the reading as a whole
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
    """Optional in the model: a body makes a comment, no body a highlight; a list names one."""
    value = data.get("motivation")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    choices = "highlighting, commenting, questioning or replying"
    if value is None:
        has_text = bool(_body_text(data))
        return Motivation.COMMENTING if has_text else Motivation.HIGHLIGHTING
    if not isinstance(value, str):
        abort(422, description=f"'motivation' must be one of {choices}.")
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


def _check_source(target: dict[str, Any], reading: Sequence[str]) -> None:
    """A target's source, when given, must be the reading (its page or its API IRI)."""
    source = target.get("source")
    if source is None:
        return
    path = urlsplit(source).path if isinstance(source, str) else None
    if path not in {urlsplit(iri).path for iri in reading}:
        abort(
            422,
            description=f"'target.source' must be this reading's IRI, '{reading[0]}'; "
            "this container only holds annotations on it.",
        )


def parse_target(data: dict[str, Any], *, reading: Sequence[str]) -> Target:
    """Both selectors from 'target', whose source (if any) is one of the reading's IRIs;
    prefix and suffix are advisory and ignored."""
    target = _object(data, "target")
    _check_source(target, reading)
    selectors = target.get("selector")
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
    return Target(start=start, end=end, exact=exact, revision=_revision(data))


def _revision(data: dict[str, Any]) -> int | None:
    """The revision the selectors were made on (optional: the current one by default)."""
    value = _extension(data).get("revision")
    if value is not None and (type(value) is not int or value < 1):
        abort(422, description="'studygroup.revision' must be a revision number (1 or more).")
    return value


def _is_page_note(data: dict[str, Any], reading: Sequence[str]) -> bool:
    """The reading itself as the target, with no selector: a note on the whole reading."""
    target = data.get("target")
    if isinstance(target, str):
        target = {"source": target}
    if not isinstance(target, dict) or "selector" in target or "source" not in target:
        return False
    _check_source(target, reading)
    return True


def parse_new(data: dict[str, Any], *, reading: Sequence[str]) -> NewAnnotation | NewReply:
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
        target=None if _is_page_note(data, reading) else parse_target(data, reading=reading),
        body=_body_text(data),
        visibility=_visibility({"visibility": "group", **extension}),
        color=_color(extension),
    )


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


def _tag_color(data: dict[str, Any]) -> str | None:
    """A colour sent back as we send it: a TextualBody with the purpose 'tagging'."""
    bodies = data.get("body") or []
    bodies = [bodies] if isinstance(bodies, dict) else bodies
    tags = [b.get("value") for b in bodies if isinstance(b, dict) and b.get("purpose") == "tagging"]
    return tags[0] if len(tags) == 1 and isinstance(tags[0], str) else None


def parse_replacement(data: dict[str, Any], *, annotation: Annotation) -> Changes:
    """A PUT: the whole annotation again. Its text and colour are what it sends (none when
    absent); its motivation and passage cannot change; visibility stays unless it is named."""
    extension = _extension(data)
    if "motivation" in data and _motivation(data) is not annotation.motivation:
        abort(422, description="An annotation's motivation cannot change; create a new one.")
    return Changes(
        body=_body_text(data),
        visibility=_visibility(extension) if "visibility" in extension else KEEP,
        color=_color(extension) if "color" in extension else _tag_color(data),
    )


MAX_IMPORT_ITEMS = 10_000
CREATOR_MAX = 200


@dataclass(frozen=True)
class Imported:
    """One annotation of an imported collection, checked for shape; the service places it.
    Its passage is a quote (with context and a position hint), found again in our text."""

    iri: str | None  # its id where it came from: replies and answers name it
    motivation: Motivation
    parent: str | None  # a reply's parent's IRI
    exact: str | None  # None: a page note, or a reply
    prefix: str
    suffix: str
    hint: int | None  # where the passage was: a hint, never trusted as a place
    body: str
    visibility: Visibility
    color: str | None
    creator: str  # the creator's name where it came from
    hidden: bool
    hidden_reason: str
    locked: bool
    answer: str | None  # a question's answer, as the answer's IRI
    deleted: bool


def _import_items(data: Any) -> list[Any]:
    """The annotations of a collection (its embedded pages), of a page, or of a plain list."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        abort(422, description="Send an AnnotationCollection, an AnnotationPage or a list.")
    kinds = data.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    if "AnnotationPage" in kinds:
        return _page_items(data)
    if "AnnotationCollection" not in kinds:
        abort(422, description="Send an AnnotationCollection, an AnnotationPage or a list.")
    items: list[Any] = []
    page = data.get("first")
    while page is not None:  # pages chained by 'next', each embedded
        if not isinstance(page, dict):
            abort(422, description="The collection's pages must be embedded, not linked.")
        items += _page_items(page)
        page = page.get("next") if isinstance(page.get("next"), dict) else None
    return items


def _page_items(page: dict[str, Any]) -> list[Any]:
    items = page.get("items", [])
    if not isinstance(items, list):
        abort(422, description="An AnnotationPage's 'items' must be a list.")
    return items


def _import_target(data: dict[str, Any]) -> tuple[str | None, str, str, int | None]:
    """A passage's quote, context and position hint; a target without selectors: a page note."""
    target = data.get("target")
    if isinstance(target, list) and len(target) == 1:  # Hypothesis exports list one target
        target = target[0]
    if not isinstance(target, dict) or "selector" not in target:
        return None, "", "", None
    selectors = target["selector"]
    selectors = [selectors] if isinstance(selectors, dict) else selectors
    if not isinstance(selectors, list):
        abort(422, description="'target.selector' must be a selector or a list of them.")
    quote = _selector(selectors, "TextQuoteSelector")
    exact, prefix, suffix = quote.get("exact"), quote.get("prefix") or "", quote.get("suffix") or ""
    if not isinstance(exact, str) or not exact.strip():
        abort(422, description="The TextQuoteSelector's 'exact' must be a non-empty string.")
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        abort(422, description="The TextQuoteSelector's 'prefix' and 'suffix' must be strings.")
    positions = [
        s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"
    ]
    start = positions[0].get("start") if len(positions) == 1 else None
    return exact, prefix, suffix, start if type(start) is int and start >= 0 else None


def _import_creator(data: dict[str, Any]) -> str:
    """The creator's name (a bare IRI, as Hypothesis sends, names nobody we know)."""
    creator = data.get("creator")
    name = creator.get("name") if isinstance(creator, dict) else None
    return name[:CREATOR_MAX] if isinstance(name, str) else ""


def _answer_iri(iri: str | None, extension: dict[str, Any]) -> str | None:
    """Our export names a question's answer by id: it lives in the same container."""
    answer = extension.get("answerId")
    if iri is None or type(answer) is not int:
        return None
    return re.sub(r"\d+$", str(answer), iri)


def _imported(data: Any) -> Imported:
    if not isinstance(data, dict):
        abort(422, description="Each annotation must be a JSON object.")
    kinds = data.get("type")
    if kinds != "Annotation" and not (isinstance(kinds, list) and "Annotation" in kinds):
        abort(422, description="Each item must have the type 'Annotation'.")
    extension = _extension(data)
    iri = data.get("id")
    if iri is not None and not isinstance(iri, str):
        abort(422, description="An annotation's 'id' must be a string.")
    motivation = _motivation(data)
    parent = None
    if motivation is Motivation.REPLYING:
        target = data.get("target")
        parent = target.get("id", target.get("source")) if isinstance(target, dict) else target
        if not isinstance(parent, str):
            abort(422, description="A reply's 'target' must be its parent annotation's IRI.")
    exact, prefix, suffix, hint = (None, "", "", None) if parent else _import_target(data)
    reason = extension.get("hiddenReason")
    return Imported(
        iri=iri,
        motivation=motivation,
        parent=parent,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        hint=hint,
        body=_body_text(data),
        visibility=_visibility({"visibility": "group", **extension}),
        color=_color(extension) if "color" in extension else _tag_color(data),
        creator=_import_creator(data),
        hidden=extension.get("hidden") is True,
        hidden_reason=reason if isinstance(reason, str) else "",
        locked=extension.get("locked") is True,
        answer=_answer_iri(iri, extension),
        deleted=extension.get("deleted") is True,
    )


def parse_import(data: Any) -> list[Imported]:
    """An imported collection's annotations, every one checked; the first bad one is a 422
    that names it, so nothing is imported from a file that is partly wrong."""
    items = _import_items(data)
    if len(items) > MAX_IMPORT_ITEMS:
        abort(422, description=f"Import at most {MAX_IMPORT_ITEMS:,} annotations at a time.")
    parsed = []
    for number, item in enumerate(items, start=1):
        try:
            parsed.append(_imported(item))
        except HTTPException as error:
            abort(422, description=f"Annotation {number}: {error.description}")
    return parsed


def load_import(raw: bytes) -> list[Imported]:
    """An uploaded .jsonld file's annotations; a file that is not JSON is a 422 too."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        abort(422, description="The file is not JSON-LD: it could not be read as JSON.")
    return parse_import(data)
