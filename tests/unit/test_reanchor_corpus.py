"""Real edits of long prose (a bounded subset of the shared corpus; the benchmark runs it all):
no kept or deleted passage is misplaced, and kept passages are re-found."""

from __future__ import annotations

import shutil

from bench.real_edits import CORPUS, Tally, build_cases, evaluate, load_pairs
from studygroup.anchoring import reanchor_all
from tests.conftest import skip_or_fail

EVERY = 6
"""Every sixth revision pair of the corpus, so the test takes seconds, not a minute."""


def _studygroup(old: str, new: str, selectors: list) -> list[tuple[int, int] | None]:
    return [None if s is None else (s.start, s.end) for s in reanchor_all(old, new, selectors)]


def _subset_tally() -> Tally:
    if not CORPUS.exists():
        skip_or_fail(f"the real-edits corpus is not at {CORPUS}")
    if shutil.which("git") is None:
        skip_or_fail("the ground truth needs git's histogram diff")
    return evaluate("Studygroup", _studygroup, build_cases(load_pairs()[::EVERY]))


def test_real_edits_misplace_no_kept_or_deleted_passage_and_refind_kept_ones() -> None:
    tally = _subset_tally()
    assert sum(tally.total.values()) > 800
    assert min(tally.total.values()) > 40  # all three kinds are really exercised
    assert tally.misplaced == {"kept": 0, "changed": 0, "deleted": 0}, tally.examples
    assert tally.percent(tally.found, "kept") >= 99.8
    assert tally.percent(tally.found, "changed") >= 60
    assert tally.percent(tally.orphaned, "deleted") >= 99
