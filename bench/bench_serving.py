"""Throughput under gunicorn (2 workers, SQLite) against a bare Flask app in the same run.

Run as `python bench/bench_serving.py`. Both servers run on 127.0.0.1 with the same
gunicorn settings; the bare app serves the same bytes with the same ETag. Each figure is
requests per second from concurrent clients over a bounded time; asserts nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench_annotations_api import build_app, populate

from studygroup import PROJECT_ROOT
from studygroup.extensions import db
from studygroup.models import Reading, User
from studygroup.services import readings, tokens

SECONDS = 4.0
WARM_UP_SECONDS = 8.0
POLLERS = 8
WRITERS = 16
SEED = 20240601


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app_spec: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        **env,
        "STUDYGROUP_BIND": f"127.0.0.1:{port}",
        "STUDYGROUP_WORKERS": "2",
        "STUDYGROUP_ACCESS_LOG": os.devnull,
        "PYTHONPATH": str(PROJECT_ROOT / "bench"),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--config", str(PROJECT_ROOT / "gunicorn.conf.py"), app_spec],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1)  # let both workers finish booting
                return server, port
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app_spec} did not start")


def rate(
    port: int,
    clients: int,
    make: Callable[[], tuple[str, str, bytes | None, dict[str, str]]],
    expect: int,
    seconds: float = SECONDS,
) -> float:
    """Requests per second that got `expect`, from `clients` threads for `seconds`."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        while time.monotonic() < stop:
            method, path, body, headers = make()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == expect:
                done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - began)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = build_app(url, folder)
        viewer_id, reading_ids = populate(app, random.Random(SEED))
        with app.app_context():
            token = tokens.create_token(user=db.session.get(User, viewer_id), label="bench")
            reading = db.session.get(Reading, reading_ids[100])
            text = readings.current_revision(reading).text
        start = text.index(" ") + 1
        exact = text[start : text.index(" ", start)]
        auth = {"Authorization": f"Bearer {token}"}
        big = f"/api/readings/{reading_ids[10_000]}/annotations/"
        env = {
            "STUDYGROUP_DATABASE_URL": url,
            "STUDYGROUP_INSTANCE_PATH": folder,
            "STUDYGROUP_SECRET_KEY": "bench-only-secret-key-that-is-long-enough-0123456789",
        }
        studygroup, port = serve("studygroup:create_app()", env)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", big, headers=auth)
            response = connection.getresponse()
            page, etag = response.read(), response.getheader("ETag").strip('"')
            Path(folder, "page.json").write_bytes(page)
            connection.close()
            packed = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            packed.request("GET", big, headers={**auth, "Accept-Encoding": "br, gzip"})
            compressed = packed.getresponse()
            wire, encoding = len(compressed.read()), compressed.getheader("Content-Encoding")
            packed.close()
            bare, bare_port = serve(
                "bare_app:create_bare_app()",
                {"BENCH_PAGE": str(Path(folder, "page.json")), "BENCH_ETAG": etag},
            )
            try:
                # Each worker builds its own page cache once: warm both before timing.
                rate(port, 4, lambda: ("GET", big, None, auth), 200, seconds=WARM_UP_SECONDS)
                poll = {**auth, "If-None-Match": f'"{etag}"'}
                comment = {
                    "motivation": "commenting",
                    "body": {"type": "TextualBody", "value": "Why?", "format": "text/markdown"},
                    "target": {
                        "selector": [
                            {"type": "TextQuoteSelector", "exact": exact},
                            {
                                "type": "TextPositionSelector",
                                "start": start,
                                "end": start + len(exact),
                            },
                        ]
                    },
                }
                write_body = json.dumps(comment).encode()
                write_headers = {**auth, "Content-Type": "application/json"}
                small = f"/api/readings/{reading_ids[100]}/annotations/"
                rows: list[tuple[str, float, float]] = [
                    (
                        "304 poll of the 10,000 list",
                        rate(port, POLLERS, lambda: ("GET", big, None, poll), 304),
                        rate(bare_port, POLLERS, lambda: ("GET", "/list", None, poll), 304),
                    ),
                    (
                        "full GET of the 10,000 list (cached)",
                        rate(port, POLLERS, lambda: ("GET", big, None, auth), 200),
                        rate(bare_port, POLLERS, lambda: ("GET", "/list", None, auth), 200),
                    ),
                    (
                        f"annotation writes, {WRITERS} clients",
                        rate(
                            port, WRITERS, lambda: ("POST", small, write_body, write_headers), 201
                        ),
                        rate(
                            bare_port,
                            WRITERS,
                            lambda: ("POST", "/write", write_body, write_headers),
                            201,
                        ),
                    ),
                ]
            finally:
                os.killpg(bare.pid, signal.SIGTERM)
                bare.wait()
        finally:
            os.killpg(studygroup.pid, signal.SIGTERM)
            studygroup.wait()
    print(f"10,000-annotation list: {len(page) / 1e6:.2f} MB, {wire / 1e6:.2f} MB as {encoding}")
    print(f"{'under gunicorn, 2 workers, SQLite':<40} {'req/s':>8} {'bare Flask':>11} {'ratio':>7}")
    for label, ours, yardstick in rows:
        print(f"{label:<40} {ours:>8.0f} {yardstick:>11.0f} {ours / yardstick:>6.0%}")


if __name__ == "__main__":
    main()
