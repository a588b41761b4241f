"""A fetched web page -> its article: main text as HTML, title, author, date (pure, no network).

trafilatura does the extraction: on the public article-extraction benchmark (bench/
bench_extraction.py) it scores best of the open-source extractors we can install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

import trafilatura

__all__ = ["Article", "extract_article"]

# The page's own headline at the top of its text: the reader already shows the title.
_LEADING_HEADLINE = re.compile(r"\A(\s*<html>\s*<body>\s*)<h[12]>([^<]*)</h[12]>")


@dataclass(frozen=True)
class Article:
    html: str  # not yet sanitized: it goes through the intake pipeline as format "html"
    title: str
    author: str
    date: str  # YYYY-MM-DD when the page says, else ""
    url: str


def extract_article(page: str | bytes, url: str) -> Article | None:
    """The page's main text with its headings, paragraphs, quotations and lists; None if none."""
    html = trafilatura.extract(
        page,
        url=url,
        output_format="html",
        include_formatting=True,
        include_links=True,
        include_images=False,
        include_comments=False,
        favor_precision=True,  # measured: F1 0.960 through our import, 0.954 without
    )
    if not html:
        return None
    meta = trafilatura.extract_metadata(page, default_url=url)
    title = (meta.title or "") if meta else ""
    headline = _LEADING_HEADLINE.match(html)
    if headline and title and unescape(headline.group(2)).strip() == title.strip():
        html = headline.group(1) + html[headline.end() :]
    return Article(
        html=html,
        title=title,
        author=(meta.author or "") if meta else "",
        date=(meta.date or "") if meta else "",
        url=(meta.url or url) if meta else url,
    )
