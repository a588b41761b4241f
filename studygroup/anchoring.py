"""Text selectors: describe a passage of a reading, and find it again after the text changes.

Offsets are Unicode code points (Python ``str`` indices), end exclusive, as in the W3C Web
Annotation TextPositionSelector; the quote and its context form the TextQuoteSelector.
Re-anchoring either lands on the right passage or returns None (an orphan): a score that
counts the quote and its context keeps a deleted passage from landing on similar text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

CONTEXT_LENGTH = 32
MIN_SCORE = 0.75
"""Lowest combined score (quote and context, 0..1) at which a match is accepted."""
MIN_QUOTE_SCORE = 0.75
"""Lowest similarity of the quote alone: good context around missing text is not a match."""
FUZZY_SLACK = 64
"""Code points searched on each side of the expected place when the quote has changed."""
MAX_SCORED_OCCURRENCES = 256
"""Exact occurrences scored for context, nearest the hint first, so common words stay cheap."""

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"\s+|[^\W{_CJK}]+|.", re.DOTALL)
_SPACES = re.compile(r"\s+")


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


class _PositionMap:
    """Maps offsets of one text to another through the equal blocks of their diff."""

    def __init__(self, blocks: Iterable[tuple[int, int, int]], old_len: int, new_len: int) -> None:
        kept = [block for block in blocks if block[2] > 0]
        self._old = [old for old, _, _ in kept]
        self._new = [new for _, new, _ in kept]
        self._size = [size for _, _, size in kept]
        self._old_len, self._new_len = old_len, new_len

    def start(self, pos: int) -> tuple[int, bool]:
        """Map a start offset (after text inserted there); True if it lies in an equal block."""
        i = bisect_right(self._old, pos) - 1
        if i >= 0 and pos < self._old[i] + self._size[i]:
            return self._new[i] + pos - self._old[i], True
        return self._across_gap(pos, i), False

    def end(self, pos: int) -> tuple[int, bool]:
        """Map an end offset (before text inserted there); True if it lies in an equal block."""
        i = bisect_left(self._old, pos) - 1
        if i >= 0 and pos <= self._old[i] + self._size[i]:
            return self._new[i] + pos - self._old[i], True
        return self._across_gap(pos, i), False

    def _across_gap(self, pos: int, i: int) -> int:
        """Place an offset inside a changed stretch proportionally: a hint, not a promise."""
        old_lo = self._old[i] + self._size[i] if i >= 0 else 0
        new_lo = self._new[i] + self._size[i] if i >= 0 else 0
        has_next = i + 1 < len(self._old)
        old_hi = self._old[i + 1] if has_next else self._old_len
        new_hi = self._new[i + 1] if has_next else self._new_len
        return new_lo + (pos - old_lo) * (new_hi - new_lo) // max(1, old_hi - old_lo)


def _diff_blocks(old_text: str, new_text: str) -> list[tuple[int, int, int]]:
    """Equal blocks (old offset, new offset, length) from a word-level difflib diff."""
    if old_text == new_text:
        return [(0, 0, len(old_text))]
    old_tokens, new_tokens = _TOKEN.findall(old_text), _TOKEN.findall(new_text)
    old_at = list(accumulate(map(len, old_tokens), initial=0))
    new_at = list(accumulate(map(len, new_tokens), initial=0))
    matcher = SequenceMatcher(None, old_tokens, new_tokens)
    return [
        (old_at[i], new_at[j], old_at[i + size] - old_at[i])
        for i, j, size in matcher.get_matching_blocks()
        if size
    ]


def _normalize(text: str) -> str:
    """Compare texts as a reader would: NFC, and any run of whitespace as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text))


def _similarity(expected: str, found: str) -> float:
    """Similarity in 0..1 from the edit distance, ignoring whitespace-only differences."""
    if expected == found:
        return 1.0
    expected, found = _normalize(expected), _normalize(found)
    return 1.0 if expected == found else Levenshtein.normalized_similarity(expected, found)


def _score(text: str, start: int, end: int, quote: _Quote) -> float:
    """Score a candidate range in 0..1; the quote weighs at least as much as all its context."""
    similarity = _similarity(quote.exact, text[start:end])
    if similarity < MIN_QUOTE_SCORE:
        return 0.0
    weight = 2 * max(len(quote.exact), CONTEXT_LENGTH)
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


def _fits(text: str, start: int, end: int, quote: _Quote) -> bool:
    """Whether a range is acceptable: its context agrees exactly, or it scores high enough."""
    return _has_context(text, start, end, quote) or _score(text, start, end, quote) >= MIN_SCORE


def _exact_matches(text: str, quote: _Quote, hint: int) -> list[_Match]:
    """Occurrences of the quote; only the nearest one if some have the full context."""
    size = len(quote.exact)
    found: list[int] = []
    at = text.find(quote.exact)
    while at >= 0:
        found.append(at)
        at = text.find(quote.exact, at + 1)
    found.sort(key=lambda start: abs(start - hint))
    for start in found:
        if _has_context(text, start, start + size, quote):
            return [_Match(1.0, start, start + size)]
    return [
        _Match(_score(text, start, start + size, quote), start, start + size)
        for start in found[:MAX_SCORED_OCCURRENCES]
    ]


def _search_window(text: str, quote: _Quote, hint: int | None) -> tuple[int, int]:
    """Bound the fuzzy search: near the hint, then narrowed to the best-aligned stretch."""
    pattern = quote.prefix + quote.exact + quote.suffix
    slack = max(FUZZY_SLACK, len(quote.exact) // 2)
    lo, hi = 0, len(text)
    if hint is not None:
        lo = max(0, hint - len(quote.prefix) - slack)
        hi = min(len(text), hint + len(quote.exact) + len(quote.suffix) + slack)
    if len(pattern) >= hi - lo:
        return lo, hi
    aligned = fuzz.partial_ratio_alignment(pattern, text[lo:hi])
    if aligned is None:
        return lo, hi
    margin = len(pattern) // 4 + 8
    return max(lo, lo + aligned.dest_start - margin), min(hi, lo + aligned.dest_end + margin)


def _fuzzy_match(text: str, quote: _Quote, hint: int | None) -> _Match:
    """Best approximate place of the quote, aligned with its context so the ends hold."""
    lo, hi = _search_window(text, quote, hint)
    pattern = quote.prefix + quote.exact + quote.suffix
    blocks = Indel.opcodes(pattern, text[lo:hi]).as_matching_blocks()
    positions = _PositionMap(((b.a, b.b, b.size) for b in blocks), len(pattern), hi - lo)
    start = lo + positions.start(len(quote.prefix))[0]
    end = lo + positions.end(len(quote.prefix) + len(quote.exact))[0]
    return _Match(_score(text, start, end, quote) if end > start else 0.0, start, end)


def _locate(
    text: str, quote: _Quote, hint: int | None, extra: Sequence[tuple[int, int]] = ()
) -> tuple[int, int] | None:
    """Pick the best-scoring candidate, exact ones first, or None if all are too weak."""
    anchor = 0 if hint is None else hint
    exact = _exact_matches(text, quote, anchor)
    if exact and exact[0].score == 1.0:
        return exact[0].start, exact[0].end
    exact = [match for match in exact if match.score >= MIN_SCORE]
    fuzzy = [_Match(_score(text, start, end, quote), start, end) for start, end in extra]
    fuzzy.append(_fuzzy_match(text, quote, hint))
    candidates = exact + [m for m in fuzzy if m.end > m.start and not _overlaps(m, exact)]
    best = max(candidates, key=lambda m: (m.score, -abs(m.start - anchor), -m.start), default=None)
    if best is None or best.score < MIN_SCORE:
        return None
    return best.start, best.end


def _overlaps(match: _Match, others: Sequence[_Match]) -> bool:
    """Whether a fuzzy match overlaps an acceptable exact one, which explains it better."""
    return any(match.start < other.end and other.start < match.end for other in others)


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
        blocks = _diff_blocks(old_text, new_text)
        self._positions = _PositionMap(blocks, len(old_text), len(new_text))

    def reanchor(self, selector: Selector) -> Selector | None:
        """Move a selector to the new text, or return None when it cannot be placed safely."""
        start, start_kept = self._positions.start(selector.start)
        end, end_kept = self._positions.end(selector.end)
        text = self._new_text
        quote = _Quote(selector.exact, selector.prefix, selector.suffix)
        if start_kept and end_kept and end > start and text[start:end] == selector.exact:
            if _fits(text, start, end, quote):
                return describe(text, start, end)
        found = _locate(text, quote, start, [(start, end)])
        return None if found is None else describe(text, *found)


def reanchor_all(
    old_text: str, new_text: str, selectors: Sequence[Selector]
) -> list[Selector | None]:
    """Re-anchor every selector of a reading across one revision, sharing a single diff."""
    reanchorer = Reanchorer(old_text, new_text)
    return [reanchorer.reanchor(selector) for selector in selectors]
