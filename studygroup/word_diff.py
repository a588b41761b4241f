"""Which text of one revision survives in the next, and where: a word-level diff for re-anchoring.

The texts are cut into words, punctuation and whitespace runs; each distinct token becomes one
code point, and diff-match-patch's C++ diff (Myers bisection) runs on those strings, then its
semantic cleanup drops equalities no longer than the edits on both sides: the coincidental
"the" shared by a deleted and an inserted sentence is not kept text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate

import fast_diff_match_patch

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
TOKEN = re.compile(rf"\s+|[^\W{_CJK}]+|.", re.DOTALL)
DIFF_SECONDS = 0.5
"""Time the diff may spend exploring; past it the rest counts as changed (safe, not minimal)."""
_SURROGATES = 0xD800, 0xE000

Block = tuple[int, int, int]
"""An equal run: (old offset, new offset, length), in code points."""


def _code(index: int) -> str:
    """The index-th code point that is not a surrogate, to stand for one distinct token."""
    return chr(index if index < _SURROGATES[0] else index + _SURROGATES[1] - _SURROGATES[0])


def diff_blocks(old_text: str, new_text: str) -> list[Block]:
    """Equal runs of the two texts, in order, from a token-level diff with semantic cleanup.

    Most edits touch a small part of a long text, so only the stretch between the common start
    and end (each cut at whitespace) is tokenized and diffed."""
    head = _cut_before(old_text, _common_prefix(old_text, new_text))
    room = min(len(old_text), len(new_text)) - head
    tail = len(old_text) - _cut_after(
        old_text, len(old_text) - _common_suffix(old_text, new_text, room)
    )
    old_end, new_end = len(old_text) - tail, len(new_text) - tail
    middle = _line_blocks(old_text[head:old_end], new_text[head:new_end])
    blocks = [(0, 0, head)] + [(i + head, j + head, size) for i, j, size in middle]
    return _merged(blocks + [(old_end, new_end, tail)])


def _common_prefix(a: str, b: str) -> int:
    """Length of the common start of two texts (a binary search over C-speed comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if a[:mid] == b[:mid] else (lo, mid - 1)
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common end of two texts, at most limit."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if a[len(a) - mid :] == b[len(b) - mid :] else (lo, mid - 1)
    return lo


def _cut_before(text: str, pos: int) -> int:
    """The offset just after the last space or line break before pos (0 if none)."""
    return max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1


def _cut_after(text: str, pos: int) -> int:
    """The offset of the first space or line break at or after pos (the end if none)."""
    found = [at for at in (text.find(" ", pos), text.find("\n", pos)) if at >= 0]
    return min(found, default=len(text))


def _line_blocks(old_text: str, new_text: str) -> list[Block]:
    """Equal runs from a diff of whole lines, each changed stretch then diffed by tokens: the
    line pass keeps long rewrites cheap, the token pass keeps the alignment word-exact."""
    blocks: list[Block] = []
    lines = old_text.splitlines(True), new_text.splitlines(True)
    for equal, old, old_end, new, new_end in _diff_units(*lines):
        if equal:
            blocks.append((old, new, old_end - old))
        elif old < old_end and new < new_end:
            tokens = TOKEN.findall(old_text[old:old_end]), TOKEN.findall(new_text[new:new_end])
            blocks += [
                (old + i, new + j, i_end - i)
                for same, i, i_end, j, _ in _diff_units(*tokens)
                if same
            ]
    return blocks


def _diff_units(old: list[str], new: list[str]) -> Iterator[tuple[bool, int, int, int, int]]:
    """Diff two lists of strings, each distinct string as one code point; yields the equal runs
    and the changed stretches between them as (equal, old start, old end, new start, new end)
    in code points of the joined strings."""
    codes = {unit: _code(k) for k, unit in enumerate(dict.fromkeys(old + new))}
    diff = fast_diff_match_patch.diff(
        "".join(map(codes.__getitem__, old)),
        "".join(map(codes.__getitem__, new)),
        timelimit=DIFF_SECONDS,
        checklines=False,
        cleanup="Semantic",
        counts_only=True,
    )
    old_at = list(accumulate(map(len, old), initial=0))
    new_at = list(accumulate(map(len, new), initial=0))
    i = j = changed_i = changed_j = 0
    for op, size in [*diff, ("=", 0)]:
        if op != "=":
            i, j = (i + size, j) if op == "-" else (i, j + size)
            continue
        if (i, j) != (changed_i, changed_j):
            yield False, old_at[changed_i], old_at[i], new_at[changed_j], new_at[j]
        if size:
            yield True, old_at[i], old_at[i + size], new_at[j], new_at[j + size]
        i, j = changed_i, changed_j = i + size, j + size


def _merged(blocks: list[Block]) -> list[Block]:
    """Drop empty runs and join runs that touch in both texts."""
    merged: list[Block] = []
    for old, new, size in blocks:
        if (
            size
            and merged
            and merged[-1][0] + merged[-1][2] == old
            and merged[-1][1] + merged[-1][2] == new
        ):
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        elif size:
            merged.append((old, new, size))
    return merged


class PositionMap:
    """Maps offsets of one text to another through the equal runs of their diff."""

    def __init__(self, blocks: list[Block], old_len: int, new_len: int) -> None:
        kept = [block for block in blocks if block[2] > 0]
        self._old = [old for old, _, _ in kept]
        self._new = [new for _, new, _ in kept]
        self._size = [size for _, _, size in kept]
        self._old_len, self._new_len = old_len, new_len

    def start(self, pos: int) -> tuple[int, bool]:
        """Map a start offset (after text inserted there); True if it lies in an equal run."""
        i = bisect_right(self._old, pos) - 1
        if i >= 0 and pos < self._old[i] + self._size[i]:
            return self._new[i] + pos - self._old[i], True
        return self._across_gap(pos, i), False

    def end(self, pos: int) -> tuple[int, bool]:
        """Map an end offset (before text inserted there); True if it lies in an equal run."""
        i = bisect_left(self._old, pos) - 1
        if i >= 0 and pos <= self._old[i] + self._size[i]:
            return self._new[i] + pos - self._old[i], True
        return self._across_gap(pos, i), False

    def kept(self, start: int, end: int) -> list[tuple[int, int]]:
        """Where the parts of old[start:end] that the diff kept are in the new text."""
        first = max(0, bisect_right(self._old, start) - 1)
        parts = []
        for i in range(first, bisect_left(self._old, end)):
            lo, hi = max(start, self._old[i]), min(end, self._old[i] + self._size[i])
            if lo < hi:
                parts.append((self._new[i] + lo - self._old[i], self._new[i] + hi - self._old[i]))
        return parts

    def kept_in_new(self, start: int, end: int) -> int:
        """How much of new[start:end] is text the diff kept (rather than inserted)."""
        first = max(0, bisect_right(self._new, start) - 1)
        return sum(
            max(0, min(end, self._new[i] + self._size[i]) - max(start, self._new[i]))
            for i in range(first, bisect_left(self._new, end))
        )

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the new text that old[start:end] became: it cannot reach into text
        the diff kept from outside that range."""
        i = bisect_right(self._old, start) - 1
        if i >= 0 and start < self._old[i] + self._size[i]:
            lo = self._new[i] + start - self._old[i]
        else:
            lo = self._new[i] + self._size[i] if i >= 0 else 0
        k = bisect_left(self._old, end)
        if k > 0 and end <= self._old[k - 1] + self._size[k - 1]:
            hi = self._new[k - 1] + end - self._old[k - 1]
        else:
            hi = self._new[k] if k < len(self._old) else self._new_len
        return lo, max(lo, hi)

    def _across_gap(self, pos: int, i: int) -> int:
        """Place an offset inside a changed stretch proportionally: a hint, not a promise."""
        old_lo = self._old[i] + self._size[i] if i >= 0 else 0
        new_lo = self._new[i] + self._size[i] if i >= 0 else 0
        has_next = i + 1 < len(self._old)
        old_hi = self._old[i + 1] if has_next else self._old_len
        new_hi = self._new[i + 1] if has_next else self._new_len
        return new_lo + (pos - old_lo) * (new_hi - new_lo) // max(1, old_hi - old_lo)
