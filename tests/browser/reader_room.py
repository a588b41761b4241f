"""A live server with a facilitator (Ada), members (Bob, Cleo) and one reading, opened in
Chromium by logging in through the form, as a person does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from studygroup.models import User
from tests.conftest import PASSWORD, Factory

# The page's own way to call the API: session cookie plus the CSRF header.
CALL_API = """async ([method, url, body]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {
    method,
    body: body === null ? undefined : JSON.stringify(body),
    headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
              'X-CSRFToken': token},
  });
  return [response.status, await response.json().catch(() => null)];
}"""


class ReaderRoom:
    def __init__(self, server: Any, new_page: Callable[[], Any], source: str) -> None:
        self.url = server.url
        self.app: Flask = server.flask_app
        self.new_page = new_page
        factory = Factory(self.app)
        self.ada = factory.user("Ada", "ada@example.org")
        self.bob = factory.user("Bob", "bob@example.org")
        self.cleo = factory.user("Cleo", "cleo@example.org")
        self.group = factory.group(self.ada)
        factory.member(self.group, self.bob)
        factory.member(self.group, self.cleo)
        self.reading = factory.reading(self.group, self.ada, source, title="On reading")
        self.console_errors: list[str] = []  # from every reader page: CSP, script errors

    def open(self, user: User) -> Any:
        """Log in through the form in a fresh browser context, then open the reading."""
        page = self.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(self.url + "/login")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.visit(page)
        return page

    def visit(self, page: Any) -> None:
        page.goto(f"{self.url}/readings/{self.reading.id}")
        page.wait_for_selector("article[data-anchored]", state="attached")

    def iri(self, annotation_id: int) -> str:
        """An annotation's IRI path: its reading's container plus its id."""
        return f"/api/readings/{self.reading.id}/annotations/{annotation_id}"

    def call_api(self, page: Any, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        status, data = page.evaluate(CALL_API, [method, self.url + path, body])
        return status, data
