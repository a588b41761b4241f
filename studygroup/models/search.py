"""The full-text search indexes: FTS5 tables kept by triggers on SQLite, GIN expression
indexes on PostgreSQL. They are not models: created and dropped with the metadata (tests
use create_all) and by the migration, and left out of Alembic's comparisons by name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, text

from ..extensions import db

PREFIX = "search_"  # every search object's name starts so (PostgreSQL: "ix_search_")
# The text each index holds; PostgreSQL's queries must repeat the expressions exactly.
ANNOTATION_DOCUMENT = "coalesce(body_source, '') || ' ' || coalesce(exact, '')"
REVISION_DOCUMENT = "text"
LANGUAGE = "english"

_FTS = "tokenize='porter unicode61 remove_diacritics 2'"
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_annotations USING fts5(body_source, exact, "
    f"content='annotations', content_rowid='id', {_FTS})",
    "CREATE TRIGGER IF NOT EXISTS search_annotations_insert AFTER INSERT ON annotations BEGIN "
    "INSERT INTO search_annotations(rowid, body_source, exact) "
    "VALUES (new.id, new.body_source, new.exact); END",
    "CREATE TRIGGER IF NOT EXISTS search_annotations_delete AFTER DELETE ON annotations BEGIN "
    "INSERT INTO search_annotations(search_annotations, rowid, body_source, exact) "
    "VALUES ('delete', old.id, old.body_source, old.exact); END",
    "CREATE TRIGGER IF NOT EXISTS search_annotations_update "
    "AFTER UPDATE OF body_source, exact ON annotations BEGIN "
    "INSERT INTO search_annotations(search_annotations, rowid, body_source, exact) "
    "VALUES ('delete', old.id, old.body_source, old.exact); "
    "INSERT INTO search_annotations(rowid, body_source, exact) "
    "VALUES (new.id, new.body_source, new.exact); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_revisions USING fts5(text, "
    f"content='reading_revisions', content_rowid='id', {_FTS})",
    "CREATE TRIGGER IF NOT EXISTS search_revisions_insert AFTER INSERT ON reading_revisions "
    "BEGIN INSERT INTO search_revisions(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS search_revisions_delete AFTER DELETE ON reading_revisions "
    "BEGIN INSERT INTO search_revisions(search_revisions, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "INSERT INTO search_annotations(search_annotations) VALUES ('rebuild')",
    "INSERT INTO search_revisions(search_revisions) VALUES ('rebuild')",
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS search_{table}_{change}"
        for table in ("annotations", "revisions")
        for change in ("insert", "delete", "update")
    ),
    "DROP TABLE IF EXISTS search_annotations",
    "DROP TABLE IF EXISTS search_revisions",
]
POSTGRESQL_CREATE = [
    "CREATE INDEX IF NOT EXISTS ix_search_annotations ON annotations "
    f"USING gin (to_tsvector('{LANGUAGE}'::regconfig, {ANNOTATION_DOCUMENT}))",
    "CREATE INDEX IF NOT EXISTS ix_search_revisions ON reading_revisions "
    f"USING gin (to_tsvector('{LANGUAGE}'::regconfig, {REVISION_DOCUMENT}))",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS ix_search_annotations",
    "DROP INDEX IF EXISTS ix_search_revisions",
]
STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def is_search_object(name: str | None) -> bool:
    """For Alembic's comparisons: the search objects (and FTS5's shadow tables) are ours."""
    return bool(name) and (str(name).startswith(PREFIX) or str(name).startswith("ix_" + PREFIX))


def create(connection: Connection) -> None:
    for statement in STATEMENTS.get(connection.dialect.name, ([], []))[0]:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    for statement in STATEMENTS.get(connection.dialect.name, ([], []))[1]:
        connection.execute(text(statement))


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata: Any, connection: Connection, **_kw: Any) -> None:
    create(connection)


@event.listens_for(db.metadata, "before_drop")
def _before_drop(_metadata: Any, connection: Connection, **_kw: Any) -> None:
    drop(connection)
