"""The database under the app: SQLite's settings, concurrent writers, Redis-backed limits."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select, text

from studygroup.extensions import db
from studygroup.models import Group
from tests.conftest import PASSWORD, skip_or_fail


def test_sqlite_connections_are_tuned(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            assert db.engine.dialect.name == "postgresql"
            return
        pragma = {
            name: db.session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}


def test_concurrent_writers_all_succeed(app, factory):
    """Each request reads (loads the user) and then writes: the case SQLite's deferred
    transactions get wrong under contention, which BEGIN IMMEDIATE queues instead."""
    people = [factory.user() for _ in range(6)]
    clients = []
    for person in people:
        client = app.test_client()
        client.post("/login", data={"email": person.email, "password": PASSWORD})
        clients.append(client)

    def create_groups(client) -> list[int]:
        return [client.post("/api/groups", json={"name": f"G{i}"}).status_code for i in range(5)]

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        statuses = [s for batch in pool.map(create_groups, clients) for s in batch]
    assert statuses == [201] * 30
    with app.app_context():
        assert db.session.scalar(select(func.count(Group.id))) == 30


def test_login_limits_can_live_in_redis(make_app, factory):
    """With several workers the counts must be shared: STUDYGROUP_RATELIMIT_STORAGE_URL."""
    url = os.environ.get("STUDYGROUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        skip_or_fail(f"no Redis answers at {url}")
    worker_a = make_app(RATELIMIT_STORAGE_URL=url, LOGIN_LIMIT_PER_IP="3 per minute")
    worker_b = make_app(RATELIMIT_STORAGE_URL=url, LOGIN_LIMIT_PER_IP="3 per minute")
    user = factory.user()
    attempt = {"email": user.email, "password": "wrong"}
    statuses = [worker_a.test_client().post("/login", data=attempt).status_code for _ in range(2)]
    statuses += [worker_b.test_client().post("/login", data=attempt).status_code for _ in range(2)]
    assert statuses == [400, 400, 400, 429]
    redis.Redis.from_url(url).flushdb()
