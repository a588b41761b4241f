"""Text selectors: describe a passage of a reading, and find it again after the text changes.

Offsets are Unicode code points (Python ``str`` indices), end exclusive, as in the W3C Web
Annotation TextPositionSelector; the quote and its context form the TextQuoteSelector.
Re-anchoring either lands on the right passage or returns None (an orphan). A word diff of the
two texts decides first: a quote whose text it kept stays on that text; a quote it partly kept
may only land on a place that overlaps what survived; a quote whose text it replaced is sought
in the replacement, or elsewhere (moved text) only with its exact words and context. A score
that weighs the quote by its real length against its context keeps a short quote from landing
on the same word with half-agreeing surroundings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from .word_diff import PositionMap, diff_blocks

CONTEXT_LENGTH = 32
MIN_SCORE = 0.75
"""Lowest combined score (quote and context, 0..1) at which a match is accepted."""
SURVIVED_SCORE = 0.6
"""Lowest score (and quote similarity) of a place that overlaps text the diff kept of the quote."""
MOVED_SCORE = 0.9
"""Lowest score for an exact quote found away from where the diff put its (deleted) text."""
MOVED_CONTEXT = CONTEXT_LENGTH // 2
"""Shortest side of context that, intact, vouches for an exact quote found away from its place."""
MIN_QUOTE_SCORE = 0.75
"""Lowest similarity of the quote alone: good context around missing text is not a match."""
FUZZY_SLACK = 64
"""Code points searched on each side of the expected place when the quote has changed."""
GAP_REACH = 256
"""Code points searched on each side of the expected place within a rewritten stretch."""
MAX_SCORED_OCCURRENCES = 256
"""Exact occurrences scored for context, nearest the hint first, so common words stay cheap."""

_SPACES = re.compile(r"\s+")
_WORDY = re.compile(r"\w")


@dataclass(frozen=True)
class Selector:
    """A passage as both W3C selectors: position (start, end) and quote (exact, context)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class _Quote(NamedTuple):
    """What a selector says about its passage, apart from where it was."""

    exact: str
    prefix: str
    suffix: str


class _Match(NamedTuple):
    """A candidate range of the new text and how well it fits the quote."""

    score: float
    start: int
    end: int


def _check_range(text: str, start: int, end: int) -> None:
    """Reject ranges that cannot name a passage, so bad input fails loudly."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"invalid range {start}:{end} for a text of length {len(text)}")


def describe(text: str, start: int, end: int) -> Selector:
    """Build the selector for text[start:end], with context, so it can be found again."""
    _check_range(text, start, end)
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def quote_matches(text: str, start: int, end: int, exact: str) -> bool:
    """Check that a client's position and quote agree, so API input can be trusted."""
    return 0 <= start < end <= len(text) and text[start:end] == exact


def _normalize(text: str) -> str:
    """Compare texts as a reader would: NFC, and any run of whitespace as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text))


def _similarity(expected: str, found: str) -> float:
    """Similarity in 0..1 from the edit distance, ignoring whitespace-only differences."""
    if expected == found:
        return 1.0
    expected, found = _normalize(expected), _normalize(found)
    return 1.0 if expected == found else Levenshtein.normalized_similarity(expected, found)


def _score(
    text: str, start: int, end: int, quote: _Quote, min_quote: float = MIN_QUOTE_SCORE
) -> float:
    """Score a candidate range in 0..1: the quote counts twice its real length, so a short
    quote is placed by its context and a long one by its own words."""
    similarity = _similarity(quote.exact, text[start:end])
    if similarity < min_quote:
        return 0.0
    weight = 2 * len(quote.exact)
    total = weight * similarity
    if quote.prefix:
        before = text[max(0, start - len(quote.prefix)) : start]
        total += len(quote.prefix) * _similarity(quote.prefix, before)
        weight += len(quote.prefix)
    if quote.suffix:
        total += len(quote.suffix) * _similarity(quote.suffix, text[end : end + len(quote.suffix)])
        weight += len(quote.suffix)
    return total / weight


def _has_context(text: str, start: int, end: int, quote: _Quote) -> bool:
    """Whether an occurrence of the quote has exactly the recorded context."""
    before = start - len(quote.prefix)
    return (
        before >= 0 and text.startswith(quote.prefix, before) and text.startswith(quote.suffix, end)
    )


def _exact_matches(
    text: str, quote: _Quote, hint: int, lo: int = 0, hi: int | None = None
) -> list[_Match]:
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
            return [_Match(1.0, start, start + size)]
    return [
        _Match(_score(text, start, start + size, quote), start, start + size)
        for start in found[:MAX_SCORED_OCCURRENCES]
    ]


def _search_window(text: str, quote: _Quote, lo: int, hi: int) -> tuple[int, int]:
    """Narrow a window of the text to the stretch best aligned with the quote and context."""
    pattern = quote.prefix + quote.exact + quote.suffix
    if len(pattern) >= hi - lo:
        return lo, hi
    aligned = fuzz.partial_ratio_alignment(pattern, text[lo:hi])
    if aligned is None:
        return lo, hi
    margin = len(pattern) // 4 + 8
    return max(lo, lo + aligned.dest_start - margin), min(hi, lo + aligned.dest_end + margin)


def _fuzzy_match(text: str, quote: _Quote, lo: int, hi: int) -> _Match:
    """Best approximate place of the quote in text[lo:hi], aligned with its context so the
    ends hold."""
    lo, hi = _search_window(text, quote, lo, hi)
    pattern = quote.prefix + quote.exact + quote.suffix
    blocks = Indel.opcodes(pattern, text[lo:hi]).as_matching_blocks()
    positions = PositionMap([(b.a, b.b, b.size) for b in blocks], len(pattern), hi - lo)
    start = lo + positions.start(len(quote.prefix))[0]
    end = lo + positions.end(len(quote.prefix) + len(quote.exact))[0]
    return _Match(_score(text, start, end, quote) if end > start else 0.0, start, end)


def _near(text: str, quote: _Quote, hint: int | None) -> tuple[int, int]:
    """The window a quote is sought in around its expected place (the whole text without one)."""
    if hint is None:
        return 0, len(text)
    slack = max(FUZZY_SLACK, len(quote.exact) // 2)
    return (
        max(0, hint - len(quote.prefix) - slack),
        min(len(text), hint + len(quote.exact) + len(quote.suffix) + slack),
    )


def _locate(text: str, quote: _Quote, hint: int | None) -> tuple[int, int] | None:
    """Pick the best-scoring candidate, exact ones first, or None if all are too weak."""
    anchor = 0 if hint is None else hint
    exact = _exact_matches(text, quote, anchor)
    if exact and exact[0].score == 1.0:
        return exact[0].start, exact[0].end
    exact = [match for match in exact if match.score >= MIN_SCORE]
    fuzzy = _fuzzy_match(text, quote, *_near(text, quote, hint))
    if fuzzy.end > fuzzy.start and not _overlaps(fuzzy, [(m.start, m.end) for m in exact]):
        exact.append(fuzzy)
    return _best(text, quote, exact, anchor)


def _best(
    text: str, quote: _Quote, candidates: Sequence[_Match], anchor: int, minimum: float = MIN_SCORE
) -> tuple[int, int] | None:
    """The highest-scoring candidate that keeps the quote's word edges, nearest the anchor
    among equals; None below MIN_SCORE."""
    best = max(
        (m for m in candidates if _keeps_word_edges(text, m, quote)),
        key=lambda m: (m.score, -abs(m.start - anchor), -m.start),
        default=None,
    )
    if best is None or best.score < minimum:
        return None
    return best.start, best.end


def _overlaps(match: _Match, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether a match overlaps any of the ranges."""
    return any(match.start < end and start < match.end for start, end in ranges)


def locate(
    text: str, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int] | None:
    """Find a quote again: exact with context first, then fuzzy; None rather than a guess."""
    if not exact:
        raise ValueError("cannot locate an empty quote")
    return _locate(text, _Quote(exact, prefix, suffix), hint)


class Reanchorer:
    """Re-anchors selectors across one revision; the diff is computed once, for speed."""

    def __init__(self, old_text: str, new_text: str) -> None:
        self._new_text = new_text
        blocks = diff_blocks(old_text, new_text)
        self._positions = PositionMap(blocks, len(old_text), len(new_text))

    def reanchor(self, selector: Selector) -> Selector | None:
        """Move a selector to the new text, or return None when it cannot be placed safely."""
        text, positions = self._new_text, self._positions
        kept = positions.kept(selector.start, selector.end)
        if len(kept) == 1 and kept[0][1] - kept[0][0] == len(selector.exact):
            return describe(text, *kept[0])  # the diff kept the quote's own words: trust it
        quote = _Quote(selector.exact, selector.prefix, selector.suffix)
        lo, hi = positions.bounds(selector.start, selector.end)
        survived = [part for part in kept if _WORDY.search(text, *part)]
        hint = positions.start(selector.start)[0]
        found = self._in_place(quote, lo, hi, hint, survived)
        if found is None and not survived:
            found = self._moved(quote, hint)
        return None if found is None else describe(text, *found)

    def _in_place(
        self, quote: _Quote, lo: int, hi: int, hint: int, survived: list[tuple[int, int]]
    ) -> tuple[int, int] | None:
        """The quote within the stretch its old text became, overlapping what survived of it."""
        text = self._new_text
        while lo > 0 and text[lo - 1].isspace():  # which side whitespace went to is arbitrary
            lo -= 1
        while hi < len(text) and text[hi].isspace():
            hi += 1
        reach = GAP_REACH + 2 * len(quote.exact)  # a long rewrite is not searched end to end
        lo, hi = max(lo, hint - reach), min(hi, hint + reach)
        window = max(0, lo - len(quote.prefix)), min(len(text), hi + len(quote.suffix))
        candidates = [_fuzzy_match(text, quote, *window)]
        candidates += _exact_matches(text, quote, hint, lo, hi)
        if survived:  # anchored by what survived, a reworded quote needs less similarity
            fitting = [
                _Match(_score(text, m.start, m.end, quote, SURVIVED_SCORE), m.start, m.end)
                for m in candidates
                if m.end > m.start and _overlaps(m, survived)
            ]
            found = _best(text, quote, fitting, hint, SURVIVED_SCORE)
        else:
            fitting = [m for m in candidates if lo <= m.start < m.end <= hi]
            found = _best(text, quote, fitting, hint)
        if found and _similarity(quote.exact, text[found[0] : found[1]]) < 1:
            if self._inserted_copies(quote, hint):  # like text in place, its very words
                return None  # elsewhere: which one it became is too uncertain
        return found

    def _moved(self, quote: _Quote, hint: int) -> tuple[int, int] | None:
        """The diff lost the quote's text: only its exact words elsewhere, in text the diff did
        not keep from other passages, are enough to place it (a moved paragraph): with one
        whole side of context agreeing too, or as a long quote found only once."""
        found = self._inserted_copies(quote, hint)
        unique = len(found) == 1 and len(quote.exact) >= 2 * CONTEXT_LENGTH
        for match in found:
            agrees = _one_side_agrees(self._new_text, match, quote)
            if unique or agrees or match.score >= MOVED_SCORE:
                return match.start, match.end
        return None

    def _inserted_copies(self, quote: _Quote, hint: int) -> list[_Match]:
        """Exact occurrences of the quote, on whole words, in text the diff did not keep from
        elsewhere (text kept from elsewhere belongs to another passage)."""
        text, positions = self._new_text, self._positions
        return [
            match
            for match in _exact_matches(text, quote, hint)[:MAX_SCORED_OCCURRENCES]
            if 2 * positions.kept_in_new(match.start, match.end) <= match.end - match.start
            and _keeps_word_edges(text, match, quote)
        ]


def _keeps_word_edges(text: str, match: _Match, quote: _Quote) -> bool:
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


def _one_side_agrees(text: str, match: _Match, quote: _Quote) -> bool:
    """Whether the recorded prefix or suffix, if long enough to mean something, is intact."""
    before = match.start - len(quote.prefix)
    prefix = len(quote.prefix) >= MOVED_CONTEXT and text.startswith(quote.prefix, max(0, before))
    suffix = len(quote.suffix) >= MOVED_CONTEXT and text.startswith(quote.suffix, match.end)
    return (prefix and before >= 0) or suffix


def reanchor_all(
    old_text: str, new_text: str, selectors: Sequence[Selector]
) -> list[Selector | None]:
    """Re-anchor every selector of a reading across one revision, sharing a single diff."""
    reanchorer = Reanchorer(old_text, new_text)
    return [reanchorer.reanchor(selector) for selector in selectors]
