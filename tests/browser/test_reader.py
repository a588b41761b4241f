"""The reader in Chromium: the server's canonical text is the article's textContent, exactly,
and the page reads well on a desktop, on a phone, in dark mode, and in the reader's time zone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_onboarding import register

pytestmark = pytest.mark.browser

PROSE = (
    "\u201cCurly\u201d \u2018quotes\u2019 \u2014 em-dashes \u2013 and ellipses\u2026 "
    "Cafe\u0301 na\u00efve\u00a0spaces \U0001f600 \U0001f469\u200d\U0001f469\u200d\U0001f467 "
    "\u6f22\u5b57\u3068\u304b\u306a \ud55c\uad6d\uc5b4"
)
LONG = " ".join(["A reading group changes the pace of disagreement in a room."] * 12)
SOURCES = {
    "markdown": f"# Title \U0001f4da\n\n{PROSE}\n\n> A *quoted* line \u2014 kept.\n\n"
    f"- one\u00a0item\n- two\n\n{LONG}\n\n| a | b |\n|---|---|\n| \u201cx\u201d | y |\n",
    "html": f"<h2>T\u00edtulo</h2><p>{PROSE}&nbsp;&#x1F600;&hellip;</p>\n<blockquote><p>q"
    f"</p></blockquote><ol><li>a</li></ol><p>{LONG}</p><pre>\n  code\n</pre>",
    "text": f"{PROSE}\nsecond line\n\n{LONG}\n\n  indented &amp; <b>not bold</b>",
}
TEXT_CONTENT = """() => {
    const text = document.querySelector('article').textContent;
    return [text, [...text].length];
}"""
LAYOUT = """() => {
    const article = document.querySelector('article');
    const long = [...article.querySelectorAll('p')].find((p) => p.textContent.length > 500);
    const lineHeight = parseFloat(getComputedStyle(long).lineHeight);
    const lines = long.getBoundingClientRect().height / lineHeight;
    return {
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        font: getComputedStyle(article).fontFamily,
        perLine: long.textContent.length / Math.round(lines),
        background: getComputedStyle(document.body).backgroundColor,
    };
}"""


def add_reading(page: Any, base: str, fmt: str, source: str) -> int:
    """As a new facilitator: register, start a group, paste a reading; return its id."""
    register(page, base, "Fran", f"fran-{fmt}@example.org")
    page.get_by_role("link", name="Start a group").click()
    page.get_by_label("Name").fill("Tuesday Reading Circle")
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("link", name="Schedule").click()
    page.get_by_role("link", name="Add a reading").first.click()
    page.get_by_label("Title").fill("Typography test")
    page.get_by_label("Text", exact=True).fill(source)
    page.get_by_label("The pasted text is").select_option(fmt)
    page.get_by_role("button", name="Add to the library").click()
    page.wait_for_url(re.compile(r"/readings/\d+$"))  # and for the page's stylesheets
    return int(page.url.rsplit("/", 1)[1])


@pytest.mark.parametrize("fmt", list(SOURCES))
def test_article_text_content_is_the_canonical_text(live_server, new_page, fmt):
    page = new_page()
    reading_id = add_reading(page, live_server.url, fmt, SOURCES[fmt])
    api = page.request.get(f"{live_server.url}/api/readings/{reading_id}").json()
    text, code_points = page.evaluate(TEXT_CONTENT)
    assert text == api["text"]
    assert code_points == len(api["text"])
    assert PROSE in text  # nothing was normalised away
    assert page.locator("#reader").get_attribute("data-revision") == "1"


def test_the_reader_is_comfortable_on_desktop_phone_and_in_the_dark(live_server, new_page):
    page = new_page()
    add_reading(page, live_server.url, "markdown", SOURCES["markdown"])
    page.set_viewport_size({"width": 1280, "height": 900})
    desktop = page.evaluate(LAYOUT)
    assert desktop["overflow"] <= 0
    assert "serif" in desktop["font"] and "sans-serif" not in desktop["font"]
    assert 60 <= desktop["perLine"] <= 80, desktop  # ~65-75 characters a line

    page.set_viewport_size({"width": 360, "height": 740})
    phone = page.evaluate(LAYOUT)
    assert phone["overflow"] <= 0, "the page scrolls sideways on a phone"
    assert phone["perLine"] >= 25

    page.emulate_media(color_scheme="dark")
    assert page.evaluate(LAYOUT)["background"] != desktop["background"]


def test_due_times_are_entered_and_shown_in_the_readers_time_zone(live_server, browser):
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB")
    try:
        page = context.new_page()
        reading_id = add_reading(page, live_server.url, "text", "Short text.")
        page.get_by_role("link", name="Schedule", exact=True).click()
        page.get_by_label("Due date").fill("2031-03-04")
        page.get_by_label("Time (optional)").fill("19:30")
        page.get_by_label("Discussion prompts").fill("Why?\nHow?")
        page.get_by_role("button", name="Save").click()
        stamp = page.locator("time[data-local-time]").first
        assert stamp.get_attribute("datetime") == "2031-03-04T10:30:00+00:00"  # stored in UTC
        expect(stamp).to_contain_text("19:30")  # once the module script has run
        assert "UTC" not in stamp.inner_text()
        page.goto(f"{live_server.url}/readings/{reading_id}/schedule")
        expect(page.get_by_label("Time (optional)")).to_have_value("19:30")
        expect(page.locator("input[name=timezone]")).to_have_value("Asia/Tokyo")
    finally:
        context.close()
