"""gunicorn on SQLite under sixteen concurrent writers, then `kill -9` mid-load: no write
was refused for a lock, and every write that was answered 201 is there after a restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from studygroup import PROJECT_ROOT, create_app
from studygroup.extensions import db
from studygroup.services import groups, readings, tokens, users
from tests.conftest import PASSWORD, app_config

WRITERS = 16
LOAD_SECONDS = 3.0  # of writing before the kill: enough for a few hundred writes
BOOT_SECONDS = 90  # a bound for a loaded CI machine; a healthy boot takes a second or two
TEXT = "Reading groups meet once a week to talk about a single article."


@dataclass
class Installation:
    folder: Path
    database: Path
    token: str
    reading_id: int
    port: int = 0
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "gunicorn.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")


@pytest.fixture
def installation(tmp_path) -> Iterator[Installation]:
    database = tmp_path / "studygroup.sqlite3"
    app = create_app(app_config(f"sqlite:///{database}", str(tmp_path)))
    with app.app_context():
        db.create_all()
        ada = users.create_user(email="ada@example.org", display_name="Ada", password=PASSWORD)
        group = groups.create_group(creator=ada, name="Night shift")
        reading = readings.create_reading(
            group=group, creator=ada, title="On groups", source=TEXT, source_format="text"
        )
        found = Installation(tmp_path, database, tokens.create_token(user=ada, label="crash"), 0)
        found.reading_id = reading.id
        db.engine.dispose()
    yield found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(site: Installation) -> subprocess.Popen[bytes]:
    site.port = free_port()
    env = {
        **os.environ,
        "STUDYGROUP_DATABASE_URL": f"sqlite:///{site.database}",
        "STUDYGROUP_INSTANCE_PATH": str(site.folder),
        "STUDYGROUP_SECRET_KEY": "crash-test-secret-key-long-enough-0123456789",
        "STUDYGROUP_BIND": f"127.0.0.1:{site.port}",
        "STUDYGROUP_WORKERS": "2",
        "STUDYGROUP_ACCESS_LOG": os.devnull,
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with site.log.open("ab") as log:
        server = subprocess.Popen(
            [str(gunicorn), "--config", str(PROJECT_ROOT / "gunicorn.conf.py")],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: kill -9 reaches every worker
        )
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(site.base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    pytest.fail(f"gunicorn did not answer within {BOOT_SECONDS} s: {site.log.read_text()}")


def comment(number: int) -> dict[str, Any]:
    return {
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": f"Note {number}", "format": "text/markdown"},
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Reading"},
                {"type": "TextPositionSelector", "start": 0, "end": 7},
            ]
        },
    }


def reply(parent: str, number: int) -> dict[str, Any]:
    return {
        "motivation": "replying",
        "target": parent,
        "body": {"type": "TextualBody", "value": f"Reply {number}", "format": "text/markdown"},
    }


@dataclass
class Outcome:
    acknowledged: set[str] = field(default_factory=set)
    refused: list[int] = field(default_factory=list)  # any status but 201 before the kill
    lock: threading.Lock = field(default_factory=threading.Lock)


def write_until(site: Installation, stop: threading.Event, killed: threading.Event, out: Outcome):
    collection = f"/api/readings/{site.reading_id}/annotations/"
    parent = None
    number = 0
    while not stop.is_set():
        number += 1
        payload = comment(number) if parent is None or number % 3 else reply(parent, number)
        try:
            status, created = site.request("POST", collection, payload)
        except urllib.error.HTTPError as error:
            if not killed.is_set():
                with out.lock:
                    out.refused.append(error.code)
            continue
        except OSError:  # the server is gone: this write was never acknowledged
            if killed.is_set():
                return
            continue
        with out.lock:
            out.acknowledged.add(created["id"].rsplit("/", 1)[1])
        parent = parent or created["id"]


def test_kill_9_mid_load_loses_no_acknowledged_write(installation):
    site = installation
    server = start_gunicorn(site)
    stop, killed, outcome = threading.Event(), threading.Event(), Outcome()
    writers = [
        threading.Thread(target=write_until, args=(site, stop, killed, outcome))
        for _ in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    time.sleep(LOAD_SECONDS)
    killed.set()
    os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-write
    server.wait(timeout=30)
    stop.set()
    for writer in writers:
        writer.join(timeout=60)

    assert outcome.refused == []
    assert "database is locked" not in site.log.read_text()
    assert len(outcome.acknowledged) >= WRITERS  # the load really happened

    server = start_gunicorn(site)
    try:
        status, page = site.request("GET", f"/api/readings/{site.reading_id}/annotations/")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert status == 200
    stored = {item["id"].rsplit("/", 1)[1] for item in page["first"]["items"]}
    assert outcome.acknowledged - stored == set()
    with sqlite3.connect(site.database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
