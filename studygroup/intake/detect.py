"""Guess what a pasted text is, and how its paragraphs are laid out: pure, no Flask."""

from __future__ import annotations

import re
import statistics

__all__ = ["LINES", "BLOCKS", "paragraph_layout", "sniff_format"]

LINES = "lines"  # one paragraph per line (web text copied as it was published)
BLOCKS = "blocks"  # paragraphs are blocks of lines separated by blank lines (hard-wrapped)

# Structure only Markdown has; lists and single asterisks alone are too common in plain prose.
_MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"^(```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"^>[ \t]?\S", re.MULTILINE),  # block quotation
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # inline link
    re.compile(r"(\*\*|__)[^*_\n]+\1"),  # strong emphasis
    re.compile(r"^\S[^\n]*\n(=+|-{2,})[ \t]*$", re.MULTILINE),  # setext heading
)
_HTML_START = re.compile(
    r"\A\s*(<!doctype html|<html|<body|<article|<(p|div|h[1-6]|blockquote|ul|ol|section)\b)",
    re.IGNORECASE,
)
# Hard-wrapped prose keeps its lines short; a published paragraph on one line is long.
_WRAPPED_LINE_MAX = 100


def sniff_format(source: str) -> str:
    """'html' for markup, 'markdown' only when it has Markdown structure, else 'text'."""
    if _HTML_START.match(source):
        return "html"
    if any(sign.search(source) for sign in _MARKDOWN_SIGNS):
        return "markdown"
    return "text"


def paragraph_layout(source: str) -> str:
    """LINES when lines are whole paragraphs, BLOCKS when blank lines separate wrapped ones.

    Without blank lines every line is a paragraph; with them, short lines inside a block
    mean hard wrapping, and long ones mean paragraphs per line with a few blank lines between.
    """
    blocks = [block.splitlines() for block in re.split(r"\n[ \t]*\n", source.strip())]
    if len(blocks) == 1:
        return LINES
    wrapped = [len(line) for lines in blocks if len(lines) > 1 for line in lines[:-1]]
    if not wrapped:
        return BLOCKS
    return BLOCKS if statistics.median(wrapped) <= _WRAPPED_LINE_MAX else LINES
