"""Re-anchor passages across 258 real revisions of long prose documents, against the reference
annotator's fuzzy quote search: how many are re-found, orphaned or misplaced, and how fast.

Run as `python bench/bench_reanchor_corpus.py`; the corpus is read from ../shared beside the
repository (see bench/real_edits.py for the sampling and the ground truth).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from real_edits import (
    CORPUS,
    KINDS,
    Span,
    Tally,
    build_cases,
    evaluate,
    load_pairs,
    reference_method,
)

from studygroup.anchoring import Selector, reanchor_all

GOALS = "goals: 0 misplaced kept or deleted; kept re-found >= 99.8 %; changed re-found >= 60 %"


def studygroup_method(old: str, new: str, selectors: Sequence[Selector]) -> list[Span | None]:
    """Studygroup's re-anchoring, as services/revisions.py calls it."""
    return [None if s is None else (s.start, s.end) for s in reanchor_all(old, new, selectors)]


def rows(tally: Tally) -> list[str]:
    """One column of the comparison table."""
    total, found, orphaned, misplaced = tally.total, tally.found, tally.orphaned, tally.misplaced
    return [
        f"{tally.percent(found, 'kept'):.2f} % ({found['kept']:,})",
        f"{tally.percent(orphaned, 'kept'):.2f} % ({orphaned['kept']})",
        f"{tally.percent(orphaned, 'deleted'):.1f} % ({orphaned['deleted']})",
        " / ".join(str(misplaced[kind]) for kind in KINDS),
        f"{tally.percent(found, 'changed'):.1f} % ({found['changed']:,})",
        f"{tally.seconds:.2f} s",
        f"{sum(total.values()):,}",
    ]


def main() -> None:
    """Sample, classify, re-anchor both ways, and print the table."""
    if not CORPUS.exists():
        sys.exit(f"corpus not found at {CORPUS}: nothing to measure")
    pairs = load_pairs()
    began = time.perf_counter()
    cases = build_cases(pairs)
    truth_seconds = time.perf_counter() - began
    ours = evaluate("Studygroup", studygroup_method, cases)
    reference = evaluate("reference", reference_method, cases)
    print(
        f"{len(pairs)} revision pairs; {sum(ours.total.values()):,} passages "
        f"(kept {ours.total['kept']:,}, changed {ours.total['changed']:,}, "
        f"deleted {ours.total['deleted']:,}); ground truth built in {truth_seconds:.1f} s"
    )
    labels = [
        "kept passages re-found",
        "kept passages lost to orphan",
        "deleted passages correctly orphaned",
        "misplaced (kept / changed / deleted)",
        "changed passages re-found",
        "CPU time to re-anchor every pair",
        "passages",
    ]
    print(f"{'':38} {'Studygroup':>24} {'reference annotator':>24}")
    for label, mine, theirs in zip(labels, rows(ours), rows(reference), strict=True):
        print(f"{label:38} {mine:>24} {theirs:>24}")
    print(f"time, Studygroup / reference: {ours.seconds / reference.seconds:.2f}")
    met = (
        ours.misplaced["kept"] == ours.misplaced["deleted"] == 0
        and ours.percent(ours.found, "kept") >= 99.8
        and ours.percent(ours.found, "changed") >= 60
    )
    print(f"{GOALS}: {'met' if met else 'MISSED'}")
    for example in ours.examples:
        print(f"  Studygroup misplaced {example}")


if __name__ == "__main__":
    main()
