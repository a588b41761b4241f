"""Configuration layering and the production safety checks."""

from __future__ import annotations

import os
import stat

import pytest

from studygroup import create_app
from studygroup.config import defaults


def production_app(tmp_path, monkeypatch, **env):
    for name in [key for key in os.environ if key.startswith("STUDYGROUP_")]:
        monkeypatch.delenv(name)  # only what the test sets counts
    monkeypatch.setenv("STUDYGROUP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("STUDYGROUP_DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app()


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    first = production_app(tmp_path, monkeypatch)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    second = production_app(tmp_path, monkeypatch)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


@pytest.mark.parametrize("secret", ["dev", "you-will-never-guess", "short"])
def test_production_refuses_known_or_short_secrets(tmp_path, monkeypatch, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production_app(tmp_path, monkeypatch, STUDYGROUP_SECRET_KEY=secret)


def test_debug_mode_tolerates_a_development_secret(tmp_path, monkeypatch):
    app = production_app(tmp_path, monkeypatch, STUDYGROUP_SECRET_KEY="dev", FLASK_DEBUG="1")
    assert app.debug


def test_environment_and_instance_file_override_defaults(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("BASE_URL = 'https://reading.example.org'\n")
    app = production_app(tmp_path, monkeypatch, STUDYGROUP_LOGIN_LIMIT_PER_IP="2 per minute")
    assert app.config["BASE_URL"] == "https://reading.example.org"
    assert app.config["LOGIN_LIMIT_PER_IP"] == "2 per minute"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/db.sqlite3"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    assert defaults(str(tmp_path))["DATABASE_URL"] == f"sqlite:///{tmp_path}/studygroup.sqlite3"


def test_default_password_hashing_meets_owasp_argon2id_guidance(tmp_path):
    config = defaults(str(tmp_path))
    # OWASP: argon2id with at least m=19 MiB, t=2, p=1 (or stronger trade-offs).
    assert config["ARGON2_MEMORY_COST"] >= 19 * 1024
    assert config["ARGON2_TIME_COST"] >= 2


def test_sessions_last_at_most_thirty_days(tmp_path):
    config = defaults(str(tmp_path))
    assert config["PERMANENT_SESSION_LIFETIME"].days <= 30
    assert config["REMEMBER_COOKIE_DURATION"].days <= 30


def test_the_settings_instance_readme_shows_really_work(tmp_path, monkeypatch):
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "instance", "README.md")
    with open(readme, encoding="utf-8") as handle:
        example = handle.read().split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "config.py").write_text("\n".join(line.strip() for line in example.splitlines()))
    production_app(tmp_path, monkeypatch)  # a clean environment and this instance folder
    monkeypatch.delenv("STUDYGROUP_DATABASE_URL")
    app = create_app()  # the file alone decides now
    url = "postgresql+psycopg://studygroup@127.0.0.1/studygroup"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["BASE_URL"] == "https://reading.example.org"
    assert app.config["SESSION_COOKIE_SECURE"] is True  # from PREFERRED_URL_SCHEME
    assert app.config["MAIL_SERVER"] == "smtp.example.org"


def test_links_follow_the_port_flask_run_serves_on_unless_a_base_url_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_RUN_PORT", raising=False)
    assert production_app(tmp_path, monkeypatch).config["BASE_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("FLASK_RUN_PORT", "8123")
    assert production_app(tmp_path, monkeypatch).config["BASE_URL"] == "http://127.0.0.1:8123"
    chosen = production_app(tmp_path, monkeypatch, STUDYGROUP_BASE_URL="https://read.example.org")
    assert chosen.config["BASE_URL"] == "https://read.example.org"
