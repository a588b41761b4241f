"""The public XSS corpus (836 vectors) through every place that takes text, rendered in Chromium.

Each vector goes in as a comment body (and an @mention notification), a quoted passage, a
Markdown, plain-text and HTML reading, a reading title, a discussion prompt, a group name and
description, a display name, a hide reason and a flag reason. The pages that show them are
opened with `alert`, `confirm`, `prompt` and `print` hooked and CSP violations collected: no
hook may fire, no violation may be reported, no response may be a 5xx. Vectors are batched
many to a page, so the whole run is a handful of page loads. The corpus is read from
`../shared` and never copied here; our own growing corpus is tests/unit/xss_vectors.txt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from studygroup.extensions import db
from studygroup.models import Group, Motivation, Reading, User
from studygroup.models.types import utcnow
from studygroup.services import annotations, groups, moderation, readings, schedule, users
from studygroup.services.annotations import Target
from studygroup.services.readings import current_revision
from tests.conftest import PASSWORD, Factory, skip_or_fail

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpora/xss/xss-corpus.json"

TRIPWIRES = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__fired.push(name + ":" + args.join(",")); return null; };
}
document.addEventListener("securitypolicyviolation", (event) => {
  window.__fired.push("csp:" + event.violatedDirective + ":" + event.blockedURI);
});
"""


def load_corpus() -> list[str]:
    if not CORPUS.exists():
        skip_or_fail(f"The XSS corpus is not at {CORPUS}")
    vectors = [item["vector"] for item in json.loads(CORPUS.read_text())["vectors"]]
    assert len(vectors) >= 800
    return vectors


def batches(vectors: list[str], size: int) -> list[list[str]]:
    return [vectors[i : i + size] for i in range(0, len(vectors), size)]


class Seeder:
    """Puts every vector everywhere through the services the views call."""

    def __init__(self, app: Any, vectors: list[str]) -> None:
        self.app, self.vectors = app, vectors
        self.viewer = Factory(app).user("Fac", "fac@example.org")
        self.urls: list[str] = []

    def run(self) -> None:
        with self.app.app_context():
            fac = db.session.get(User, self.viewer.id)
            group = groups.create_group(creator=fac, name="Circle", description=self.vectors[0])
            self._readings(group, fac)
            self._comments(group, fac)
            self._groups(fac)
            self.urls += [
                "/",
                f"/groups/{group.id}",
                f"/groups/{group.id}/members",
                f"/groups/{group.id}/questions",
                f"/groups/{group.id}/moderation",
                "/notifications",
                "/settings/notifications",
            ]

    def _reading(self, group: Group, fac: User, title: str, source: str, fmt: str) -> Reading:
        return readings.create_reading(
            group=group, creator=fac, title=title[:300], source=source, source_format=fmt
        )

    def _readings(self, group: Group, fac: User) -> None:
        everything = "\n\n".join(self.vectors)
        for fmt in ("markdown", "html", "text"):
            reading = self._reading(group, fac, f"All as {fmt}", everything, fmt)
            self.urls.append(f"/readings/{reading.id}")
        self.quoted = reading  # the plain-text one holds every vector verbatim
        due = utcnow() + timedelta(days=1)
        for number, prompts in enumerate(batches(self.vectors, schedule.MAX_PROMPTS)):
            titled = self._reading(group, fac, prompts[0], "A short text.", "text")
            schedule.assign(
                reading=titled,
                due_at=due + timedelta(minutes=number),
                due_has_time=True,
                prompts=[p[: schedule.PROMPT_MAX] for p in prompts],
                assigned_by=fac,
            )
            if number < 3:
                self.urls.append(f"/readings/{titled.id}")
        for vector in self.vectors[:: schedule.MAX_PROMPTS]:
            self._reading(group, fac, vector[1:] or "x", "A short text.", "text")

    def _comments(self, group: Group, fac: User) -> None:
        """Each vector's own author (named by it) comments it, quoting it, @mentioning Fac."""
        text = current_revision(self.quoted).text
        for number, vector in enumerate(self.vectors):
            author = users.create_user(
                email=f"v{number}@example.org", display_name=vector[:80] or "x", password=PASSWORD
            )
            groups.join(group, author)
            start = text.find(vector)
            target = (
                Target(start=start, end=start + len(vector), exact=vector)
                if start >= 0 and vector.strip() == vector
                else Target(start=0, end=1, exact=text[0])
            )
            comment = annotations.create_annotation(
                reading=self.quoted,
                author=author,
                motivation=Motivation.COMMENTING,
                target=target,
                body=f"@Fac {vector}",
            )
            if number % 2:
                moderation.hide(annotation=comment, by=fac, reason=vector[:500] or "x")
            else:
                moderation.flag(annotation=comment, user=fac, reason=vector[:500] or "x")
        db.session.commit()
        self.urls.append(f"/readings/{self.quoted.id}/discussion")

    def _groups(self, fac: User) -> None:
        for vector in self.vectors:
            groups.create_group(creator=fac, name=vector[:120] or "x", description=vector)


@pytest.fixture
def corpus() -> list[str]:
    return load_corpus()


def test_no_vector_runs_anywhere(live_server: Any, new_page: Callable[[], Any], corpus):
    seeder = Seeder(live_server.flask_app, corpus)
    seeder.run()
    page = new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    page.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 500 and problems.append(f"{response.status} {response.url}")
        ),
    )
    page.add_init_script(TRIPWIRES)
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("fac@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    for url in seeder.urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        for details in page.locator("details").all()[:50]:  # open what a curious reader opens
            details.evaluate("(element) => { element.open = true; }")
        page.mouse.move(300, 300)
        fired = page.evaluate("window.__fired")
        assert fired == [], f"{url}: {fired[:5]}"
    assert problems == [], problems[:10]
    assert len(seeder.urls) >= 14
    page.evaluate("alert('self-check')")  # the tripwire itself works
    assert page.evaluate("window.__fired") == ["alert:self-check"]
