"""backup and restore: consistent SQLite copies, checked, and PostgreSQL pointed to pg_dump."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studygroup import create_app
from studygroup.backups import integrity
from studygroup.extensions import db
from studygroup.models import Group
from studygroup.services import groups, users
from tests.conftest import PASSWORD, app_config


@pytest.fixture
def sqlite_app(tmp_path):
    """An installation on its own SQLite file, whatever database the suite runs on."""
    app = create_app(app_config(f"sqlite:///{tmp_path}/live.sqlite3", str(tmp_path)))
    with app.app_context():
        db.create_all()
        owner = users.create_user(email="ada@example.org", display_name="Ada", password=PASSWORD)
        for i in range(50):
            groups.create_group(creator=owner, name=f"Circle {i}")
    yield app
    with app.app_context():
        db.engine.dispose()


def group_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM groups").fetchone()[0]


def test_a_backup_taken_while_writers_write_is_consistent(sqlite_app, tmp_path):
    stop = threading.Event()

    def write() -> None:
        with sqlite_app.app_context():
            owner = users.find_by_email("ada@example.org")
            while not stop.is_set():
                groups.create_group(creator=owner, name="Busy circle")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    finally:
        stop.set()
        writer.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    assert integrity(tmp_path / "b.sqlite3") == "ok"
    copied = group_count(tmp_path / "b.sqlite3")
    assert copied >= 50
    with sqlite3.connect(tmp_path / "b.sqlite3") as copy:  # each group came with its member
        members = copy.execute("SELECT count(DISTINCT group_id) FROM memberships").fetchone()
    assert members[0] == copied


def test_a_backup_never_overwrites_a_file(sqlite_app, tmp_path):
    target = tmp_path / "taken.sqlite3"
    target.write_text("precious")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "precious"


def test_restore_brings_back_the_backup(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")]).exit_code == 0
    with sqlite_app.app_context():
        owner = users.find_by_email("ada@example.org")
        groups.create_group(creator=owner, name="After the backup")
        db.session.remove()
    result = runner.invoke(args=["restore", str(tmp_path / "b.sqlite3")], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count(Group.id))) == 50
        assert db.session.scalar(select(Group.id).where(Group.name == "After the backup")) is None
    assert integrity(tmp_path / "live.sqlite3") == "ok"


def test_restore_refuses_a_damaged_backup(sqlite_app, tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\0" + b"\x07" * 4096)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(damaged), "--yes"])
    assert result.exit_code == 1 and "integrity check" in result.output
    assert group_count(tmp_path / "live.sqlite3") == 50


def test_restore_asks_first(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "b.sqlite3")], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output


def test_postgresql_is_pointed_to_pg_dump(tmp_path):
    app = create_app(app_config("postgresql+psycopg://nobody@127.0.0.1:1/none", str(tmp_path)))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 1 and "pg_dump" in result.output


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_the_commands_explain_themselves(runner, command):
    result = runner.invoke(args=[command, "--help"])
    assert result.exit_code == 0 and "integrity_check" in result.output
