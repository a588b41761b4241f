"""Time and weigh exports of 10,000 and 100,000 annotations: CSV, Markdown, the group's zip.

Run as `python bench/bench_exports.py`; uses a temporary SQLite database. Prints the time of
each streamed export (consumed chunk by chunk, never joined) and its peak Python memory
(tracemalloc, in a second run): streaming keeps the peak flat as the export grows.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable

from bench_annotations_api import annotation_rows, build_app, make_text
from flask.testing import FlaskClient
from sqlalchemy import insert

from studygroup.extensions import db
from studygroup.models import Annotation
from studygroup.services import groups, readings, users

SEED = 20240601
SIZES = (10_000, 100_000)
MEMBERS = 20


def consume(client: FlaskClient, url: str) -> int:
    """Read a streamed download chunk by chunk, as a browser saving it would."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def weigh(run: Callable[[], int]) -> tuple[float, float, int, float]:
    """Wall and CPU seconds and bytes for one run (CPU time is what a shared machine does not
    blur); then peak traced memory (MiB) for another."""
    began, cpu = time.perf_counter(), time.process_time()
    size = run()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu, size, peak / 2**20


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as instance:
        app = build_app("sqlite:///" + os.path.join(instance, "bench.sqlite3"), instance)
        with app.app_context():
            db.create_all()
            people = [
                users.create_user(
                    email=f"member{i}@example.org", display_name=f"Member {i}", password="x" * 16
                )
                for i in range(MEMBERS)
            ]
            text = make_text(rng)
            reading_ids, group_ids = {}, {}
            for size in SIZES:
                group = groups.create_group(creator=people[0], name=f"Circle {size}")
                for person in people[1:]:
                    groups.join(group, person)
                reading = readings.create_reading(
                    group=group,
                    creator=people[0],
                    title=f"{size}",
                    source=text,
                    source_format="text",
                )
                canonical = readings.current_revision(reading).text
                rows = annotation_rows(rng, reading.id, canonical, [p.id for p in people], size)
                db.session.execute(insert(Annotation), rows)
                db.session.commit()
                reading_ids[size], group_ids[size] = reading.id, group.id
            viewer = people[1]
            viewer.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = viewer.get_id(), True
        for size in SIZES:
            urls = {
                "csv": f"/api/readings/{reading_ids[size]}/export?format=csv",
                "markdown": f"/api/readings/{reading_ids[size]}/export?format=md",
                "group zip": f"/api/groups/{group_ids[size]}/export",
            }
            for label, url in urls.items():
                seconds, cpu, nbytes, peak = weigh(lambda url=url: consume(client, url))
                print(
                    f"{size:>7,} annotations, {label:<9}: {seconds:6.2f} s ({cpu:5.2f} s CPU), "
                    f"{nbytes / 2**20:6.1f} MiB out, peak {peak:5.1f} MiB traced",
                    flush=True,
                )


if __name__ == "__main__":
    main()
