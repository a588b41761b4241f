"""Adding readings in Chromium: paste as published, paste from a web page, add by address,
preview before saving, a too-large paste, and deleting or archiving from the library."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_onboarding import register
from tests.intake_support import ARTICLE_PAGE, ATTRIBUTION, Reply, essay_as_published, serving

pytestmark = pytest.mark.browser

PASTE_HTML = """(html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "flattened");
    const body = document.querySelector("textarea[name=body]");
    body.focus();
    body.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                    cancelable: true}));
}"""
WEB_SELECTION = (
    '<meta charset="utf-8"><h2 style="color:red">A slower kind of argument</h2>'
    "<p>A reading group changes the pace of <em>disagreement</em>.</p>"
    "<blockquote><p>We did not agree by the end of the evening.</p></blockquote>"
    "<ul><li>One text at a time.</li><li>Questions before verdicts.</li></ul>"
    '<p><a href="https://example.org/more" onclick="steal()">Read more</a></p>'
)


def new_reading_form(page: Any, base: str, email: str) -> None:
    """As a new facilitator: register, start a group, open "Add a reading"."""
    register(page, base, "Fran", email)
    page.get_by_role("link", name="Start a group").click()
    page.get_by_label("Name").fill("Tuesday Reading Circle")
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("link", name="Schedule").click()
    page.get_by_role("link", name="Add a reading").first.click()
    page.wait_for_load_state()  # module scripts (paste.js) have run by the load event


def saved(page: Any, base: str) -> dict[str, Any]:
    page.wait_for_url(re.compile(r"/readings/\d+$"))
    reading_id = int(page.url.rsplit("/", 1)[1])
    return dict(page.request.get(f"{base}/api/readings/{reading_id}").json())


def test_an_essay_pasted_as_plain_text_reads_as_published(live_server, new_page):
    page = new_page()
    new_reading_form(page, live_server.url, "fran-paste@example.org")
    expect(page.get_by_label("The pasted text is")).to_have_value("auto")
    page.get_by_label("Title").fill("Why We Read Together")
    page.get_by_label("Text", exact=True).fill(essay_as_published())
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-summary")).to_have_text(
        "Detected: plain text, one paragraph per line; 12 paragraphs, 1 epigraph, "
        "1 block quotation."
    )
    preview = page.locator(".reading-preview article")
    expect(preview.locator("blockquote cite")).to_have_text(ATTRIBUTION[2:])
    assert "serif" in preview.evaluate("(a) => getComputedStyle(a).fontFamily")
    expect(page.get_by_label("Text", exact=True)).to_have_value(essay_as_published())

    page.get_by_role("button", name="Add to the library").click()
    reading = saved(page, live_server.url)
    article = page.locator("#reading-text")
    assert article.locator(":scope > p").count() == 12
    assert article.locator(":scope > blockquote").count() == 2
    expect(article.locator("blockquote footer")).to_have_text(ATTRIBUTION)
    # No paragraph is a wall: the longest is a paragraph, not the whole essay.
    tallest = article.evaluate(
        "(a) => Math.max(...[...a.children].map((c) => c.getBoundingClientRect().height))"
    )
    assert tallest < 400
    assert page.evaluate("document.querySelector('article').textContent") == reading["text"]


def test_pasting_from_a_web_page_keeps_its_structure(live_server, new_page):
    page = new_page()
    new_reading_form(page, live_server.url, "fran-rich@example.org")
    page.get_by_label("Title").fill("Pasted from the web")
    page.evaluate(PASTE_HTML, WEB_SELECTION)
    expect(page.get_by_label("The pasted text is")).to_have_value("html")
    assert "<blockquote>" in page.get_by_label("Text", exact=True).input_value()
    page.get_by_role("button", name="Add to the library").click()
    reading = saved(page, live_server.url)
    article = page.locator("#reading-text")
    expect(article.locator("h2")).to_have_text("A slower kind of argument")
    expect(article.locator("blockquote")).to_have_text(
        "We did not agree by the end of the evening."
    )
    assert article.locator("li").count() == 2
    expect(article.locator("em")).to_have_text("disagreement")
    assert article.locator("a").get_attribute("href") == "https://example.org/more"
    assert "onclick" not in reading["html"] and "style" not in reading["html"]


def test_a_facilitator_adds_an_article_by_its_address(live_server, new_page):
    live_server.flask_app.config["FETCH_ALLOW_PRIVATE"] = 1  # the page is served locally
    page = new_page()
    new_reading_form(page, live_server.url, "fran-url@example.org")
    with serving({"/essay": Reply(200, ARTICLE_PAGE.encode())}) as pages:
        page.get_by_label("Add from a web address").fill(f"{pages}/essay")
        page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-summary")).to_have_text(
        "Detected: HTML; 1 heading, 4 paragraphs, 1 block quotation."
    )
    expect(page.get_by_label("Title")).to_have_value("Why We Read Together")
    expect(page.get_by_label("Author")).to_have_value("Rosa Reader")
    expect(page.get_by_label("Published (optional)")).to_have_value("2024-03-05")
    page.get_by_role("button", name="Add to the library").click()
    reading = saved(page, live_server.url)
    assert reading["source_url"].endswith("/essay") and reading["published"] == "2024-03-05"
    expect(page.locator("#reading-text h2")).to_have_text("A slower kind of argument")
    expect(page.locator(".reading-published")).to_have_text("5 March 2024")


def test_a_private_address_is_refused_in_the_form(live_server, new_page):
    page = new_page()
    new_reading_form(page, live_server.url, "fran-ssrf@example.org")
    page.get_by_label("Add from a web address").fill("http://169.254.169.254/latest/")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#fetch_url-error")).to_contain_text("private or local address")


def test_a_too_large_paste_stays_in_the_form_with_a_message(live_server, new_page):
    page = new_page()
    new_reading_form(page, live_server.url, "fran-big@example.org")
    page.get_by_label("Title").fill("Too long")
    big = ("A paragraph of a very long essay. " * 30 + "\n") * 2_100  # 2.1 MB
    # As a paste lands (typing 2.3 MB through fill() would take minutes).
    page.get_by_label("Text", exact=True).evaluate("(body, text) => { body.value = text; }", big)
    page.get_by_role("button", name="Add to the library").click(timeout=60_000)  # 2 MB to lay out
    expect(page.locator("#body-size-error")).to_contain_text("larger than 2 MB")
    assert len(page.get_by_label("Text", exact=True).input_value()) == len(big)
    assert page.url.endswith("/readings/new")


def test_delete_says_what_goes_and_archive_keeps_it(live_server, new_page):
    page = new_page()
    new_reading_form(page, live_server.url, "fran-delete@example.org")
    page.get_by_label("Title").fill("Keep me")
    page.get_by_label("Text", exact=True).fill("A short text to read, and to argue about.")
    page.get_by_role("button", name="Add to the library").click()
    page.wait_for_url(re.compile(r"/readings/\d+$"))
    reader = page.url
    page.get_by_role("button", name="Archive").click()
    expect(page.locator("#archived")).to_contain_text("Keep me")
    expect(page.locator("#library")).not_to_contain_text("Keep me")
    page.locator("#archived").get_by_role("button", name="Unarchive").click()
    expect(page.locator("#library")).to_contain_text("Keep me")

    page.goto(reader)
    page.get_by_role("link", name="Delete").click()
    expect(page.locator("#delete-consequences")).to_contain_text("It has no annotations.")
    page.get_by_role("button", name="Delete the reading").click()
    # The group's only reading is gone: no link to it, and the page says the group is empty.
    expect(page.locator("#main")).to_contain_text("Add the first reading")
    expect(page.get_by_role("link", name="Keep me")).to_have_count(0)
