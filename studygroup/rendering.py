"""Markdown and HTML -> sanitized HTML, and the text annotations index into.

This is the only module that calls bleach. Everything here is a pure function of its input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from html import unescape
from html.entities import html5
from html.parser import HTMLParser
from typing import Any

import bleach
from markdown_it import MarkdownIt

__all__ = [
    "COMMENT_ATTRIBUTES",
    "COMMENT_TAGS",
    "LINK_REL",
    "READING_ATTRIBUTES",
    "READING_TAGS",
    "canonical_text",
    "normalize",
    "render_comment",
    "render_reading",
]

LINK_REL = "nofollow noopener noreferrer"

READING_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "figure", "figcaption"}
    | {"footer"}  # a block quotation's attribution
    | {"em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark"}
    | {"q", "cite", "abbr", "dfn", "var", "code", "pre", "kbd", "samp", "a"}
    | {"ul", "ol", "li", "dl", "dt", "dd"}
    | {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
)
COMMENT_TAGS = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "del", "s"}
)

# Elements removed together with everything inside them: their content is code, styling,
# embedded documents, form controls or foreign markup, never prose a reader should see.
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "noembed", "noframes", "xmp", "plaintext"}
    | {"iframe", "frame", "frameset", "object", "embed", "applet", "param", "portal"}
    | {"svg", "math", "audio", "video", "source", "track", "canvas", "map", "area"}
    | {"head", "title", "meta", "link", "base"}
    | {"input", "button", "select", "option", "optgroup", "datalist", "textarea"}
)
_TAG_TOKENS = frozenset({"StartTag", "EndTag", "EmptyTag"})
_TEXT_TOKENS = frozenset({"Characters", "SpaceCharacters"})
_SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
# C0 controls except tab and newline, DEL, C1 controls and lone surrogates: never text.
_INVISIBLE_JUNK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

Token = dict[str, Any]
AttributeRule = list[str] | Callable[[str, str, str], bool]  # names, or (tag, name, value)


def _is_safe_link(value: str) -> bool:
    """Only absolute http(s) and mailto links: relative ones would point into Studygroup."""
    normalized = _URL_JUNK.sub("", unescape(value)).lower()
    return normalized.startswith(_SAFE_LINK_PREFIXES)


def _allow_link_attribute(tag: str, name: str, value: str) -> bool:
    """Keep a link's title, and its href only when it is safe to follow."""
    return name == "title" or (name == "href" and _is_safe_link(value))


READING_ATTRIBUTES: Mapping[str, AttributeRule] = {
    "a": _allow_link_attribute,
    "abbr": ["title"],
    "dfn": ["title"],
    "ol": ["start"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
}
COMMENT_ATTRIBUTES: Mapping[str, AttributeRule] = {"a": _allow_link_attribute, "ol": ["start"]}

_READING_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
# Comments are short replies: headings and rules stay the literal text their author typed.
_COMMENT_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False})
    .enable("strikethrough")
    .disable(["heading", "lheading", "hr"])
)


def _finish_tokens(source: Iterable[Token]) -> Iterator[Token]:
    """Drop dangerous elements with their content, turn images into alt text, mark links."""
    depth = 0
    previous: Token = {"type": "Characters", "data": ""}
    for token in source:
        name = token.get("name") if token["type"] in _TAG_TOKENS else None
        if name in _DROP_WITH_CONTENT:
            depth += {"StartTag": 1, "EndTag": -1}.get(token["type"], 0)
        elif depth:
            continue
        elif name == "img":
            alt = token["data"].get((None, "alt"))
            if token["type"] == "EmptyTag" and alt:
                yield {"type": "Characters", "data": unescape(alt)}
        else:
            yield _finish_token(token, previous)
            previous = token


def _finish_token(token: Token, previous: Token) -> Token:
    """Give links our rel, and protect a <pre>'s leading newline, which parsers swallow."""
    if token["type"] == "StartTag" and token["name"] == "a" and (None, "href") in token["data"]:
        token["data"][(None, "rel")] = LINK_REL
    elif token["type"] in _TEXT_TOKENS and token["data"].startswith("\n"):
        if previous["type"] == "StartTag" and previous["name"] == "pre":
            token["data"] = "\n" + token["data"]
    return token


def _clean(markup: str, tags: frozenset[str], attributes: Mapping[str, AttributeRule]) -> str:
    """Reduce markup to the allow-list; a fresh Cleaner each call because it is not thread-safe."""
    cleaner = bleach.sanitizer.Cleaner(
        # Dropped elements and images are let through the sanitizer (attributes stripped)
        # only so that _finish_tokens can see them and remove them whole.
        tags=tags | _DROP_WITH_CONTENT | {"img"},
        attributes={**attributes, "img": ["alt"]},
        protocols=frozenset({"http", "https", "mailto"}),
        strip=True,
        strip_comments=True,
        filters=[_finish_tokens],
    )
    return str(cleaner.clean(markup))


def normalize(source: str) -> str:
    """Unify line endings and drop invisible control characters, as browsers would anyway."""
    return _INVISIBLE_JUNK.sub("", source.replace("\r\n", "\n").replace("\r", "\n"))


# Entities browsers still decode without their semicolon ("&copy 2020"); bleach would
# escape them and show the raw "&copy". Before "=" or a letter or digit browsers leave them
# alone inside attributes (query strings), so we do everywhere.
_LEGACY_NAMES = sorted((name for name in html5 if not name.endswith(";")), key=len, reverse=True)
_LEGACY_ENTITY = re.compile(f"&({'|'.join(_LEGACY_NAMES)})(?![;=A-Za-z0-9])")


def _terminate_legacy_entities(markup: str) -> str:
    return _LEGACY_ENTITY.sub(r"&\1;", markup)


def render_reading(source: str, fmt: str) -> str:
    """Turn a facilitator's Markdown or HTML into the HTML we store and serve.

    Plain text reaches here as HTML, laid out by studygroup.intake.plaintext.
    """
    source = normalize(source)
    if fmt == "markdown":
        return _clean(_READING_MARKDOWN.render(source), READING_TAGS, READING_ATTRIBUTES)
    if fmt == "html":
        return _clean(_terminate_legacy_entities(source), READING_TAGS, READING_ATTRIBUTES)
    raise ValueError(f"unknown reading format: {fmt!r}")


def render_comment(source: str) -> str:
    """Turn an annotation or reply body (Markdown) into the small HTML subset comments allow."""
    return _clean(_COMMENT_MARKDOWN.render(normalize(source)), COMMENT_TAGS, COMMENT_ATTRIBUTES)


class _TextContent(HTMLParser):
    """Collects character data in document order, the way the DOM's textContent does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._after_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._after_pre = tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        self._after_pre = False

    def handle_data(self, data: str) -> None:
        if self._after_pre and data.startswith("\n"):
            data = data[1:]  # the HTML parser drops a newline right after <pre>
        self._after_pre = False
        self.parts.append(data)


def canonical_text(html: str) -> str:
    """The exact textContent a browser gives HTML from this module: annotation offsets index it."""
    parser = _TextContent()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
