"""What a sanitized reading is made of, counted for the "Detected: ..." line of a preview."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .detect import BLOCKS, LINES

__all__ = ["Structure", "describe", "structure_of"]

_FORMAT_NAMES = {"markdown": "Markdown", "html": "HTML", "text": "plain text"}
_LAYOUT_NAMES = {LINES: "one paragraph per line", BLOCKS: "paragraphs separated by blank lines"}


@dataclass(frozen=True)
class Structure:
    headings: int = 0
    paragraphs: int = 0
    epigraphs: int = 0  # block quotations that name their source
    quotations: int = 0
    lists: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "headings": self.headings,
            "paragraphs": self.paragraphs,
            "epigraphs": self.epigraphs,
            "block_quotations": self.quotations,
            "lists": self.lists,
        }


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts = {"h": 0, "p": 0, "list": 0, "epigraph": 0, "quote": 0}
        self._quotes: list[bool] = []  # open blockquotes: has it a <footer> or <cite> yet?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.counts["h"] += 1
        elif tag == "p" and not self._quotes:
            self.counts["p"] += 1
        elif tag in ("ul", "ol"):
            self.counts["list"] += 1
        elif tag == "blockquote":
            self._quotes.append(False)
        elif tag in ("footer", "cite") and self._quotes:
            self._quotes[-1] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote" and self._quotes:
            cited = self._quotes.pop()
            if not self._quotes:
                self.counts["epigraph" if cited else "quote"] += 1


def structure_of(html: str) -> Structure:
    """Count headings, paragraphs, epigraphs, block quotations and lists (outermost only)."""
    counter = _Counter()
    counter.feed(html)
    counter.close()
    c = counter.counts
    return Structure(c["h"], c["p"], c["epigraph"], c["quote"], c["list"])


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def describe(source_format: str, layout: str | None, structure: Structure) -> str:
    """'Detected: plain text, one paragraph per line; 12 paragraphs, 1 epigraph, ...'."""
    kind = _FORMAT_NAMES[source_format]
    if layout:
        kind += ", " + _LAYOUT_NAMES[layout]
    parts = [
        _plural(count, one, many)
        for count, one, many in (
            (structure.headings, "heading", "headings"),
            (structure.paragraphs, "paragraph", "paragraphs"),
            (structure.epigraphs, "epigraph", "epigraphs"),
            (structure.quotations, "block quotation", "block quotations"),
            (structure.lists, "list", "lists"),
        )
        if count
    ]
    return f"Detected: {kind}; " + ", ".join(parts) + "."
