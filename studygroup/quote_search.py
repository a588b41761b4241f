"""Finding a quote in a text: its exact occurrences and its best approximate place, scored by
the quote and its context, so that re-anchoring can choose among them or give up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from .word_diff import PositionMap

MIN_SCORE = 0.75
"""Lowest combined score (quote and context, 0..1) at which a match is accepted."""
MIN_QUOTE_SCORE = 0.75
"""Lowest similarity of the quote alone: good context around missing text is not a match."""
FUZZY_SLACK = 64
"""Code points searched on each side of the expected place when the quote has changed."""
MAX_SCORED_OCCURRENCES = 256
"""Exact occurrences scored for context, nearest the hint first, so common words stay cheap."""

_SPACES = re.compile(r"\s+")


class Quote(NamedTuple):
    """What a selector says about its passage, apart from where it was."""

    exact: str
    prefix: str
    suffix: str


class Match(NamedTuple):
    """A candidate range of the new text and how well it fits the quote."""

    score: float
    start: int
    end: int


def _normalize(text: str) -> str:
    """Compare texts as a reader would: NFC, and any run of whitespace as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text))


def similarity(expected: str, found: str) -> float:
    """Similarity in 0..1 from the edit distance, ignoring whitespace-only differences."""
    if expected == found:
        return 1.0
    expected, found = _normalize(expected), _normalize(found)
    return 1.0 if expected == found else Levenshtein.normalized_similarity(expected, found)


def score(
    text: str, start: int, end: int, quote: Quote, min_quote: float = MIN_QUOTE_SCORE
) -> float:
    """Score a candidate range in 0..1: the quote counts twice its real length, so a short
    quote is placed by its context and a long one by its own words."""
    likeness = similarity(quote.exact, text[start:end])
    if likeness < min_quote:
        return 0.0
    weight = 2 * len(quote.exact)
    total = weight * likeness
    if quote.prefix:
        before = text[max(0, start - len(quote.prefix)) : start]
        total += len(quote.prefix) * similarity(quote.prefix, before)
        weight += len(quote.prefix)
    if quote.suffix:
        total += len(quote.suffix) * similarity(quote.suffix, text[end : end + len(quote.suffix)])
        weight += len(quote.suffix)
    return total / weight


def _has_context(text: str, start: int, end: int, quote: Quote) -> bool:
    """Whether an occurrence of the quote has exactly the recorded context."""
    before = start - len(quote.prefix)
    return (
        before >= 0 and text.startswith(quote.prefix, before) and text.startswith(quote.suffix, end)
    )


def exact_matches(
    text: str, quote: Quote, hint: int, lo: int = 0, hi: int | None = None
) -> list[Match]:
    """Occurrences of the quote in text[lo:hi]; only the nearest one if some have the full
    context."""
    size = len(quote.exact)
    found: list[int] = []
    at = text.find(quote.exact, lo, hi)
    while at >= 0:
        found.append(at)
        at = text.find(quote.exact, at + 1, hi)
    found.sort(key=lambda start: abs(start - hint))
    for start in found:
        if _has_context(text, start, start + size, quote):
            return [Match(1.0, start, start + size)]
    return [
        Match(score(text, start, start + size, quote), start, start + size)
        for start in found[:MAX_SCORED_OCCURRENCES]
    ]


def _search_window(text: str, quote: Quote, lo: int, hi: int) -> tuple[int, int]:
    """Narrow a window of the text to the stretch best aligned with the quote and context."""
    pattern = quote.prefix + quote.exact + quote.suffix
    if len(pattern) >= hi - lo:
        return lo, hi
    aligned = fuzz.partial_ratio_alignment(pattern, text[lo:hi])
    if aligned is None:
        return lo, hi
    margin = len(pattern) // 4 + 8
    return max(lo, lo + aligned.dest_start - margin), min(hi, lo + aligned.dest_end + margin)


def fuzzy_match(text: str, quote: Quote, lo: int, hi: int) -> Match:
    """Best approximate place of the quote in text[lo:hi], aligned with its context so the
    ends hold."""
    lo, hi = _search_window(text, quote, lo, hi)
    pattern = quote.prefix + quote.exact + quote.suffix
    blocks = Indel.opcodes(pattern, text[lo:hi]).as_matching_blocks()
    positions = PositionMap([(b.a, b.b, b.size) for b in blocks], len(pattern), hi - lo)
    start = lo + positions.start(len(quote.prefix))[0]
    end = lo + positions.end(len(quote.prefix) + len(quote.exact))[0]
    return Match(score(text, start, end, quote) if end > start else 0.0, start, end)


def _near(text: str, quote: Quote, hint: int | None) -> tuple[int, int]:
    """The window a quote is sought in around its expected place (the whole text without one)."""
    if hint is None:
        return 0, len(text)
    slack = max(FUZZY_SLACK, len(quote.exact) // 2)
    return (
        max(0, hint - len(quote.prefix) - slack),
        min(len(text), hint + len(quote.exact) + len(quote.suffix) + slack),
    )


def locate_quote(text: str, quote: Quote, hint: int | None) -> tuple[int, int] | None:
    """Pick the best-scoring candidate, exact ones first, or None if all are too weak."""
    anchor = 0 if hint is None else hint
    exact = exact_matches(text, quote, anchor)
    if exact and exact[0].score == 1.0:
        return exact[0].start, exact[0].end
    exact = [match for match in exact if match.score >= MIN_SCORE]
    fuzzy = fuzzy_match(text, quote, *_near(text, quote, hint))
    if fuzzy.end > fuzzy.start and not overlaps(fuzzy, [(m.start, m.end) for m in exact]):
        exact.append(fuzzy)
    return best(text, quote, exact, anchor)


def best(
    text: str, quote: Quote, candidates: Sequence[Match], anchor: int, minimum: float = MIN_SCORE
) -> tuple[int, int] | None:
    """The highest-scoring candidate that keeps the quote's word edges, nearest the anchor
    among equals; None below MIN_SCORE."""
    best = max(
        (m for m in candidates if keeps_word_edges(text, m, quote)),
        key=lambda m: (m.score, -abs(m.start - anchor), -m.start),
        default=None,
    )
    if best is None or best.score < minimum:
        return None
    return best.start, best.end


def overlaps(match: Match, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether a match overlaps any of the ranges."""
    return any(match.start < end and start < match.end for start, end in ranges)


def keeps_word_edges(text: str, match: Match, quote: Quote) -> bool:
    """A quote that began (or ended) between words must not land inside a word: "OS" of
    "OS X" is not the end of "macOS", nor "to" of "in to" the end of "into"."""
    start, end = match.start, match.end
    return (
        _inside_word(quote.prefix[-1:], quote.exact[:1])
        or not _inside_word(text[start - 1 : start] if start else "", text[start : start + 1])
    ) and (
        _inside_word(quote.exact[-1:], quote.suffix[:1])
        or not _inside_word(text[end - 1 : end], text[end : end + 1])
    )


def _inside_word(before: str, after: str) -> bool:
    """Whether the boundary between two characters falls inside a word."""
    return before.isalnum() and after.isalnum()
