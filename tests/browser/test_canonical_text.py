"""canonical_text() must equal Chromium's textContent: annotation offsets index into it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygroup.intake import prepare
from studygroup.rendering import canonical_text, render_comment, render_reading

pytestmark = pytest.mark.browser

VECTORS_FILE = Path(__file__).parents[1] / "unit" / "xss_vectors.txt"
TEXT_CONTENT = """() => {
    const text = document.querySelector('article').textContent;
    return [text, [...text].length];
}"""

PROSE = (
    "\u201cCurly\u201d \u2018quotes\u2019 \u2014 em-dashes \u2013 and ellipses\u2026 "
    "Cafe\u0301 na\u00efve \U0001f600 \U0001f469\u200d\U0001f469\u200d\U0001f467 "
    "\u6f22\u5b57\u3068\u304b\u306a \ud55c\uad6d\uc5b4"
)
RTL = (
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645"  # Arabic
    " \u2014 \u05e9\u05dc\u05d5\u05dd"  # Hebrew
)

SOURCES: list[tuple[str, str, str]] = [
    ("markdown", "prose", f"{PROSE}\n\n{RTL}\n\nliteral\u00a0nbsp and &nbsp; ref &amp; &copy;\n"),
    (
        "markdown",
        "structure",
        "# Title \U0001f600\n\n> quote *em*\n> > nested\n\n- a\n  - b\n    1. c\n\n"
        "```\n\n  code \u2026 \n\tindent\n```\n\n    indented\n\n"
        f"| a | b |\n|:-:|--:|\n| \u201cx\u201d | {RTL} |\n\nhard  \nbreak and soft\nbreak\n",
    ),
    ("html", "prose", f"<p>{PROSE}&nbsp;&#160;&#x1F600;</p>\n<p dir=rtl>{RTL}</p>"),
    (
        "html",
        "structure",
        "<h1>T</h1>\n  <blockquote><p>q</p>\n</blockquote>\n<ul>\n <li>a\n  <ol><li>b</li></ol>"
        "\n </li>\n</ul>\n<pre>\n\n  code\n</pre>\n<table>\n <caption>cap</caption>\n <tr><th>"
        "h</th><td colspan=2>d</td></tr>\n</table>\n<dl><dt>t</dt><dd>d</dd></dl>",
    ),
    (
        "html",
        "messy",
        "<div>Loose<table>junk<tr>more<td>cell</td></tr>tail</table></div><section><p>p1<p>p2"
        "</section><font>x</font>&amp;&ampx&copy 1&#13;&#0;&#128;<pre>&#10;ref</pre>"
        "<listing>\nl</listing><textarea>t</textarea><script>s</script><img alt='a&amp;b'>"
        "\r\n<p>crlf\r\nend</p>\n\n\n",
    ),
    ("text", "prose", f"{PROSE}\n{RTL}\n\nliteral\u00a0nbsp & <b>not bold</b>\r\n\r\nend"),
    ("text", "structure", "  indented\n\tTabbed\n \n\n\n\nlast  \n"),
    (
        "text",
        "epigraph-and-quotations",
        "\u201cA spectre is haunting Europe.\u201d\n\u2013 The Communist Manifesto\n"
        + "A paragraph on one line, as web essays are pasted.\n"
        + "\u201cA quotation, &\u00a0<b>all</b> of it.\u201d\n"
        + "\u201cOpened here,\n\u201cand closed in the next paragraph.\u201d\nEnd.",
    ),
]

RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown": lambda source: render_reading(source, "markdown"),
    "html": lambda source: render_reading(source, "html"),
    "text": lambda source: prepare(source, "text").html,
    "comment": render_comment,
}


def load_vectors() -> list[tuple[str, str]]:
    """The unit tests' XSS corpus: messy markup is where parsers disagree, if anywhere."""
    chunks = VECTORS_FILE.read_text(encoding="utf-8").split("\n--- ")[1:]
    return [(chunk.split("\n", 1)[0], chunk.rstrip("\n").split("\n", 1)[1]) for chunk in chunks]


def cases() -> list[object]:
    params = [pytest.param(fmt, source, id=f"{fmt}-{name}") for fmt, name, source in SOURCES]
    params += [pytest.param("comment", source, id=f"comment-{name}") for _, name, source in SOURCES]
    for name, vector in load_vectors():
        params += [pytest.param(fmt, vector, id=f"{fmt}-xss-{name}") for fmt in RENDERERS]
    return params


SHARDS = st.sampled_from(
    "< > </ = \" ' & ; # p pre table tr td caption li ul b div title script img alt x"
    " &amp; &ampx &nbsp; &#10; &#13; &#0; &#128; &#x1F600; &copy; &copy <!-- -->".split()
    + [" ", "\n", "\r\n", "\t", "\u00a0", "e\u0301", "\U0001f469\u200d\U0001f467", "\u05e9"]
)


@dataclass
class ArticlePage:
    page: Any
    events: list[str] = field(default_factory=list)  # dialogs and requests: must stay empty


@pytest.fixture(scope="module")
def article_page(browser: Any) -> Iterator[ArticlePage]:
    """One page for the whole module, recording any dialog or network request it makes."""
    context = browser.new_context()
    article = ArticlePage(context.new_page())

    def on_dialog(dialog: Any) -> None:
        article.events.append(f"dialog {dialog.message}")
        dialog.dismiss()  # an open dialog would block the page

    article.page.on("dialog", on_dialog)
    article.page.on("request", lambda request: article.events.append(f"request {request.url}"))
    yield article
    context.close()


@pytest.mark.parametrize(("fmt", "source"), cases())
def test_canonical_text_matches_chromium(article_page: ArticlePage, fmt: str, source: str) -> None:
    html = RENDERERS[fmt](source)
    article_page.page.set_content(f"<!doctype html><meta charset=utf-8><article>{html}</article>")
    text, code_points = article_page.page.evaluate(TEXT_CONTENT)
    assert text == canonical_text(html)
    assert code_points == len(canonical_text(html))
    assert article_page.events == []


@settings(max_examples=150, deadline=None)
@given(source=st.lists(SHARDS, max_size=30).map("".join))
def test_canonical_text_matches_chromium_for_random_markup(
    article_page: ArticlePage, source: str
) -> None:
    html = render_reading(source, "html")
    article_page.page.set_content(f"<!doctype html><meta charset=utf-8><article>{html}</article>")
    assert article_page.page.evaluate(TEXT_CONTENT) == [
        canonical_text(html),
        len(canonical_text(html)),
    ]
