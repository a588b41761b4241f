"""Time the facilitator's dashboard and the heatmap for 10,000 annotations by 50 members.

Run as `python bench/bench_insights.py`; uses a temporary SQLite database, and also
PostgreSQL when STUDYGROUP_BENCH_DATABASE_URL names an empty database. Prints p50/p95 of
the two API requests at 100 and 10,000 annotations, and their SQL statement counts (which
must not grow with the annotations); asserts nothing.
"""

from __future__ import annotations

import random
import tempfile

from bench_annotations_api import (
    annotation_rows,
    build_app,
    count_queries,
    make_text,
    on_each_database,
    timed,
)
from flask import Flask
from sqlalchemy import insert, inspect

from studygroup.extensions import db
from studygroup.models import Annotation, User
from studygroup.services import groups, readings, users

SEED = 20261130
MEMBERS = 50
SIZES = (100, 10_000)


def populate(app: Flask, rng: random.Random) -> tuple[int, dict[int, int]]:
    """Fifty members, one reading per size; returns the facilitator and the reading ids."""
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
        for size in SIZES:
            reading = readings.create_reading(
                group=group, creator=people[0], title=f"{size}", source=text, source_format="text"
            )
            canonical = readings.current_revision(reading).text
            authors = [person.id for person in people]
            rows = annotation_rows(rng, reading.id, canonical, authors, size)
            db.session.execute(insert(Annotation), rows)
            for person in people[::2]:
                readings.set_read(reading=reading, user=person, read=True)
            reading_ids[size] = reading.id
        db.session.commit()
        return people[0].id, reading_ids


def bench(database_url: str, label: str) -> None:
    with tempfile.TemporaryDirectory() as instance:
        app = build_app(database_url, instance)
        with app.app_context():
            if inspect(db.engine).get_table_names():
                print(f"== {label}: skipped, the database is not empty")
                return
        print(f"== {label}")
        try:
            facilitator_id, reading_ids = populate(app, random.Random(SEED))
            client = app.test_client()
            with app.app_context(), client.session_transaction() as session:
                session["_user_id"] = db.session.get(User, facilitator_id).get_id()
            for what in ("dashboard", "heatmap"):
                for size, reading_id in reading_ids.items():
                    url = f"/api/readings/{reading_id}/{what}"

                    def get(url: str = url) -> None:
                        response = client.get(url)
                        assert response.status_code == 200, response.text

                    p50, p95 = timed(get)
                    queries = count_queries(app, get)
                    print(
                        f"{what} {size:>6,} annotations, {MEMBERS} members: p50 {p50:.1f} ms, "
                        f"p95 {p95:.1f} ms, {queries} SQL statements"
                    )
        finally:
            with app.app_context():
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def main() -> None:
    on_each_database(bench)


if __name__ == "__main__":
    main()
