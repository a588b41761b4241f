"""Article-body F1 of the candidate extractors, and of our own import, on 181 real pages.

Run as `python bench/bench_extraction.py`. Reads the public article-extraction benchmark from
../shared/corpora/article-extraction/ (skips when absent) and applies its measure: 4-word
shingles of \\w+ tokens; per page true/false positives and false negatives normalised by their
sum; precision and recall from those over all pages, F1 from the two. "ours" is the whole
import path: trafilatura -> the intake pipeline -> sanitizer -> canonical text.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpora/article-extraction"
TARGET_F1 = 0.958  # trafilatura 2.0.0, the best open-source score the benchmark publishes
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[str]:
    tokens = _TOKEN.findall(text)
    return Counter(" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_scores(expected: str, extracted: str) -> tuple[float, float, float]:
    """True positives, false positives, false negatives of one page, normalised by their sum."""
    want, got = shingles(expected), shingles(extracted)
    tp = fp = fn = 0
    for key in want.keys() | got.keys():
        tp += min(want[key], got[key])
        fp += max(0, got[key] - want[key])
        fn += max(0, want[key] - got[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """F1, precision, recall over all pages."""
    scores = [page_scores(expected, extracted) for expected, extracted in pairs]
    tp, fp, fn = (sum(page[i] for page in scores) for i in range(3))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def trafilatura_text(page: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(page, url=url) or ""


def readability_text(page: bytes, url: str) -> str:
    from lxml import html
    from readability import Document

    summary = Document(page, url=url).summary(html_partial=True)
    return str(html.fromstring(summary).text_content()) if summary.strip() else ""


def ours(page: bytes, url: str) -> str:
    from studygroup.intake import prepare
    from studygroup.intake.extract import extract_article

    article = extract_article(page, url)
    return prepare(article.html, "html").text if article else ""


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "trafilatura": trafilatura_text,
    "readability-lxml": readability_text,
    "ours (trafilatura -> intake -> sanitizer)": ours,
}


def main() -> int:
    if not CORPUS.is_dir():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    warnings.simplefilter("ignore")
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {
        key: gzip.decompress((CORPUS / "html" / f"{key}.html.gz").read_bytes()) for key in truth
    }
    print(f"{len(pages)} pages; target: our import's F1 >= {TARGET_F1}")
    for name, extract in EXTRACTORS.items():
        started = time.perf_counter()
        try:
            pairs = [(truth[k]["articleBody"], extract(pages[k], truth[k]["url"])) for k in pages]
        except ImportError as error:
            print(f"{name:45} not installed ({error.name})")
            continue
        f1, precision, recall = score(pairs)
        seconds = time.perf_counter() - started
        figures = f"F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}"
        print(f"{name:45} {figures}  {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
