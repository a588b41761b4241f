"""A group's zip into a fresh installation: the same annotations come out again."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from studygroup import create_app
from studygroup.extensions import db
from studygroup.models import Annotation, Group, Reading, User
from studygroup.services import revisions, users
from studygroup.services.group_imports import MAX_FILES
from tests.conftest import PASSWORD, Factory, app_config, signed_in_client
from tests.functional.export_support import SOURCE
from tests.functional.test_imports import answered_circle, exported, shape


@pytest.fixture
def circle(app, factory):
    return answered_circle(app, factory)


@pytest.fixture
def fresh(tmp_path):
    """A second installation on its own SQLite file, with one user, Olga."""
    app = create_app(
        app_config("sqlite:///" + str(tmp_path / "fresh.sqlite3"), str(tmp_path / "fresh"))
    )
    with app.app_context():
        db.create_all()
        olga = users.create_user(email="olga@example.org", display_name="Olga", password=PASSWORD)
        db.session.expunge(olga)
    yield app, signed_in_client(app, olga)
    with app.app_context():
        db.engine.dispose()


def post_zip(client, content: bytes):
    return client.post("/api/groups/import", data=content, content_type="application/zip")


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def group_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Group.id))) or 0


def test_a_group_moves_to_a_fresh_installation_with_its_history_and_discussion(circle, fresh):
    app, olga = fresh
    fran = circle.client("facilitator")
    with circle.app.app_context():  # a second revision, so there is history to move
        reading = db.session.get(Reading, circle.reading_id)
        revisions.edit_reading(
            reading=reading,
            editor=db.session.get(User, circle.users["facilitator"].id),
            title=reading.title,
            author="",
            source_url="",
            source="Preface.\n\n" + SOURCE,
            source_format="markdown",
        )
    before = exported(fran, circle.reading_id)
    archive = fran.get(f"/api/groups/{circle.group_id}/export").data
    response = post_zip(olga, archive)
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["group"]["name"] == "Tuesday Circle"
    assert body["readings"] == [{"imported": 5, "orphaned": 0, "skipped": []}]
    with app.app_context():
        (moved,) = db.session.scalars(select(Reading)).all()
        assert moved.title == "Why we read" and moved.current_revision == 2
        moved_id = moved.id
        assert db.session.scalar(select(func.count(Annotation.id))) == 5
    assert shape(exported(olga, moved_id)) == shape(before)


def test_an_archive_with_a_bad_annotation_file_leaves_no_group_behind(circle, fresh):
    app, olga = fresh
    archive = zipfile.ZipFile(
        io.BytesIO(circle.client("facilitator").get(f"/api/groups/{circle.group_id}/export").data)
    )
    files = {name: archive.read(name) for name in archive.namelist()}
    (jsonld,) = [name for name in files if name.endswith("annotations.jsonld")]
    files[jsonld] = b'[{"type": "Annotation", "motivation": "bookmarking"}]'
    response = post_zip(olga, zipped(files))
    assert response.status_code == 422
    assert "Unknown motivation 'bookmarking'" in response.get_json()["error"]["message"]
    assert group_count(app) == 0


def bomb() -> bytes:
    """A small zip whose one file unpacks to more than the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("manifest.json", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(257):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK not really a zip", "not a zip"),
        (zipped({"../../etc/passwd": b"x"}), "unsafe name"),
        (zipped({"/abs/manifest.json": b"{}"}), "unsafe name"),
        (zipped({f"f{n}": b"" for n in range(MAX_FILES + 1)}), "more than 5,000 files"),
        (zipped({"readme.txt": b"hello"}), "no manifest.json"),
        (zipped({"manifest.json": b'{"format": "other"}'}), "does not describe"),
    ],
)
def test_bad_archives_are_refused_and_create_nothing(fresh, content, message):
    app, olga = fresh
    response = post_zip(olga, content)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]
    assert group_count(app) == 0


def test_a_zip_bomb_is_refused_before_it_is_unpacked(fresh):
    app, olga = fresh
    response = post_zip(olga, bomb())
    assert response.status_code == 422
    assert "more than 256 MB" in response.get_json()["error"]["message"]
    assert group_count(app) == 0


def test_a_group_from_a_sqlite_installation_moves_into_this_database(app, factory, fresh):
    """The other way round: made on a SQLite file, imported here (PostgreSQL in its runs)."""
    source_app, _ = fresh
    made = answered_circle(source_app, Factory(source_app))
    fran = made.client("facilitator")
    before = exported(fran, made.reading_id)
    owner = factory.user("Owner")
    client = signed_in_client(app, owner)
    response = post_zip(client, fran.get(f"/api/groups/{made.group_id}/export").data)
    assert response.status_code == 201, response.data
    with app.app_context():
        (moved,) = db.session.scalars(select(Reading)).all()
        moved_id = moved.id
    assert shape(exported(client, moved_id)) == shape(before)
