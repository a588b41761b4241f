"""Fixtures for every test: an app on a clean database, clients, factories, a live server."""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.serving import make_server

from studygroup import create_app
from studygroup.extensions import db
from studygroup.models import Group, Reading, Role, User
from studygroup.services import groups, users

# CI sets this so a skipped browser or PostgreSQL test fails instead of passing quietly.
STRICT = os.environ.get("STUDYGROUP_STRICT_TESTS") == "1"
TEST_DATABASE_URL = os.environ.get("STUDYGROUP_TEST_DATABASE_URL")
CHROMIUM = os.environ.get("STUDYGROUP_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (STUDYGROUP_STRICT_TESTS=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return TEST_DATABASE_URL or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def app_config(database_url: str, instance_path: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-only-secret-key-that-is-long-enough-0123456789",
        "WTF_CSRF_ENABLED": False,
        # Cheap hashes keep the suite fast; production strength is tested in test_config.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "INSTANCE_PATH": instance_path,
    }
    config.update(overrides)
    return config


_schema_ready: set[str] = set()


@pytest.fixture
def make_app(database_url: str, tmp_path: Any) -> Iterator[Callable[..., Flask]]:
    """Build apps on the shared test database, emptied after each test."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app(app_config(database_url, str(tmp_path), **overrides))
        with app.app_context():
            if database_url not in _schema_ready:
                db.drop_all()
                db.create_all()
                _schema_ready.add(database_url)
        built.append(app)
        return app

    yield build
    for index, app in enumerate(built):
        with app.app_context():
            db.session.remove()
            if index == 0:
                for table in reversed(db.metadata.sorted_tables):
                    db.session.execute(table.delete())
                db.session.commit()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@dataclass
class Factory:
    """Makes rows through the services, as the app itself would."""

    app: Flask
    counter: int = 0

    def user(self, name: str | None = None, email: str | None = None) -> User:
        self.counter += 1
        name = name or f"Reader {self.counter}"
        email = email or f"reader{self.counter}@example.org"
        with self.app.app_context():
            user = users.create_user(email=email, display_name=name, password=PASSWORD)
            return _detached(user)

    def group(self, facilitator: User, name: str = "Tuesday Circle", **settings: Any) -> Group:
        with self.app.app_context():
            creator = db.session.get(User, facilitator.id)
            description = settings.pop("description", "")
            group = groups.create_group(creator=creator, name=name, description=description)
            for key, value in settings.items():
                setattr(group, key, value)
            db.session.commit()
            return _detached(group)

    def reading(
        self,
        group: Group,
        facilitator: User,
        source: str = "A short text to read.",
        *,
        title: str = "An article",
        source_format: str = "markdown",
    ) -> Reading:
        from studygroup.services import readings

        with self.app.app_context():
            reading = readings.create_reading(
                group=db.session.get(Group, group.id),
                creator=db.session.get(User, facilitator.id),
                title=title,
                source=source,
                source_format=source_format,
            )
            return _detached(reading)

    def member(self, group: Group, user: User, role: Role = Role.MEMBER) -> None:
        with self.app.app_context():
            joined = groups.join(db.session.get(Group, group.id), db.session.get(User, user.id))
            joined.role = role
            db.session.commit()


def stored(app: Flask, model: type[Any], row_id: int) -> Any:
    """A row as the database holds it now, detached so the test can read it afterwards."""
    with app.app_context():
        row = db.session.get(model, row_id)
        if row is not None:
            db.session.expunge(row)
        return row


def _detached(obj: Any) -> Any:
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], None]:
    def log_in(user: User, password: str = PASSWORD) -> None:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text

    return log_in


def signed_in_client(app: Flask, user: User | None) -> FlaskClient:
    """A client whose session is already the user's (the /login form is tested elsewhere)."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the block sends, to show a page's query count does not grow."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)


# ---- A real SMTP server on loopback ---------------------------------------------------------


@dataclass
class SmtpServer:
    port: int
    messages: list[EmailMessage]
    clients: set[tuple[str, int]]  # one address and port per SMTP connection


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """aiosmtpd on a free local port, keeping every message it receives."""
    from aiosmtpd.controller import Controller

    received: list[EmailMessage] = []
    clients: set[tuple[str, int]] = set()

    class Keep:
        async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
            received.append(message_from_bytes(envelope.content, policy=email_policy.default))
            clients.add(session.peer)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer(port=port, messages=received, clients=clients)
    controller.stop()


# ---- Browser tests: a live server and Debian's Chromium ----------------------------------


def buffered(app: Flask) -> Callable[..., Any]:
    """Read each response fully and close it before Werkzeug writes it out.

    When Chromium cancels a request mid-transfer (a quick navigation away from a page
    still loading its scripts), Werkzeug's development server skips closing the
    response, and the open static file surfaces later as a ResourceWarning.
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            getattr(response, "close", lambda: None)()

    return serve


@pytest.fixture
def live_server(make_app: Callable[..., Flask]) -> Iterator[Any]:
    """The app served over HTTP on a free port, CSRF on, as people use it."""
    app = make_app(WTF_CSRF_ENABLED=True, TESTING=False, DEBUG=False)
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"  # type: ignore[attr-defined]
    server.flask_app = app  # type: ignore[attr-defined]
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[[], Any]]:
    """Open pages in fresh browser contexts: each one a separate person."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context()
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
