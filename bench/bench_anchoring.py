"""Time re-anchoring 10,000 passages of a 10,000-word article across one typical edit.

Run as `python bench/bench_anchoring.py`; prints figures against the 1 s target.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from studygroup.anchoring import Reanchorer, Selector, describe

SEED = 20240601
WORDS = 10_000
PASSAGES = 10_000
TARGET_SECONDS = 1.0
REPEATS = 5
SYLLABLES = "ka lo re mi su ta ne po ri an ver sto cla tion ment ing ous al be de".split()
COMMON = "the of and to a in is that it was for on as with by at from this".split()


@dataclass(frozen=True)
class Article:
    """The old text as paragraphs, the new text, and what the edit did."""

    paragraphs: list[str]
    new_text: str
    deleted: int
    reworded: str
    new_order: list[int | None]


def make_vocabulary(rng: random.Random) -> list[str]:
    """Invent 3,000 English-ish words so the text has realistic repetition."""
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(3000)]


def make_sentence(rng: random.Random, vocabulary: list[str]) -> str:
    """One sentence of 8-25 words, mixing common and rare words."""
    words = [
        rng.choice(COMMON) if rng.random() < 0.4 else rng.choice(vocabulary)
        for _ in range(rng.randint(8, 25))
    ]
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def make_paragraph(rng: random.Random, vocabulary: list[str], words: int) -> str:
    """Sentences until the paragraph has about `words` words."""
    sentences: list[str] = []
    while sum(s.count(" ") + 1 for s in sentences) < words:
        sentences.append(make_sentence(rng, vocabulary))
    return " ".join(sentences)


def add_typo(rng: random.Random, paragraph: str) -> tuple[str, str]:
    """Swap two letters of a long word: returns (with typo, fixed)."""
    words = paragraph.split(" ")
    i = max(range(len(words)), key=lambda k: (len(words[k]), rng.random()))
    word = words[i]
    typo = word[:1] + word[2] + word[1] + word[3:]
    return " ".join(words[:i] + [typo] + words[i + 1 :]), paragraph


def make_article(rng: random.Random) -> Article:
    """About 60 paragraphs of 10,000 words, then a typical facilitator's edit of them."""
    vocabulary = make_vocabulary(rng)
    old = [make_paragraph(rng, vocabulary, WORDS // 60) for _ in range(60)]
    new: list[tuple[int | None, str]] = list(enumerate(old))
    for index in (3, 17, 29, 44, 55):
        old[index], fixed = add_typo(rng, old[index])
        new[index] = (index, fixed)
    sentences = old[30].split(". ")
    reworded = sentences[1]
    sentences[1] = make_sentence(rng, vocabulary).rstrip(".?!")
    new[30] = (30, ". ".join(sentences))
    deleted = 40
    new[50:50] = [new[10]]
    del new[deleted]
    del new[10]
    new.insert(20, (None, make_paragraph(rng, vocabulary, 150)))
    new_text = "\n\n".join(paragraph for _, paragraph in new)
    return Article(old, new_text, deleted, reworded, [number for number, _ in new])


def make_passages(rng: random.Random, paragraphs: list[str]) -> list[tuple[int, Selector]]:
    """Passages of 3-40 words inside one paragraph each, tagged with that paragraph."""
    text = "\n\n".join(paragraphs)
    words: list[tuple[int, int, int]] = []
    offset = 0
    for number, paragraph in enumerate(paragraphs):
        for word in paragraph.split(" "):
            words.append((number, offset, offset + len(word)))
            offset += len(word) + 1
        offset += 1
    passages = []
    for _ in range(PASSAGES):
        first = rng.randrange(len(words))
        number = words[first][0]
        last = first + rng.randint(3, 40) - 1
        while last >= len(words) or words[last][0] != number:
            last -= 1
        passages.append((number, describe(text, words[first][1], words[last][2])))
    return passages


def count_misplaced(
    article: Article, passages: list[tuple[int, Selector]], results: list[Selector | None]
) -> int:
    """Passages outside the deleted and reworded paragraphs that did not land where expected."""
    old_starts = paragraph_starts(article.paragraphs)
    new_paragraphs = article.new_text.split("\n\n")
    new_starts = dict(zip(article.new_order, paragraph_starts(new_paragraphs), strict=True))
    misplaced = 0
    for (number, selector), result in zip(passages, results, strict=True):
        if number in (article.deleted, 30):
            continue
        start = new_starts[number] + selector.start - old_starts[number]
        if result is None or (result.start, result.end) != (start, start + len(selector.exact)):
            misplaced += 1
    return misplaced


def paragraph_starts(paragraphs: list[str]) -> list[int]:
    """Offset of each paragraph in the text that joins them with blank lines."""
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 2
    return starts


def timed(
    old_text: str, new_text: str, selectors: list[Selector]
) -> tuple[float, float, list[Selector | None]]:
    """Seconds to build the Reanchorer, seconds to re-anchor every selector, and the results."""
    began = time.perf_counter()
    reanchorer = Reanchorer(old_text, new_text)
    built = time.perf_counter()
    results = [reanchorer.reanchor(selector) for selector in selectors]
    return built - began, time.perf_counter() - built, results


def report_outcome(
    article: Article, passages: list[tuple[int, Selector]], results: list[Selector | None]
) -> None:
    """Print how many passages moved, changed or were orphaned, and whether that was right."""
    old_text = "\n\n".join(article.paragraphs)
    orphans = [p for p, result in zip(passages, results, strict=True) if result is None]
    in_deleted = sum(1 for number, _ in passages if number == article.deleted)
    orphans_in_deleted = sum(1 for number, _ in orphans if number == article.deleted)
    lo = old_text.index(article.reworded)
    hi = lo + len(article.reworded)
    reworded = sum(1 for _, s in orphans if s.start < hi and s.end > lo)
    pairs = zip(passages, results, strict=True)
    changed = sum(1 for (_, s), r in pairs if r and r.exact != s.exact)
    print(
        f"re-anchored: {len(passages) - len(orphans):,} ({changed} with an edited quote); "
        f"orphaned: {len(orphans)}"
    )
    print(
        f"sanity: {in_deleted} passages lay in the deleted paragraph, {orphans_in_deleted} of "
        f"them orphaned; {len(orphans) - orphans_in_deleted} other orphans "
        f"({reworded} of them overlap the reworded sentence)"
    )
    print(
        f"misplaced or lost outside the deleted and reworded paragraphs: "
        f"{count_misplaced(article, passages, results)} (expected 0)"
    )


def main() -> None:
    """Build the article, time the re-anchoring, and print the figures."""
    rng = random.Random(SEED)
    article = make_article(rng)
    old_text = "\n\n".join(article.paragraphs)
    passages = make_passages(rng, article.paragraphs)
    selectors = [selector for _, selector in passages]
    runs = [timed(old_text, article.new_text, selectors) for _ in range(REPEATS)]
    build, reanchor, results = sorted(runs, key=lambda run: run[0] + run[1])[REPEATS // 2]
    total = build + reanchor
    best = min(run[0] + run[1] for run in runs)
    print(
        f"article: {len(old_text.split())} words, {len(old_text):,} code points, "
        f"{len(article.paragraphs)} paragraphs; {len(selectors):,} passages"
    )
    print(
        f"median of {REPEATS} runs: diff (Reanchorer construction) {build:.3f} s, "
        f"re-anchor {len(selectors):,} {reanchor:.3f} s"
    )
    print(
        f"total: {total:.3f} s ({total / len(selectors) * 1e6:.1f} µs per passage; best run "
        f"{best:.3f} s); target <= {TARGET_SECONDS:.0f} s: "
        f"{'met' if total <= TARGET_SECONDS else 'MISSED'}"
    )
    report_outcome(article, passages, results)
    rewrite = "\n\n".join(make_article(random.Random(SEED + 1)).paragraphs)
    build, reanchor, results = timed(old_text, rewrite, selectors)
    print(
        f"worst case, whole article replaced: {build + reanchor:.3f} s, "
        f"{sum(result is None for result in results):,} orphaned"
    )


if __name__ == "__main__":
    main()
