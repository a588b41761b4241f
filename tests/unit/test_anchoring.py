"""Selectors survive edits of a reading: re-anchored correctly, or orphaned, never misplaced."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygroup.anchoring import (
    CONTEXT_LENGTH,
    Reanchorer,
    Selector,
    describe,
    locate,
    quote_matches,
    reanchor_all,
)

P1 = (
    "Reading groups meet once a week to talk about a single article. Members highlight "
    "passages they find puzzling and leave notes for the others."
)
P2 = (
    "The facilitator chooses the reading and may correct it during the week. Every "
    "correction creates a new revision of the canonical text."
)
P3 = (
    "Annotations must follow the passage they were written about, even when the "
    "paragraphs around them are rewritten or reordered by the facilitator."
)
P4 = (
    "At the end of the week the group meets in person and walks through the most "
    "discussed passages, one by one, until the tea runs out."
)
ARTICLE = "\n\n".join([P1, P2, P3, P4])
PASSAGE = "creates a new revision"


def select(text: str, quote: str, occurrence: int = 0) -> Selector:
    """Describe the n-th occurrence of quote in text, as a reader's selection would."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return describe(text, start, start + len(quote))


def reanchor(old: str, new: str, selector: Selector) -> Selector | None:
    """Re-anchor one selector across one revision."""
    return Reanchorer(old, new).reanchor(selector)


def landed_on(new: str, result: Selector | None, quote: str, occurrence: int = 0) -> bool:
    """Whether a result is exactly the n-th occurrence of quote in the new text."""
    expected = select(new, quote, occurrence)
    return result == expected and new[result.start : result.end] == quote


# --- describe and quote_matches -----------------------------------------------------------


def test_describe_takes_context_on_both_sides() -> None:
    selector = select(ARTICLE, PASSAGE)
    assert selector.exact == PASSAGE
    assert len(selector.prefix) == len(selector.suffix) == CONTEXT_LENGTH
    assert ARTICLE[selector.start - CONTEXT_LENGTH : selector.start] == selector.prefix
    assert selector.suffix == " of the canonical text.\n\nAnnotat"


def test_describe_context_is_shorter_at_the_edges() -> None:
    assert describe("Hello world", 0, 5) == Selector(0, 5, "Hello", "", " world")
    assert describe("Hello world", 6, 11) == Selector(6, 11, "world", "Hello ", "")


def test_describe_counts_code_points() -> None:
    text = "a😀b𝄞c"
    assert describe(text, 1, 4) == Selector(1, 4, "😀b𝄞", "a", "c")


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 3), (0, 12), (5, 4), (3, 3), (11, 11)],
    ids=["negative-start", "end-past-text", "start-after-end", "empty-range", "empty-at-end"],
)
def test_describe_rejects_bad_ranges(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid range"):
        describe("Hello world", start, end)


def test_describe_rejects_any_range_in_an_empty_text() -> None:
    with pytest.raises(ValueError):
        describe("", 0, 0)


@pytest.mark.parametrize(
    ("start", "end", "exact", "expected"),
    [
        (0, 5, "Hello", True),
        (0, 5, "hello", False),
        (6, 11, "world", True),
        (6, 12, "world", False),
        (-1, 4, "Hell", False),
        (3, 3, "", False),
    ],
    ids=["match", "case-differs", "match-at-end", "past-end", "negative", "empty"],
)
def test_quote_matches(start: int, end: int, exact: str, expected: bool) -> None:
    assert quote_matches("Hello world", start, end, exact) is expected


# --- locate -------------------------------------------------------------------------------


def test_locate_finds_a_unique_quote_without_context() -> None:
    start = ARTICLE.index(PASSAGE)
    assert locate(ARTICLE, PASSAGE) == (start, start + len(PASSAGE))


def test_locate_prefers_the_occurrence_whose_context_matches() -> None:
    text = "red: the same words here. blue: the same words here. green."
    second = text.index("the same", 20)
    found = locate(text, "the same words", prefix="blue: ", suffix=" here. green", hint=0)
    assert found == (second, second + len("the same words"))


@pytest.mark.parametrize("start", [3, 6, 12], ids=["second", "third", "fifth"])
def test_locate_breaks_ties_by_the_hint(start: int) -> None:
    text = "na na na na na na na na"
    assert locate(text, "na", prefix="na ", suffix=" na", hint=start) == (start, start + 2)
    assert locate(text, "na", prefix="na ", suffix=" na", hint=start + 1) == (start, start + 2)


def test_locate_finds_a_corrected_typo_by_its_context() -> None:
    selector = select(ARTICLE, "single article")
    fixed = ARTICLE.replace("single article", "singel article")
    start = fixed.index("singel article")
    found = locate(fixed, selector.exact, selector.prefix, selector.suffix, hint=selector.start)
    assert found == (start, start + len("singel article"))


def test_locate_searches_the_whole_text_without_a_hint() -> None:
    selector = select(ARTICLE, "walks through the most discussed passages")
    fixed = ARTICLE.replace("most discussed", "most-discussed")
    start = fixed.index("walks through")
    found = locate(fixed, selector.exact, selector.prefix, selector.suffix)
    assert found == (start, start + len("walks through the most-discussed passages"))


def test_locate_returns_none_for_an_absent_quote() -> None:
    assert locate(ARTICLE, "a sentence nobody ever wrote here", "x", "y", hint=40) is None


def test_locate_rejects_an_empty_quote() -> None:
    with pytest.raises(ValueError, match="empty quote"):
        locate(ARTICLE, "")


# --- Reanchorer: edits around and inside the passage ----------------------------------------

EDITS = [
    pytest.param(ARTICLE, PASSAGE, id="unchanged"),
    pytest.param("Welcome!\n\n" + ARTICLE, PASSAGE, id="insert-at-start"),
    pytest.param(ARTICLE.replace("once a week", "weekly"), PASSAGE, id="edit-earlier-paragraph"),
    pytest.param(ARTICLE.replace("may correct", "may later correct"), PASSAGE, id="insert-before"),
    pytest.param(ARTICLE.replace("Every correction", "A correction"), PASSAGE, id="edit-prefix"),
    pytest.param(ARTICLE.replace("revision of the", "revision, of the"), PASSAGE, id="edit-suffix"),
    pytest.param(ARTICLE.replace(P2, P2 + " It is kept."), PASSAGE, id="insert-after"),
    pytest.param(ARTICLE.replace(P4, ""), PASSAGE, id="delete-after"),
    pytest.param(ARTICLE.replace(P1 + "\n\n", ""), PASSAGE, id="delete-before"),
    pytest.param(ARTICLE + "\n\nThe end.", PASSAGE, id="append"),
]


@pytest.mark.parametrize(("new", "quote"), EDITS)
def test_reanchor_keeps_the_passage_through_edits_around_it(new: str, quote: str) -> None:
    assert landed_on(new, reanchor(ARTICLE, new, select(ARTICLE, PASSAGE)), quote)


INSIDE = [
    pytest.param("creates a new revision", "creates a brand new revision", id="insert-inside"),
    pytest.param("creates a new revision", "creates a revision", id="delete-inside"),
    pytest.param("creates a new revision", "creates a new revisoin", id="typo-introduced"),
    pytest.param("passages they find puzzling", "passages they find puzling", id="typo-late"),
]


@pytest.mark.parametrize(("before", "after"), INSIDE)
def test_reanchor_follows_small_edits_inside_the_passage(before: str, after: str) -> None:
    new = ARTICLE.replace(before, after)
    assert landed_on(new, reanchor(ARTICLE, new, select(ARTICLE, before)), after)


def test_reanchor_lands_on_the_fixed_typo() -> None:
    old = ARTICLE.replace("canonical text", "canonical txet")
    selector = select(old, "revision of the canonical txet")
    result = reanchor(old, ARTICLE, selector)
    assert landed_on(ARTICLE, result, "revision of the canonical text")


@pytest.mark.parametrize(
    "quote",
    ["the passage they were written about", "Annotations must follow", "by the facilitator."],
    ids=["middle", "paragraph-start", "paragraph-end"],
)
def test_reanchor_follows_a_moved_paragraph(quote: str) -> None:
    new = "\n\n".join([P1, P4, P2, P3])
    moved = "\n\n".join([P3, P1, P2, P4])
    assert landed_on(new, reanchor(ARTICLE, new, select(ARTICLE, quote)), quote)
    assert landed_on(moved, reanchor(ARTICLE, moved, select(ARTICLE, quote)), quote)


@pytest.mark.parametrize(
    ("old", "new", "quote", "expected"),
    [
        ("One  two  three four.", "One two three four.", "two  three", "two three"),
        ("Alpha beta\ngamma delta.", "Alpha beta gamma delta.", "beta\ngamma", "beta gamma"),
        ("Intro.\n\nLong  line of text.", "Intro.\nLong line of text.", "Long  line", "Long line"),
        ("Alpha beta gamma delta.", "Alpha beta\r\ngamma delta.", "beta gamma", "beta\r\ngamma"),
    ],
    ids=["double-spaces-collapsed", "line-break-to-space", "blank-line-and-spaces", "crlf-added"],
)
def test_reanchor_survives_whitespace_only_changes(
    old: str, new: str, quote: str, expected: str
) -> None:
    assert landed_on(new, reanchor(old, new, select(old, quote)), expected)


def test_reanchor_keeps_a_leading_space_when_the_prefix_is_cut() -> None:
    old = "the mat river and sat and dog sat of morning river then cold"
    new = old.replace("sat and dog", "dog")
    result = reanchor(old, new, select(old, " dog sat of morning"))
    assert landed_on(new, result, " dog sat of morning")


def test_locate_matches_across_collapsed_whitespace() -> None:
    text = "One two three four."
    assert locate(text, "two  three", "One ", " four.", hint=4) == (4, 13)


# --- Repeated text -------------------------------------------------------------------------

TWICE = (
    "Chapter one opens quietly. The river was cold that morning. Nobody spoke.\n\n"
    "Chapter two opens loudly. The river was cold that morning. Everyone shouted."
)
SENTENCE = "The river was cold that morning."


@pytest.mark.parametrize(
    "new",
    [
        TWICE,
        "Prologue in a garden.\n\n" + TWICE,
        TWICE.replace("Nobody spoke.", "Nobody spoke at all, not even the dog."),
        TWICE.replace("Chapter one opens quietly. ", ""),
    ],
    ids=["unchanged", "edit-before-both", "edit-between", "context-of-first-deleted"],
)
@pytest.mark.parametrize("occurrence", [0, 1], ids=["first-copy", "second-copy"])
def test_repeated_sentence_annotations_stay_on_their_copy(new: str, occurrence: int) -> None:
    result = reanchor(TWICE, new, select(TWICE, SENTENCE, occurrence))
    assert landed_on(new, result, SENTENCE, occurrence)


def test_deleting_one_copy_orphans_its_annotation_only() -> None:
    new = TWICE.replace("Chapter one opens quietly. " + SENTENCE + " Nobody spoke.", "Nobody.")
    first, second = (select(TWICE, SENTENCE, n) for n in (0, 1))
    results = reanchor_all(TWICE, new, [first, second])
    assert results[0] is None
    assert landed_on(new, results[1], SENTENCE)


# --- Orphans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "quote"),
    [
        pytest.param(ARTICLE.replace(P3, "This part was cut."), "written about", id="paragraph"),
        pytest.param(
            ARTICLE.replace(" Every correction creates a new revision of the canonical text.", ""),
            PASSAGE,
            id="sentence",
        ),
        pytest.param(
            ARTICLE.replace("creates a new revision", "makes a fresh copy"), PASSAGE, id="reworded"
        ),
        pytest.param("Something else entirely.", PASSAGE, id="whole-text-replaced"),
    ],
)
def test_deleted_passage_becomes_an_orphan(new: str, quote: str) -> None:
    assert reanchor(ARTICLE, new, select(ARTICLE, quote)) is None


def test_deleted_passage_does_not_land_on_similar_text_nearby() -> None:
    old = "The first cat sat on the warm mat today. A dog slept by the door all day long."
    new = "A dog slept by the door all day long. The first cat sat."
    assert reanchor(old, new, select(old, "cat sat on the warm mat")) is None


# --- Unicode ---------------------------------------------------------------------------------

UNICODE = "Intro 😀 line.\n\nLe cafe\u0301 était 𝄞 plein de 学生们在读书 ce matin-là. Fin 🎉."


@pytest.mark.parametrize(
    "quote",
    ["cafe\u0301 était 𝄞", "𝄞 plein", "学生们在读书", "生们在", "读书 ce matin", "Fin 🎉"],
    ids=["combining-and-clef", "clef-start", "cjk", "cjk-inside", "cjk-edge", "emoji-end"],
)
@pytest.mark.parametrize(
    "new",
    [
        "Intro 😀😀 longer line.\n\n" + UNICODE.split("\n\n")[1],
        UNICODE.replace("Intro 😀 line.\n\n", "𝄞\n\n"),
        UNICODE.replace("Fin 🎉.", "Fin 🎉. Encore 😀!"),
    ],
    ids=["emoji-inserted-before", "intro-replaced", "text-appended"],
)
def test_reanchor_counts_code_points_in_non_ascii_text(quote: str, new: str) -> None:
    assert landed_on(new, reanchor(UNICODE, new, select(UNICODE, quote)), quote)


def test_reanchor_fixes_a_typo_inside_cjk() -> None:
    old = UNICODE.replace("学生们在读书", "学生门在读书")
    result = reanchor(old, UNICODE, select(old, "学生门在读书 ce"))
    assert landed_on(UNICODE, result, "学生们在读书 ce")


def test_reanchor_treats_recomposed_accents_as_the_same_quote() -> None:
    new = UNICODE.replace("e\u0301", "\u00e9")
    result = reanchor(UNICODE, new, select(UNICODE, "cafe\u0301 était"))
    assert landed_on(new, result, "caf\u00e9 était")


# --- reanchor_all and properties -------------------------------------------------------------


def test_reanchor_all_keeps_input_order() -> None:
    new = ARTICLE.replace(P3, "Cut.")
    quotes = ["single article", "written about", "tea runs out"]
    results = reanchor_all(ARTICLE, new, [select(ARTICLE, q) for q in quotes])
    assert [r.exact if r else None for r in results] == ["single article", None, "tea runs out"]


@st.composite
def texts_and_ranges(draw: st.DrawFn) -> tuple[str, int, int]:
    """Short texts over a tiny alphabet, so quotes and contexts repeat often."""
    text = draw(st.text(alphabet="ab é😀\n学", min_size=1, max_size=120))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300, deadline=None)
@given(texts_and_ranges())
def test_describe_then_locate_returns_the_original_range(case: tuple[str, int, int]) -> None:
    text, start, end = case
    selector = describe(text, start, end)
    assert locate(text, selector.exact, selector.prefix, selector.suffix, hint=start) == (
        start,
        end,
    )


@settings(max_examples=200, deadline=None)
@given(texts_and_ranges())
def test_reanchor_on_identical_text_keeps_every_selector(case: tuple[str, int, int]) -> None:
    text, start, end = case
    selector = describe(text, start, end)
    assert reanchor(text, text, selector) == selector


@settings(max_examples=200, deadline=None)
@given(texts_and_ranges())
def test_reanchor_shifts_selectors_past_an_inserted_preface(case: tuple[str, int, int]) -> None:
    text, start, end = case
    preface = "PROLOGUE—¶"
    result = reanchor(text, preface + text, describe(text, start, end))
    assert result == describe(preface + text, start + len(preface), end + len(preface))


# --- Short quotes: the diff decides, context must agree strongly to go anywhere else --------


def test_a_short_quote_whose_sentence_was_deleted_does_not_land_on_a_caption() -> None:
    old = (
        "The checker compares the same lifetime of both references here.\n\n"
        "Figure 10-1: the same lifetime, drawn as a bar.\n\nThe end."
    )
    new = "Figure 10-1: the same lifetime, drawn as a bar.\n\nThe end."
    assert reanchor(old, new, select(old, "the same lifetime")) is None


def test_a_word_of_a_deleted_list_entry_does_not_land_on_the_next_entry() -> None:
    old = "Pair the socks with care.\n\nFold the shirts with care.\n\nStack the plates."
    new = "Fold the shirts with care.\n\nStack the plates."
    assert reanchor(old, new, select(old, "with")) is None


def test_a_kept_short_quote_stays_when_both_sides_of_it_were_edited() -> None:
    old = "First, we start with the basics of reading."
    new = "First, you begin with the essentials of reading."
    assert landed_on(new, reanchor(old, new, select(old, "with")), "with")


def test_a_quote_of_whole_words_does_not_land_inside_a_word() -> None:
    old = "Be aware OS X is based on BSD."
    new = "Be aware macOS is based on BSD."
    assert reanchor(old, new, select(old, "OS")) is None
