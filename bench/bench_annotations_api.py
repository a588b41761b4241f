"""Time the annotation list API for 100 and 10,000 annotations on a 10,000-word reading.

Run as `python bench/bench_annotations_api.py`; uses a temporary SQLite database, and also
PostgreSQL when STUDYGROUP_BENCH_DATABASE_URL names an empty database. Prints figures and
the ratio p50(10,000)/p50(100) against the target of at most 3x; asserts nothing.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, insert, inspect

from studygroup import create_app
from studygroup.anchoring import describe
from studygroup.extensions import db
from studygroup.models import Annotation, User
from studygroup.models.types import utcnow
from studygroup.rendering import render_comment
from studygroup.services import groups, readings, users

SEED = 20240601
WORDS = 10_000
SIZES = (100, 10_000)
RUNS = 15
WARM_UP = 3
TARGET_RATIO = 3.0
MEMBERS = 20
VOCABULARY = (
    "the of and to a in is that it was for on as with by at from this reading group margin "
    "argument passage question author claim evidence theory practice history language "
    "memory attention habit city river winter letter garden window machine"
).split()
NOTES = [
    "Is this *really* the author's claim?",
    "Compare with last week's reading.",
    "I disagree: see the **second** paragraph.",
    "Lovely sentence.",
    "What does this word mean here? [a definition](https://example.org/define)",
]


def build_app(database_url: str, instance_path: str) -> Flask:
    """The real app on the given database, with cheap password hashing for set-up."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-0123456789",
            "WTF_CSRF_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "ARGON2_PARALLELISM": 1,
            "INSTANCE_PATH": instance_path,
        }
    )


def make_text(rng: random.Random) -> str:
    """Paragraphs of about 150 words, 10,000 words in all."""
    words = [rng.choice(VOCABULARY) for _ in range(WORDS)]
    paragraphs = [" ".join(words[i : i + 150]).capitalize() + "." for i in range(0, WORDS, 150)]
    return "\n\n".join(paragraphs)


def annotation_rows(
    rng: random.Random, reading_id: int, text: str, authors: list[int], count: int
) -> list[dict[str, Any]]:
    """Passages of 1-30 words with notes, colours and some private ones, ready to insert."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    notes = [(note, render_comment(note)) for note in NOTES]
    now = utcnow()
    rows = []
    for _ in range(count):
        first = rng.randrange(len(spaces) - 31)
        start, end = spaces[first] + 1, spaces[first + rng.randint(1, 30)]
        selector = describe(text, start, end)
        highlight = rng.random() < 0.3
        note, html = ("", "") if highlight else rng.choice(notes)
        rows.append(
            {
                "reading_id": reading_id,
                "author_id": rng.choice(authors),
                "motivation": "highlighting" if highlight else "commenting",
                "visibility": "private" if rng.random() < 0.1 else "group",
                "color": rng.choice(["yellow", "green", "blue", None]),
                "body_source": note,
                "body_html": html,
                "revision": 1,
                "start": selector.start,
                "end": selector.end,
                "exact": selector.exact,
                "prefix": selector.prefix,
                "suffix": selector.suffix,
                "orphaned": False,
                "created_at": now,
                "modified_at": now,
            }
        )
    return rows


def populate(app: Flask, rng: random.Random) -> tuple[int, dict[int, int]]:
    """A group of members and one reading per size; returns the viewer and reading ids."""
    with app.app_context():
        db.create_all()
        people = [
            users.create_user(
                email=f"member{i}@example.org", display_name=f"Member {i}", password="x" * 16
            )
            for i in range(MEMBERS)
        ]
        group = groups.create_group(creator=people[0], name="Bench circle")
        for person in people[1:]:
            groups.join(group, person)
        text = make_text(rng)
        reading_ids = {}
        began = time.perf_counter()
        for size in SIZES:
            reading = readings.create_reading(
                group=group, creator=people[0], title=f"{size}", source=text, source_format="text"
            )
            canonical = readings.current_revision(reading).text
            rows = annotation_rows(rng, reading.id, canonical, [p.id for p in people], size)
            db.session.execute(insert(Annotation), rows)
            db.session.commit()
            reading_ids[size] = reading.id
        print(
            f"reading: {len(text.split()):,} words, {len(canonical):,} code points; "
            f"{sum(SIZES):,} annotations inserted in {time.perf_counter() - began:.2f} s"
        )
        return people[1].id, reading_ids


def timed(request: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after a few untimed runs to warm caches up."""
    for _ in range(WARM_UP):
        request()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        request()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def count_queries(app: Flask, request: Callable[[], Any]) -> int:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    request()
    event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def measure(app: Flask, client: FlaskClient, url: str) -> dict[str, Any]:
    """Cold (cache emptied each run), cached, and conditional (304) requests of one list."""

    def get() -> Any:
        response = client.get(url)
        assert response.status_code == 200 and response.data, response.text
        return response

    def cold() -> None:
        app.extensions.pop("annotation_pages", None)  # the next request starts a new cache
        get()

    first = get()
    etag = first.headers["ETag"]
    return {
        "items": len(first.get_json()["items"]),
        "bytes": len(first.data),
        "queries": count_queries(app, get),
        "cold": timed(cold, runs=7),
        "cached": timed(get),
        "304": timed(lambda: client.get(url, headers={"If-None-Match": etag})),
    }


def compare_paging(app: Flask, client: FlaskClient, container: str) -> None:
    """What the reader asks for (one page of everything) against the container's pages of
    1,000, all fetched one after the other (the server's work; a browser overlaps them)."""

    def pages() -> None:
        first = client.get(container).get_json()
        last = int(first["last"].rsplit("=", 1)[1])
        for index in range(1, last + 1):
            assert client.get(f"{container}?page={index}").status_code == 200

    def everything() -> None:
        assert client.get(f"{container}?page=all").status_code == 200

    def emptied(request: Callable[[], None]) -> Callable[[], None]:
        return lambda: (app.extensions.pop("annotation_pages", None), request())[1]

    for name, request in (("one request, ?page=all", everything), ("pages of 1,000", pages)):
        cold, warm = timed(emptied(request), runs=5), timed(request)
        conditional = count_queries(app, request)
        print(
            f"  {name:<24} uncached p50 {cold[0]:7.1f} ms; cached p50 {warm[0]:6.1f} ms "
            f"({conditional} SQL statements)"
        )


def bench(database_url: str, label: str) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = build_app(database_url, instance)
        with app.app_context():
            if inspect(db.engine).get_table_names():
                print(f"== {label}: skipped, the database is not empty")
                return
        print(f"== {label}")
        try:
            viewer_id, reading_ids = populate(app, random.Random(SEED))
            client = app.test_client()
            with app.app_context(), client.session_transaction() as session:
                session["_user_id"] = db.session.get(User, viewer_id).get_id()
            results = {}
            for size, reading_id in reading_ids.items():
                results[size] = figures = measure(
                    app, client, f"/api/readings/{reading_id}/annotations/?page=all"
                )
                print(
                    f"list {size:>6,} ({figures['items']:,} visible, "
                    f"{figures['bytes'] / 1e6:.2f} MB, {figures['queries']} SQL statements): "
                    f"cached p50 {figures['cached'][0]:.1f} ms, p95 {figures['cached'][1]:.1f} ms; "
                    f"uncached p50 {figures['cold'][0]:.1f} ms, p95 {figures['cold'][1]:.1f} ms; "
                    f"304 p50 {figures['304'][0]:.1f} ms"
                )
            print(f"the reader's list of {SIZES[-1]:,}, in one request or in pages:")
            compare_paging(app, client, f"/api/readings/{reading_ids[SIZES[-1]]}/annotations/")
            small, large = (results[size] for size in SIZES)
            ratio = large["cached"][0] / small["cached"][0]
            cold_ratio = large["cold"][0] / small["cold"][0]
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            print(
                f"ratio p50(10,000)/p50(100): {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x: "
                f"{verdict}); without the page cache: {cold_ratio:.1f}x"
            )
            print(
                f"SQL statements per list request: {small['queries']} for 100, "
                f"{large['queries']} for 10,000"
            )
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def on_each_database(run: Callable[[str, str], None]) -> None:
    """Run a benchmark on a scratch SQLite file, then on PostgreSQL when one is named."""
    with tempfile.TemporaryDirectory() as directory:
        run("sqlite:///" + os.path.join(directory, "bench.sqlite3"), "SQLite")
    postgres = os.environ.get("STUDYGROUP_BENCH_DATABASE_URL")
    if postgres:
        run(postgres, "PostgreSQL")
    else:
        print("== PostgreSQL: set STUDYGROUP_BENCH_DATABASE_URL to an empty database to include it")


def main() -> None:
    on_each_database(bench)


if __name__ == "__main__":
    main()
