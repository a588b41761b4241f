"""Plain text -> structured HTML: paragraphs, epigraphs with their attribution, block quotations.

Pure and escaped: the markup it makes still goes through rendering's sanitizer like any HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from .detect import LINES

__all__ = ["to_markup"]

_OPENERS = '“„«"‘'
_CLOSERS = {"“": "”", "„": "“”", "«": "»", '"': '"', "‘": "’"}
# "– The Communist Manifesto", "— Rosa Luxemburg", "-- Marx": a short line naming a source.
_ATTRIBUTION = re.compile(r"^((?:[–—―]|-{1,2})\s*)(\S.{0,198})$")
# “A quotation.” – Its source, on one line.
_QUOTE_THEN_ATTRIBUTION = re.compile(r"^(.*[”»\"’][.,;!?…]?)\s+((?:[–—―]|-{1,2})\s*\S.{0,198})$")
_EPIGRAPH_REACH = 3  # an unquoted paragraph this early, followed by an attribution, is an epigraph
_QUOTE_RUN_MAX = 30  # paragraphs one quotation may span
_INLINE_QUOTE_MIN = 20  # "“Quoted” — and more" is prose; a sentence-long quotation is not


@dataclass
class _Block:
    paragraphs: list[str]
    quote: bool = False
    attribution: str = ""


def _paragraphs(source: str, layout: str) -> list[str]:
    """One per line, or one per blank-line block with its wrapped lines joined."""
    if layout == LINES:
        return [line.strip() for line in source.split("\n") if line.strip()]
    blocks = re.split(r"\n[ \t]*\n", source.strip())
    joined = ("\n".join(line.strip() for line in block.split("\n")) for block in blocks)
    return [block for block in joined if block]


def _closes(paragraph: str, opener: str) -> bool:
    return paragraph.rstrip(".,;!?…").endswith(tuple(_CLOSERS[opener]))


def _whole_quote(paragraph: str) -> bool:
    """Opens with a quotation mark and only closes it at the very end."""
    opener = paragraph[:1]
    if opener not in _OPENERS or len(paragraph) < 3 or not _closes(paragraph, opener):
        return False
    inner = paragraph[1:].rstrip(".,;!?…")[:-1]
    return not any(mark in inner for mark in _CLOSERS[opener])


def _quote_run(paragraphs: list[str], start: int) -> int:
    """How many paragraphs a quotation opening at `start` spans (0 if it is not one)."""
    first = paragraphs[start]
    if _whole_quote(first):
        return 1
    opener = first[:1]
    if opener not in _OPENERS or any(mark in first[1:] for mark in _CLOSERS[opener]):
        return 0
    for offset, paragraph in enumerate(paragraphs[start + 1 : start + _QUOTE_RUN_MAX], 1):
        if _closes(paragraph, opener):  # typographers reopen each paragraph, close the last
            return offset + 1
        if paragraph[:1] != opener:
            return 0
    return 0


def _is_sentence(block: _Block) -> bool:
    """Ends like prose, not like a title: only such a paragraph can be an unquoted epigraph."""
    return block.paragraphs[-1][-1:] in '.!?…”"»’'


def _structure(paragraphs: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        inline = _QUOTE_THEN_ATTRIBUTION.match(paragraph)
        previous = blocks[-1] if blocks else None
        if _ATTRIBUTION.match(paragraph) and previous and not previous.attribution:
            if previous.quote or (len(blocks) <= _EPIGRAPH_REACH and _is_sentence(previous)):
                previous.quote, previous.attribution = True, paragraph
                index += 1
                continue
        if inline and len(inline.group(1)) >= _INLINE_QUOTE_MIN and _whole_quote(inline.group(1)):
            blocks.append(_Block([inline.group(1)], quote=True, attribution=inline.group(2)))
            index += 1
            continue
        run = _quote_run(paragraphs, index)
        blocks.append(_Block(paragraphs[index : index + (run or 1)], quote=bool(run)))
        index += run or 1
    return blocks


def _block_markup(block: _Block) -> str:
    paragraphs = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in block.paragraphs)
    if not block.quote:
        return paragraphs
    footer = ""
    if found := _ATTRIBUTION.match(block.attribution):
        dash, name = escape(found.group(1), quote=False), escape(found.group(2), quote=False)
        footer = f"\n<footer>{dash}<cite>{name}</cite></footer>"
    return f"<blockquote>\n{paragraphs}{footer}\n</blockquote>"


def to_markup(source: str, layout: str) -> str:
    """Paragraphs as laid out; quotations and attributed epigraphs as block quotations."""
    return "\n".join(_block_markup(block) for block in _structure(_paragraphs(source, layout)))
