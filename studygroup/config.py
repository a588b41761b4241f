"""Configuration: defaults here; instance/config.py and STUDYGROUP_* variables override."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

# Secrets that appear in tutorials and examples; production refuses them.
KNOWN_SECRETS = frozenset({"dev", "secret", "changeme", "change-me", "you-will-never-guess", ""})
MIN_SECRET_LENGTH = 32


def default_base_url() -> str:
    """Local links follow `flask run`'s port (FLASK_RUN_PORT), so a command run directly
    prints links to the port the app serves on; STUDYGROUP_BASE_URL overrides this."""
    return f"http://127.0.0.1:{os.environ.get('FLASK_RUN_PORT') or 5000}"


def defaults(instance_path: str) -> dict[str, Any]:
    """The settings a fresh checkout runs with: SQLite in the instance folder."""
    return {
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "studygroup.sqlite3"),
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
        "RATELIMIT_STORAGE_URL": "memory://",
        "LOGIN_LIMIT_PER_IP": "20 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per minute",
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # None: Secure exactly when PREFERRED_URL_SCHEME is https.
        "SESSION_COOKIE_SECURE": None,
        "REMEMBER_COOKIE_SECURE": None,
        "PREFERRED_URL_SCHEME": "http",
        # Where people reach this installation; used for links printed by commands.
        "BASE_URL": default_base_url(),
        # CSRF is checked in studygroup.auth, which lets bearer-token requests through.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_ENABLED": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024 + 64 * 1024,
        "PASSWORD_RESET_MAX_AGE": 3600,
        # argon2id at OWASP's first recommended strength (m=19 MiB would be the floor).
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 4,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,
        "MAIL_SENDER": "studygroup@localhost",
    }


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Layer defaults, instance/config.py, STUDYGROUP_* variables, then test overrides."""
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("STUDYGROUP")
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    _derive_extension_settings(app)
    check_production_safety(app)


def _derive_extension_settings(app: Flask) -> None:
    """Translate our documented names to the ones the extensions read."""
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    https = app.config["PREFERRED_URL_SCHEME"] == "https"
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config[key] is None:
            app.config[key] = https


def instance_secret_key(instance_path: Path) -> str:
    """Read the installation's secret key, generating it on first run."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def check_production_safety(app: Flask) -> None:
    """Refuse to serve real users with a guessable secret key."""
    if app.debug or app.testing:
        return
    key = app.config["SECRET_KEY"]
    if key in KNOWN_SECRETS or len(key) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            "SECRET_KEY is a known default or shorter than 32 characters; "
            "delete it from the configuration to use the generated instance/secret_key."
        )
