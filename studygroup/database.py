"""Engine tuning: SQLite gets WAL, foreign keys and write transactions that wait their turn."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_engine(app: Flask) -> None:
    """Attach the SQLite pragmas and transaction handling when the database is SQLite."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # In WAL mode NORMAL loses no committed transaction when the process dies (kill -9,
        # tested in test_crash_safety): the WAL is in the OS's hands at commit. Only a power
        # cut or kernel crash may drop the last commits, never corrupting the file; FULL would
        # pay an fsync per commit to close that gap.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that later writes fails at once with SQLITE_BUSY when
        # another writer got there first; IMMEDIATE takes the write lock up front and
        # lets busy_timeout queue concurrent writers instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def reachable() -> bool:
    """Whether the database answers a trivial query, for the health check."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def _may_write() -> bool:
    """Reads of pages and API resources never write; everything else may."""
    return not (has_request_context() and request.method in READ_ONLY_METHODS)
