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
from collections.abc import Sequence
from dataclasses import dataclass

from .quote_search import (
    MAX_SCORED_OCCURRENCES,
    Match,
    Quote,
    best,
    exact_matches,
    fuzzy_match,
    keeps_word_edges,
    locate_quote,
    overlaps,
    score,
    similarity,
)
from .word_diff import PositionMap, diff_blocks

CONTEXT_LENGTH = 32
SURVIVED_SCORE = 0.6
"""Lowest score (and quote similarity) of a place that overlaps text the diff kept of the quote."""
MOVED_SCORE = 0.9
"""Lowest score for an exact quote found away from where the diff put its (deleted) text."""
MOVED_CONTEXT = CONTEXT_LENGTH // 2
"""Shortest side of context that, intact, vouches for an exact quote found away from its place."""
GAP_REACH = 256
"""Code points searched on each side of the expected place within a rewritten stretch."""

_WORDY = re.compile(r"\w")


@dataclass(frozen=True)
class Selector:
    """A passage as both W3C selectors: position (start, end) and quote (exact, context)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


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


def locate(
    text: str, exact: str, prefix: str = "", suffix: str = "", hint: int | None = None
) -> tuple[int, int] | None:
    """Find a quote again: exact with context first, then fuzzy; None rather than a guess."""
    if not exact:
        raise ValueError("cannot locate an empty quote")
    return locate_quote(text, Quote(exact, prefix, suffix), hint)


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
        quote = Quote(selector.exact, selector.prefix, selector.suffix)
        lo, hi = positions.bounds(selector.start, selector.end)
        survived = [part for part in kept if _WORDY.search(text, *part)]
        hint = positions.start(selector.start)[0]
        found = self._in_place(quote, lo, hi, hint, survived)
        if found is None and not survived:
            found = self._moved(quote, hint)
        return None if found is None else describe(text, *found)

    def _in_place(
        self, quote: Quote, lo: int, hi: int, hint: int, survived: list[tuple[int, int]]
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
        candidates = [fuzzy_match(text, quote, *window)]
        candidates += exact_matches(text, quote, hint, lo, hi)
        if survived:  # anchored by what survived, a reworded quote needs less similarity
            fitting = [
                Match(score(text, m.start, m.end, quote, SURVIVED_SCORE), m.start, m.end)
                for m in candidates
                if m.end > m.start and overlaps(m, survived)
            ]
            found = best(text, quote, fitting, hint, SURVIVED_SCORE)
        else:
            fitting = [m for m in candidates if lo <= m.start < m.end <= hi]
            found = best(text, quote, fitting, hint)
        if found and similarity(quote.exact, text[found[0] : found[1]]) < 1:
            if self._inserted_copies(quote, hint):  # like text in place, its very words
                return None  # elsewhere: which one it became is too uncertain
        return found

    def _moved(self, quote: Quote, hint: int) -> tuple[int, int] | None:
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

    def _inserted_copies(self, quote: Quote, hint: int) -> list[Match]:
        """Exact occurrences of the quote, on whole words, in text the diff did not keep from
        elsewhere (text kept from elsewhere belongs to another passage)."""
        text, positions = self._new_text, self._positions
        return [
            match
            for match in exact_matches(text, quote, hint)[:MAX_SCORED_OCCURRENCES]
            if 2 * positions.kept_in_new(match.start, match.end) <= match.end - match.start
            and keeps_word_edges(text, match, quote)
        ]


def _one_side_agrees(text: str, match: Match, quote: Quote) -> bool:
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
