"""Re-anchoring measured on real edits: the shared real-edits corpus, passages sampled on each old
revision, a ground truth from an independent word diff, and the reference annotator's search.

Used by bench/bench_reanchor_corpus.py (the whole corpus) and tests/unit/test_reanchor_corpus.py
(a bounded subset). The corpus is read in place from ../shared beside the repository, never copied.

The ground truth is git's histogram diff (`git diff --no-index --histogram`, one word a line)
over words split at whitespace; a second pass over the words it left unaligned finds moved text,
and a replaced word that is nearly the same (difflib ratio) counts as edited, not deleted.
Studygroup's re-anchoring uses none of it: it diffs regex tokens (words,
punctuation and whitespace runs apart) with diff-match-patch's Myers bisection and semantic
cleanup, then scores quotes and their context with Levenshtein similarity.
"""

from __future__ import annotations

import json
import lzma
import random
import re
import subprocess
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from studygroup.anchoring import Selector, describe

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/real-edits/versions.jsonl.xz"
SEED = 20261130
PASSAGES_PER_PAIR = 24
MOVED_MIN_WORDS = 8
"""A run of words counts as moved when at least this many reappear together elsewhere."""
_WORD = re.compile(r"\S+")
_SEPARATOR = "\x00"
_TOKEN = re.compile(r"\w+|[^\w\s]")
"""Ground-truth tokens: runs of letters and digits, and each punctuation mark alone."""
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
EDITED_RATIO = 0.75
"""Similarity (difflib ratio) at which a replaced word counts as the same word edited."""
EDITED_LOOKAHEAD = 8

Kind = Literal["kept", "changed", "deleted"]
Span = tuple[int, int]


@dataclass(frozen=True)
class Pair:
    """Two consecutive versions of one document."""

    doc: str
    number: int
    old: str
    new: str


@dataclass(frozen=True)
class Truth:
    """What the edit did to one passage: its new span if kept, its surviving words if changed."""

    kind: Kind
    span: Span | None = None
    surviving: tuple[Span, ...] = ()


@dataclass
class Tally:
    """Outcomes of one re-anchoring method over many passages."""

    name: str
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    orphaned: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    misplaced: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, truth: Truth, selector: Selector, placed: Span | None, new: str) -> None:
        """Count one passage: found where the ground truth says, orphaned, or misplaced."""
        kind = truth.kind
        self.total[kind] += 1
        if placed is None:
            self.orphaned[kind] += 1
        elif kind == "kept" and placed == truth.span:
            self.found[kind] += 1
        elif kind == "changed" and any(_overlap(placed, word) for word in truth.surviving):
            self.found[kind] += 1
        else:
            self.misplaced[kind] += 1
            self.examples.append(
                f"{kind}: {selector.exact[:60]!r} -> {new[placed[0] : placed[1]][:60]!r} "
                f"at {placed} (truth {truth.span or truth.surviving[:3]})"
            )

    def percent(self, counts: dict[str, int], kind: str) -> float:
        return 100.0 * counts[kind] / max(1, self.total[kind])


KINDS: tuple[Kind, ...] = ("kept", "changed", "deleted")


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def load_pairs(path: Path = CORPUS) -> list[Pair]:
    """Consecutive versions of each document in the corpus, oldest first."""
    versions: dict[str, list[str]] = {}
    with lzma.open(path, "rt", encoding="utf-8") as corpus:
        for line in corpus:
            version = json.loads(line)
            versions.setdefault(version["doc"], []).append(version["text"])
    return [
        Pair(doc, number, texts[number], texts[number + 1])
        for doc, texts in versions.items()
        for number in range(len(texts) - 1)
    ]


class GroundTruth:
    """Word alignment of one pair by git's histogram diff, plus moved and edited words."""

    def __init__(self, old: str, new: str) -> None:
        self.old_words = [m.span() for m in _TOKEN.finditer(old)]
        self.new_words = [m.span() for m in _TOKEN.finditer(new)]
        self._old_starts = [start for start, _ in self.old_words]
        old_tokens = [old[s:e] for s, e in self.old_words]
        new_tokens = [new[s:e] for s, e in self.new_words]
        self._old_tokens = old_tokens
        self._old_joined, self._new_joined = _joined(old_tokens), _joined(new_tokens)
        self.to_new: list[int | None] = [None] * len(old_tokens)
        self.edited: dict[int, int] = {}
        for i, j, size in git_matching_blocks(old_tokens, new_tokens):
            self.to_new[i : i + size] = range(j, j + size)
        self.changed_words = [i for i, j in enumerate(self.to_new) if j is None]
        self._add_moves(old_tokens, new_tokens)
        self._pair_edited_words(old_tokens, new_tokens)

    def _unaligned(self, new_count: int) -> tuple[list[int], list[int]]:
        taken = {j for j in self.to_new if j is not None}
        old_left = [i for i, j in enumerate(self.to_new) if j is None]
        return old_left, [j for j in range(new_count) if j not in taken]

    def _add_moves(self, old_tokens: list[str], new_tokens: list[str]) -> None:
        """Align long runs of unaligned old words with unaligned new words: moved text."""
        old_left, new_left = self._unaligned(len(new_tokens))
        blocks = git_matching_blocks(
            [old_tokens[i] for i in old_left], [new_tokens[j] for j in new_left]
        )
        for a, b, size in blocks:
            runs = _contiguous_runs(old_left[a : a + size], new_left[b : b + size])
            for olds, news in runs:
                if len(olds) >= MOVED_MIN_WORDS:
                    for i, j in zip(olds, news, strict=True):
                        self.to_new[i] = j

    def _pair_edited_words(self, old_tokens: list[str], new_tokens: list[str]) -> None:
        """Within each changed stretch, pair an old word with a similar new one in order (a
        typo fixed, punctuation changed): the passage is changed there, not deleted."""
        old_left, new_left = self._unaligned(len(new_tokens))
        before, after = _nearest_aligned(self.to_new, len(new_tokens))
        new_at = 0
        for i in old_left:
            while new_at < len(new_left) and new_left[new_at] <= before[i]:
                new_at += 1
            for k in range(new_at, min(len(new_left), new_at + EDITED_LOOKAHEAD)):
                j = new_left[k]
                if j >= after[i]:
                    break
                if SequenceMatcher(None, old_tokens[i], new_tokens[j]).ratio() >= EDITED_RATIO:
                    self.edited[i] = j
                    new_at = k + 1
                    break

    def classify(self, start: int, end: int) -> Truth:
        """Classify the passage old[start:end], which begins and ends on tokens."""
        first = bisect_left(self._old_starts, start)
        last = bisect_left(self._old_starts, end) - 1
        mapped = self.to_new[first : last + 1]
        kept = [j for j in mapped if j is not None]
        if len(kept) == len(mapped) and all(j == kept[0] + k for k, j in enumerate(kept)):
            return Truth("kept", (self.new_words[kept[0]][0], self.new_words[kept[-1]][1]))
        edited = [self.edited[i] for i in range(first, last + 1) if i in self.edited]
        if not kept and not edited:
            return self._moved(first, last)
        return Truth("changed", surviving=tuple(self.new_words[j] for j in kept + edited))

    def _moved(self, first: int, last: int) -> Truth:
        """A deleted passage has moved if it, with neighbouring words on either side to make
        a run long enough to be telling, is found once in the old text and once in the new."""
        count = len(self.old_words)
        pad = max(0, MOVED_MIN_WORDS - (last - first + 1))
        for lo, hi in ((first - pad, last), (first, last + pad), (first - pad, last + pad)):
            if lo < 0 or hi >= count:
                continue
            needle = _joined(self._old_tokens[lo : hi + 1])
            if self._old_joined.count(needle) == 1 and self._new_joined.count(needle) == 1:
                j = self._new_joined.count(_SEPARATOR, 0, self._new_joined.find(needle))
                j += first - lo
                return Truth("kept", (self.new_words[j][0], self.new_words[j + last - first][1]))
        return Truth("deleted")


def _joined(tokens: list[str]) -> str:
    """Tokens between separators, so a run of tokens can be found with str.find."""
    return _SEPARATOR + _SEPARATOR.join(tokens) + _SEPARATOR


def git_matching_blocks(old: list[str], new: list[str]) -> list[tuple[int, int, int]]:
    """Equal runs (old index, new index, size) of two word lists, by git's histogram diff."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder, "old"), Path(folder, "new")]
        for path, words in zip(paths, (old, new), strict=True):
            path.write_text("".join(word + "\n" for word in words), encoding="utf-8")
        diff = subprocess.run(
            ["git", "diff", "--no-index", "--no-color", "--no-ext-diff", "--histogram", "-U0"]
            + [str(path) for path in paths],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if diff.returncode > 1:
        raise RuntimeError(diff.stderr)
    blocks, i, j = [], 0, 0
    for hunk in _HUNK.finditer(diff.stdout):
        old_start, old_size, new_start, new_size = (
            int(n) if n is not None else 1 for n in hunk.groups()
        )
        old_start -= 1 if old_size else 0
        new_start -= 1 if new_size else 0
        blocks.append((i, j, old_start - i))
        i, j = old_start + old_size, new_start + new_size
    blocks.append((i, j, len(old) - i))
    return [block for block in blocks if block[2] > 0]


def _nearest_aligned(to_new: list[int | None], new_count: int) -> tuple[list[int], list[int]]:
    """For each old word, the new positions of the nearest aligned words before and after it."""
    before, last = [], -1
    for j in to_new:
        before.append(last)
        last = last if j is None else j
    after, last = [], new_count
    for j in reversed(to_new):
        after.append(last)
        last = last if j is None else j
    return before, after[::-1]


def _contiguous_runs(olds: list[int], news: list[int]) -> Iterator[tuple[list[int], list[int]]]:
    """Split paired index lists where either side jumps, so each run is adjacent on both."""
    start = 0
    for k in range(1, len(olds) + 1):
        if k == len(olds) or olds[k] != olds[k - 1] + 1 or news[k] != news[k - 1] + 1:
            yield olds[start:k], news[start:k]
            start = k


def sample_passages(pair: Pair, truth: GroundTruth, count: int) -> list[tuple[Selector, Truth]]:
    """Passages of 1-40 whole words, half anywhere and half on or next to an edit."""
    rng = random.Random(f"{SEED}:{pair.doc}:{pair.number}")
    words = [m.span() for m in _WORD.finditer(pair.old)]
    word_starts = [start for start, _ in words]
    changed = [bisect_right(word_starts, truth.old_words[i][0]) - 1 for i in truth.changed_words]
    passages = []
    for k in range(count):
        size = rng.choice((rng.randint(1, 3), rng.randint(4, 12), rng.randint(13, 40)))
        if k % 2 and changed:
            first = rng.choice(changed) - rng.randint(0, size)
        else:
            first = rng.randrange(len(words))
        first = max(0, min(first, len(words) - size))
        last = min(len(words), first + size) - 1
        selector = describe(pair.old, words[first][0], words[last][1])
        passages.append((selector, truth.classify(selector.start, selector.end)))
    return passages


# --- The reference annotator -----------------------------------------------------------------


def reference_reanchor(new: str, selector: Selector) -> Span | None:
    """The reference open annotator's way, with no minimum score.

    The position is used when it still holds the quote; otherwise exact occurrences of the quote,
    or the best approximate one within min(256, len/2) edits, are scored by quote (weight 50),
    prefix and suffix (20 each) and distance from the old position (2), and the best one wins.
    """
    start, end, exact = selector.start, selector.end, selector.exact
    if new[start:end] == exact:
        return start, end
    candidates = _occurrences(new, exact)
    if not candidates:
        aligned = fuzz.partial_ratio_alignment(exact, new)
        if aligned is None or aligned.dest_end <= aligned.dest_start:
            return None
        span = (aligned.dest_start, aligned.dest_end)
        if Levenshtein.distance(exact, new[span[0] : span[1]]) > min(256, len(exact) / 2):
            return None
        candidates = [span]

    def score(span: Span) -> float:
        quote = Levenshtein.normalized_similarity(exact, new[span[0] : span[1]])
        before = new[max(0, span[0] - len(selector.prefix)) : span[0]]
        after = new[span[1] : span[1] + len(selector.suffix)]
        prefix = Levenshtein.normalized_similarity(selector.prefix, before)
        suffix = Levenshtein.normalized_similarity(selector.suffix, after)
        position = 1.0 - abs(span[0] - start) / max(1, len(new))
        return (50 * quote + 20 * prefix + 20 * suffix + 2 * position) / 92

    return max(candidates, key=score)


def _occurrences(text: str, quote: str) -> list[Span]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return found


# --- Running a method over the corpus ---------------------------------------------------------

Method = Callable[[str, str, Sequence[Selector]], list[Span | None]]


@dataclass(frozen=True)
class Case:
    """One pair with its sampled passages and their ground truth."""

    pair: Pair
    passages: list[tuple[Selector, Truth]]


def build_cases(pairs: Sequence[Pair], per_pair: int = PASSAGES_PER_PAIR) -> list[Case]:
    """Sample and classify passages on every pair (the ground truth is not timed)."""
    cases = []
    for pair in pairs:
        truth = GroundTruth(pair.old, pair.new)
        cases.append(Case(pair, sample_passages(pair, truth, per_pair)))
    return cases


def evaluate(name: str, method: Method, cases: Sequence[Case]) -> Tally:
    """Run one re-anchoring method on every case, timing only the method (CPU time of this
    process, so that other work on a shared machine does not blur the comparison)."""
    tally = Tally(name)
    for case in cases:
        selectors = [selector for selector, _ in case.passages]
        began = time.process_time()
        placed = method(case.pair.old, case.pair.new, selectors)
        tally.seconds += time.process_time() - began
        for (selector, truth), span in zip(case.passages, placed, strict=True):
            tally.add(truth, selector, span, case.pair.new)
    return tally


def reference_method(old: str, new: str, selectors: Sequence[Selector]) -> list[Span | None]:
    """The reference annotator does without the old text: each quote is searched for alone."""
    return [reference_reanchor(new, selector) for selector in selectors]
