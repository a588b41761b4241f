"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from studygroup import PROJECT_ROOT, create_app
from studygroup.extensions import db
from studygroup.models.search import is_search_object
from tests.conftest import app_config

MIGRATIONS = str(PROJECT_ROOT / "migrations")


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """A database of the same kind as the suite's, but empty: migrations start from nothing."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path}/migrated.sqlite3"
        return
    name = f"studygroup_migrations_{secrets.token_hex(4)}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


def search_objects_left_out(name, type_, _parents):
    """The full-text indexes are made by hand, not from the models (studygroup.models.search)."""
    return not (type_ in ("table", "index") and is_search_object(name))


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database_url, tmp_path):
    app = create_app(app_config(empty_database_url, str(tmp_path)))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_name": search_objects_left_out}
            context = MigrationContext.configure(connection, opts=opts)
            assert compare_metadata(context, db.metadata) == []
        downgrade(directory=MIGRATIONS, revision="base")
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_existing_group_descriptions_get_their_html(empty_database_url, tmp_path):
    app = create_app(app_config(empty_database_url, str(tmp_path)))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="8c3d2f1a6b40")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO groups (name, description, invite_token, invite_enabled,"
                    " requires_approval, created_at) VALUES"
                    " ('Old', 'We read *slowly*<script>x</script>', 'tok', true, false, :now),"
                    " ('Bare', '', 'tok2', true, false, :now)"
                ),
                {"now": "2026-01-01 00:00:00"},
            )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT name, description_html FROM groups")).all())
        assert rows["Old"].startswith("<p>We read <em>slowly</em>")
        assert "<script" not in rows["Old"]
        assert rows["Bare"] == ""
        downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
