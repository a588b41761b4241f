"""The intake's pure steps: which format, which layout, what structure (no network, no Flask)."""

from __future__ import annotations

import json
import lzma

import pytest

from studygroup.intake import prepare
from studygroup.intake.detect import BLOCKS, LINES, paragraph_layout, sniff_format
from studygroup.intake.structure import Structure
from tests.conftest import skip_or_fail
from tests.intake_support import ATTRIBUTION, CORPUS, EPIGRAPH, essay_as_published

REAL_EDITS = CORPUS.parent / "real-edits/versions.jsonl.xz"
WRAPPED = (
    "Most of what we read, we read alone: on the bus, late at night, in the\n"
    "ten minutes before a meeting.\n\n"
    "A reading group changes the pace of disagreement. In a feed, an argument\n"
    "lasts as long as a scroll.\n"
)


def test_the_demo_essay_pasted_as_plain_text_reads_as_paragraphs_epigraph_and_quotation():
    intake = prepare(essay_as_published())
    assert (intake.source_format, intake.layout) == ("text", LINES)
    assert intake.structure == Structure(paragraphs=12, epigraphs=1, quotations=1)
    assert intake.html.startswith(
        f"<blockquote>\n<p>{EPIGRAPH}</p>\n<footer>– <cite>{ATTRIBUTION[2:]}</cite></footer>"
    )
    assert "<blockquote>\n<p>\u201cWe did not agree by the end of the evening." in intake.html
    assert intake.summary == (
        "Detected: plain text, one paragraph per line; 12 paragraphs, 1 epigraph, "
        "1 block quotation."
    )


def test_hard_wrapped_text_makes_one_paragraph_per_blank_line_block():
    intake = prepare(WRAPPED)
    assert intake.layout == BLOCKS
    assert intake.html.count("<p>") == 2
    assert intake.text.startswith("Most of what we read, we read alone: on the bus, late at")


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        pytest.param("# Title\n\nText.", "markdown", id="heading"),
        pytest.param("Read [this](https://e.org) first.", "markdown", id="link"),
        pytest.param("It is **bold**.", "markdown", id="strong"),
        pytest.param("> quoted\n\nafter", "markdown", id="quote"),
        pytest.param("<p>Hello</p>", "html", id="html"),
        pytest.param("<!DOCTYPE html><html><body>x", "html", id="document"),
        pytest.param("1. One text at a time.\n2. Questions first.", "text", id="list-alone"),
        pytest.param("A line with a * star and an_underscore.", "text", id="prose"),
    ],
)
def test_the_format_is_sniffed(source, fmt):
    assert sniff_format(source) == fmt


def test_a_multi_paragraph_quotation_reopens_each_paragraph_and_closes_the_last():
    source = "Intro.\n\u201cFirst part,\n\u201cand the end.\u201d\nAfter."
    html = prepare(source, "text").html
    assert html.count("<blockquote>") == 1
    assert "<p>\u201cFirst part,</p>\n<p>\u201cand the end.\u201d</p>\n</blockquote>" in html


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("\u201cYes,\u201d she said, \u201cbut no.\u201d", id="two-quotes"),
        pytest.param("\u201cNever closed, and nothing follows", id="unclosed"),
    ],
)
def test_a_paragraph_that_is_not_wholly_a_quotation_stays_a_paragraph(paragraph):
    assert "<blockquote>" not in prepare(f"Intro.\n{paragraph}\nAfter.", "text").html


def test_a_quotation_with_its_source_on_the_same_line_is_an_epigraph():
    html = prepare("\u201cWorkers of the world, unite!\u201d \u2014 Marx and Engels\nText.").html
    assert "<footer>\u2014 <cite>Marx and Engels</cite></footer>" in html


def test_a_title_followed_by_a_byline_is_not_an_epigraph():
    html = prepare("Why We Read Together\n\u2014 The collective\nText follows here.").html
    assert "<blockquote>" not in html


def test_the_text_keeps_every_character_of_the_paste():
    source = essay_as_published()
    assert "".join(prepare(source).text.split()) == "".join(source.split())


def test_real_documents_with_blank_lines_between_paragraphs_keep_them():
    if not REAL_EDITS.exists():
        skip_or_fail(f"no real-edits corpus at {REAL_EDITS}")
    with lzma.open(REAL_EDITS, "rt", encoding="utf-8") as lines:
        documents = [json.loads(next(lines))["text"] for _ in range(5)]
    for text in documents:
        blocks = [b for b in text.split("\n\n") if b.strip()]
        assert paragraph_layout(text) in (LINES, BLOCKS)
        intake = prepare(text, "text")
        assert intake.structure.paragraphs >= len(blocks) // 2
        assert "".join(intake.text.split()) == "".join(text.split())
