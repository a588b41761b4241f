"""The room in Chromium: the margin heatmap over 10,000 annotations, and the prep sheet on paper."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from sqlalchemy import insert

from studygroup.anchoring import describe
from studygroup.extensions import db
from studygroup.models import Annotation, Group, Motivation, Reading, User
from studygroup.services import annotations, readings
from studygroup.services.annotations import Target
from tests.browser.reader_room import ReaderRoom
from tests.conftest import Factory

pytestmark = pytest.mark.browser

HOT = "Alpha beta gamma delta."
WORDS = "reading group margin passage argument question answer week article room".split()
ANNOTATIONS = 10_000

HOT_BAR = """() => {
  const reader = document.getElementById('reader');
  const line = document.createRange();
  line.selectNodeContents(document.querySelector('#reading-text p'));
  const top = line.getClientRects()[0].top - reader.getBoundingClientRect().top;
  const bars = [...document.querySelectorAll('[data-heat-strip] .heat-bar')];
  const bar = bars.find((b) => Math.abs(parseFloat(b.style.top) - top) <= 2);
  return bar ? Number(bar.dataset.members) : null;
}"""


def make_source(rng: random.Random) -> str:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 120))).capitalize() + "."
        for _ in range(40)
    ]
    return HOT + "\n\n" + "\n\n".join(paragraphs) + "\n"


def bulk_annotate(room: ReaderRoom, authors: list[int], count: int) -> None:
    """`count` highlights past the first paragraph in one INSERT (not 10,000 service calls),
    and three members' highlights on the first line through the service."""
    rng = random.Random(7)
    with room.app.app_context():
        reading = db.session.get(Reading, room.reading.id)
        text = readings.current_revision(reading).text
        first = len(HOT) + 2
        starts = [i + 1 for i, c in enumerate(text) if c == " " and i > first]
        rows = []
        for _ in range(count):
            index = rng.randrange(len(starts) - 6)
            selector = describe(text, starts[index], starts[index + rng.randint(1, 5)] - 1)
            rows.append(
                {
                    "reading_id": reading.id,
                    "author_id": rng.choice(authors),
                    "motivation": "highlighting",
                    "visibility": "group",
                    "revision": 1,
                    "start": selector.start,
                    "end": selector.end,
                    "exact": selector.exact,
                    "prefix": selector.prefix,
                    "suffix": selector.suffix,
                }
            )
        db.session.execute(insert(Annotation), rows)
        db.session.commit()
        for user_id in authors[:3]:  # three members on the first line, one of them twice
            for exact in ("Alpha beta", "beta gamma") if user_id == authors[0] else ("gamma",):
                start = text.index(exact)
                annotations.create_annotation(
                    reading=reading,
                    author=db.session.get(User, user_id),
                    motivation=Motivation.HIGHLIGHTING,
                    target=Target(start=start, end=start + len(exact), exact=exact),
                )


def patient(new_page: Any) -> Any:
    """Pages that wait longer: 10,000 annotations take a while to load on a busy machine."""

    def open_page() -> Any:
        page = new_page()
        page.set_default_timeout(60_000)
        return page

    return open_page


def annotated_room(server: Any, new_page: Any, count: int) -> ReaderRoom:
    room = ReaderRoom(server, patient(new_page), make_source(random.Random(3)))
    factory = Factory(room.app)
    authors = [room.ada.id, room.bob.id, room.cleo.id]
    for n in range(7):
        user = factory.user(f"Member {n}")
        factory.member(room.group, user)
        authors.append(user.id)
    bulk_annotate(room, authors, count)
    return room


@pytest.fixture
def crowded(live_server: Any, new_page: Any) -> ReaderRoom:
    return annotated_room(live_server, new_page, ANNOTATIONS)


@pytest.fixture
def room(live_server: Any, new_page: Any) -> ReaderRoom:
    return annotated_room(live_server, new_page, 300)


def test_the_heatmap_toggles_and_matches_the_counts(crowded):
    page = crowded.open(crowded.ada)
    status, heat = crowded.call_api(page, "GET", f"/api/readings/{crowded.reading.id}/heatmap")
    assert status == 200
    peak = max(stretch["members"] for stretch in heat["stretches"])
    toggle = page.get_by_role("button", name="Heatmap")
    toggle.click()
    strip = page.locator("[data-heat-strip]")
    strip.wait_for()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert int(strip.get_attribute("data-peak")) == peak
    bars = page.locator("[data-heat-strip] .heat-bar")
    assert bars.count() > 40  # a bar per annotated line, not per annotation
    assert (
        max(int(m) for m in bars.evaluate_all("(bs) => bs.map((b) => b.dataset.members)")) == peak
    )
    assert page.evaluate(HOT_BAR) == 3  # Ada (twice), Bob and Cleo on the first line
    toggle.click()
    assert strip.count() == 0 and toggle.get_attribute("aria-pressed") == "false"
    assert crowded.console_errors == []


def test_members_get_the_heatmap_only_when_the_group_allows(room):
    page = room.open(room.bob)
    assert page.get_by_role("button", name="Heatmap").count() == 0
    with room.app.app_context():
        db.session.get(Group, room.group.id).members_see_heatmap = True
        db.session.commit()
    room.visit(page)
    page.get_by_role("button", name="Heatmap").click()
    page.locator("[data-heat-strip]").wait_for()


def test_a_dashboard_passage_opens_in_the_reader(room):
    page = room.open(room.ada)
    page.goto(f"{room.url}/readings/{room.reading.id}/dashboard")
    page.get_by_role("link", name="Show in the reader").first.click()
    page.wait_for_url(re.compile(r"#passage-\d+-\d+$"))
    page.wait_for_selector("article[data-anchored]", state="attached")
    page.wait_for_function("() => CSS.highlights.has('passage-target')")


def test_the_prep_sheet_prints_on_one_page(room):
    page = room.open(room.ada)
    page.goto(f"{room.url}/readings/{room.reading.id}/prep")
    assert page.get_by_role("heading", name="Most-marked passages").is_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Download Markdown").count() == 0
    assert page.locator(".site-header").is_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
