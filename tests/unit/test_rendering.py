from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygroup.intake import prepare
from studygroup.rendering import (
    COMMENT_TAGS,
    LINK_REL,
    READING_TAGS,
    canonical_text,
    render_comment,
    render_reading,
)

VECTORS_FILE = Path(__file__).with_name("xss_vectors.txt")
SAFE_SCHEMES = {"http", "https", "mailto"}
FORBIDDEN_MARKUP = re.compile(
    r"<\s*/?\s*(script|style|iframe|frame|svg|math|object|embed|img|image|noscript|template"
    r"|textarea|title|xmp|plaintext|base|meta|link|form|input|button|video|audio|source)\b",
    re.IGNORECASE,
)
READING_ATTRS = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "dfn": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
COMMENT_ATTRS = {"a": {"href", "title", "rel"}, "ol": {"start"}}


def load_vectors() -> list[tuple[str, str]]:
    """Read the corpus: '--- id' lines open each vector."""
    chunks = VECTORS_FILE.read_text(encoding="utf-8").split("\n--- ")[1:]
    return [(chunk.split("\n", 1)[0], chunk.rstrip("\n").split("\n", 1)[1]) for chunk in chunks]


VECTORS = load_vectors()


class Inventory(HTMLParser):
    """Everything markup-like in an output: tags with attributes, comments, declarations."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"decl {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"pi {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"unknown {data!r}")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see, after stripping the junk browsers ignore."""
    match = re.match(r"([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20\x7f-\x9f]", "", value).lower())
    return match.group(1) if match else None


def assert_safe(output: str, tags: frozenset[str], attrs: Mapping[str, set[str]]) -> None:
    """No element, attribute or URL outside the allow-list survives in rendered HTML."""
    assert not FORBIDDEN_MARKUP.search(output), output
    inventory = Inventory()
    inventory.feed(output)
    inventory.close()
    assert inventory.other == []
    for tag, tag_attrs in inventory.tags:
        assert tag in tags, output
        for name, value in tag_attrs:
            assert not name.startswith("on"), output
            assert name in attrs.get(tag, set()), output
            if name in {"href", "src"}:
                assert url_scheme(value or "") in SAFE_SCHEMES | {None}, output


# Vectors whose "alert" is legitimately visible text once the markup around it is neutralised.
ALERT_SHOWN_AS_TEXT = {"script-split-name", "img-alt-breakout", "nul-split-tag"}


def vector_params() -> list[object]:
    return [pytest.param(name, vector, id=name) for name, vector in VECTORS]


def test_corpus_is_large_enough() -> None:
    assert len(VECTORS) >= 60
    assert len({name for name, _ in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize(("name", "vector"), vector_params())
def test_xss_vector_in_uploaded_html(name: str, vector: str) -> None:
    output = render_reading(vector, "html")
    assert_safe(output, READING_TAGS, READING_ATTRS)
    if not name.startswith("md-") and name not in ALERT_SHOWN_AS_TEXT:
        assert "alert" not in canonical_text(output)  # script bodies are dropped, not shown


@pytest.mark.parametrize(("name", "vector"), vector_params())
def test_xss_vector_in_markdown_reading(name: str, vector: str) -> None:
    assert_safe(render_reading(vector, "markdown"), READING_TAGS, READING_ATTRS)


@pytest.mark.parametrize(("name", "vector"), vector_params())
def test_xss_vector_in_comment(name: str, vector: str) -> None:
    assert_safe(render_comment(vector), COMMENT_TAGS, COMMENT_ATTRS)


@pytest.mark.parametrize(("name", "vector"), vector_params())
def test_xss_vector_in_plain_text(name: str, vector: str) -> None:
    output = prepare(vector, "text").html
    assert_safe(output, frozenset({"p", "blockquote", "footer", "cite"}), {})
    assert "".join(canonical_text(output).split()) == "".join(vector.split())


HTML_SHARDS = st.sampled_from(
    "< > </ /> = \" ' ` & ; # x a p é script style svg math img iframe noscript table tr td pre"
    " title textarea href src onerror javascript: data: alert(1) <!-- --> <![CDATA[ ]]>"
    " &#106; &#x09; &lt; &nbsp;".split()
    + [" ", "\n", "\t", "java\tscript:"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(HTML_SHARDS, max_size=40).map("".join))
def test_random_markup_is_safe_and_stable(source: str) -> None:
    output = render_reading(source, "html")
    assert_safe(output, READING_TAGS, READING_ATTRS)
    assert render_reading(output, "html") == output
    assert_safe(render_comment(source), COMMENT_TAGS, COMMENT_ATTRS)


# --- Markdown readings -------------------------------------------------------------------


def test_markdown_block_features() -> None:
    source = "# Title\n\n## Part\n\n> quoted\n\n- one\n- two\n\n1. first\n\n```\nx < y\n```\n"
    assert render_reading(source, "markdown") == (
        "<h1>Title</h1>\n<h2>Part</h2>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n"
        "<pre><code>x &lt; y\n</code></pre>\n"
    )


def test_markdown_inline_features() -> None:
    output = render_reading("*em* **strong** `code` ~~gone~~", "markdown")
    assert output == "<p><em>em</em> <strong>strong</strong> <code>code</code> <s>gone</s></p>\n"


def test_markdown_table_keeps_structure_drops_alignment_style() -> None:
    output = render_reading("| a | b |\n|--:|---|\n| 1 | 2 |\n", "markdown")
    assert "<table>" in output and "<th>a</th>" in output and "<td>2</td>" in output
    assert "style" not in output
    assert canonical_text(output).split() == ["a", "b", "1", "2"]


def test_markdown_links_get_rel_and_keep_title() -> None:
    output = render_reading('[site](https://example.org "The site")', "markdown")
    assert output == (
        f'<p><a href="https://example.org" title="The site" rel="{LINK_REL}">site</a></p>\n'
    )


def test_markdown_raw_html_is_shown_as_text() -> None:
    output = render_reading("Hi <b onclick=x>there</b>\n\n<script>alert(1)</script>", "markdown")
    assert "<b" not in output and "<script" not in output
    assert canonical_text(output) == "Hi <b onclick=x>there</b>\n<script>alert(1)</script>\n"


def test_markdown_image_becomes_its_alt_text() -> None:
    assert render_reading("![a chart](https://example.org/c.png)", "markdown") == "<p>a chart</p>\n"


def test_markdown_relative_link_loses_its_href() -> None:
    assert render_reading("[home](/groups/1)", "markdown") == "<p><a>home</a></p>\n"


# --- Plain text and uploaded HTML --------------------------------------------------------


def test_plain_text_is_escaped_and_laid_out_in_paragraphs() -> None:
    source = "First line\r\nsecond <line> & more\n \n\n\n  Indented para\n"
    assert prepare(source, "text").html == (
        "<p>First line\nsecond &lt;line&gt; &amp; more</p>\n<p>Indented para</p>"
    )


def test_plain_text_of_nothing_is_nothing() -> None:
    assert prepare("\n \n", "text").html == ""


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="docx"):
        render_reading("x", "docx")


def test_uploaded_html_keeps_readable_structure() -> None:
    source = (
        '<h2 id="x" class="big">Head</h2><p style="color:red">A <abbr title="t">B</abbr></p>'
        '<table><caption>Cap</caption><tr><td colspan="2" width="9">c</td></tr></table>'
    )
    assert render_reading(source, "html") == (
        '<h2>Head</h2><p>A <abbr title="t">B</abbr></p>'
        '<table><caption>Cap</caption><tbody><tr><td colspan="2">c</td></tr></tbody></table>'
    )


def test_uploaded_html_unknown_elements_keep_their_text() -> None:
    source = "<p>Zero</p><div>One <span>two</span></div> <font>three</font>"
    assert render_reading(source, "html") == "<p>Zero</p>\nOne two three"  # bleach's block \n


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("<script>var secret = 1;</script>", id="script"),
        pytest.param("<style>p { color: red }</style>", id="style"),
        pytest.param("<svg><text>drawn</text></svg>", id="svg"),
        pytest.param("<select><option>choice</option></select>", id="select"),
        pytest.param("<head><title>Window title</title></head>", id="title"),
        pytest.param("<!-- a comment -->", id="comment"),
    ],
)
def test_uploaded_html_drops_content_of_non_prose(source: str) -> None:
    assert render_reading(f"<p>before</p>{source}<p>after</p>", "html") == (
        "<p>before</p><p>after</p>"
    )


def test_uploaded_html_loses_event_handlers() -> None:
    output = render_reading('<p onclick="x()" onmouseover=y>t</p>', "html")
    assert output == "<p>t</p>"


@pytest.mark.parametrize(
    "href",
    [
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("JaVaScRiPt:alert(1)", id="mixed-case"),
        pytest.param("jav&#x09;ascript:alert(1)", id="entity-tab"),
        pytest.param(" &#14; javascript:alert(1)", id="leading-junk"),
        pytest.param("data:text/html,<script>alert(1)</script>", id="data"),
        pytest.param("vbscript:msgbox(1)", id="vbscript"),
        pytest.param("/logout", id="relative-path"),
        pytest.param("//evil.example/", id="protocol-relative"),
        pytest.param("#top", id="fragment"),
    ],
)
def test_uploaded_html_link_loses_unsafe_href(href: str) -> None:
    assert render_reading(f'<a href="{href}">x</a>', "html") == "<a>x</a>"


@pytest.mark.parametrize(
    "href", ["http://example.org/", "https://example.org/a?b=1&amp;c=2", "mailto:a@example.org"]
)
def test_uploaded_html_link_keeps_safe_href_and_gets_rel(href: str) -> None:
    output = render_reading(f'<a href="{href}" rel="opener" target="_blank">x</a>', "html")
    assert output == f'<a href="{href}" rel="{LINK_REL}">x</a>'


def test_uploaded_html_image_becomes_alt_text() -> None:
    source = '<p>See <img src="https://tracker.example/p.gif" alt="the map &amp; key"> here</p>'
    assert render_reading(source, "html") == "<p>See the map &amp; key here</p>"


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>&copy 2020 Caf&eacute</p>", "\u00a9 2020 Caf\u00e9"),
        ("<p>AT&T &amp &AMP &lt;b&gt</p>", "AT&T & & <b>"),
        ("<p>&notit; &ampx &copy=</p>", "&notit; &ampx &copy="),
    ],
)
def test_uploaded_html_entities_without_semicolon_read_as_browsers_show_them(
    source: str, text: str
) -> None:
    assert canonical_text(render_reading(source, "html")) == text


def test_uploaded_html_query_strings_keep_their_entity_like_names() -> None:
    html = render_reading('<a href="https://example.org/?a=1&copy=2&amp">x</a>', "html")
    assert 'href="https://example.org/?a=1&amp;copy=2&amp;"' in html


def test_invisible_control_characters_are_dropped() -> None:
    assert render_reading("a\x00b\x0bc\x7fd\x85e\ud800f", "html") == "abcdef"


# --- Comments ----------------------------------------------------------------------------


def test_comment_allows_the_small_subset() -> None:
    source = "*a* **b** `c` ~~d~~ [e](https://e.example)\n\n> q\n\n- l\n\n```\ncode\n```"
    assert render_comment(source) == (
        f'<p><em>a</em> <strong>b</strong> <code>c</code> <s>d</s> <a href="https://e.example"'
        f' rel="{LINK_REL}">e</a></p>\n<blockquote>\n<p>q</p>\n</blockquote>\n<ul>\n<li>l</li>\n'
        "</ul>\n<pre><code>code\n</code></pre>\n"
    )


def test_comment_headings_and_rules_stay_literal_text() -> None:
    assert render_comment("# Big\n\nSmall\n===\n\n---") == (
        "<p># Big</p>\n<p>Small\n===</p>\n<p>---</p>\n"
    )


def test_comment_tables_and_images_do_not_render() -> None:
    output = render_comment("| a |\n|---|\n| 1 |\n\n![pic](https://x.example/p.png)")
    assert "<table" not in output and "<img" not in output
    assert "pic" in canonical_text(output)


def test_comment_raw_html_is_text() -> None:
    assert render_comment("<h1>hi</h1>") == "<p>&lt;h1&gt;hi&lt;/h1&gt;</p>\n"


# --- Canonical text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        pytest.param("<p>a &amp; b &lt;c&gt;</p>", "a & b <c>", id="basic-entities"),
        pytest.param("x&nbsp;y", "x\u00a0y", id="nbsp"),
        pytest.param("&#x1F600;&#128512;", "\U0001f600" * 2, id="astral-refs"),
        pytest.param("&#128;&#0;&#xD800;", "\u20ac\ufffd\ufffd", id="legacy-and-invalid-refs"),
        pytest.param("<p>a</p>\n<p>b</p>", "a\nb", id="whitespace-between-blocks"),
        pytest.param("a<br>b<hr>c", "abc", id="voids-add-nothing"),
        pytest.param("<pre>\nx</pre>", "x", id="pre-drops-first-newline"),
        pytest.param("<pre>\n\nx</pre>", "\nx", id="pre-drops-only-one"),
        pytest.param("<pre>&#10;x</pre>", "x", id="pre-drops-referenced-newline"),
        pytest.param("<pre><code>\nx</code></pre>", "\nx", id="pre-code-keeps-newline"),
        pytest.param("e\u0301 \U0001f469\u200d\U0001f469\u200d\U0001f467", None, id="clusters"),
    ],
)
def test_canonical_text(html: str, text: str | None) -> None:
    assert canonical_text(html) == (html if text is None else text)


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        pytest.param("<pre>\n\ncode</pre>", "html", id="pre-leading-blank-line"),
        pytest.param("<table>loose<tr><td>x</td></tr></table>", "html", id="foster-parenting"),
        pytest.param("a\u00a0b &nbsp; &amp;&ampx &copy 1", "html", id="entities"),
        pytest.param("```\n\n\ncode\n```", "markdown", id="fence-leading-blank"),
    ],
)
def test_rendering_is_a_fixed_point(source: str, fmt: str) -> None:
    once = render_reading(source, fmt)
    assert render_reading(once, "html") == once


def test_markdown_literal_nbsp_survives() -> None:
    assert canonical_text(render_reading("a\u00a0b", "markdown")) == "a\u00a0b\n"


MARKDOWN_SHARDS = st.one_of(
    HTML_SHARDS,
    st.sampled_from(
        [
            "[",
            "](",
            ")",
            "![",
            "<http://",
            "<javascript:",
            "*",
            "_",
            "`",
            "```",
            "\n\n",
            "> ",
            "- ",
            "1. ",
            "| a |",
            "|---|",
            "\\",
            "@",
            "#",
            "vbscript:",
            "JaVaScRiPt:",
            "&#0000106",
        ]
    ),  # fmt: skip
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_SHARDS, max_size=40).map("".join))
def test_random_markdown_is_safe_in_every_format_and_sanitizing_is_idempotent(source: str) -> None:
    # Plain text reaches render_reading as HTML, laid out by the intake.
    for fmt in ("markdown", "text"):
        output = prepare(source, fmt).html
        assert_safe(output, READING_TAGS, READING_ATTRS)
        assert render_reading(output, "html") == output
    assert_safe(render_comment(source), COMMENT_TAGS, COMMENT_ATTRS)
