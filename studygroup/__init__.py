"""Studygroup: read one article a week, annotate it together, argue about it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; the only place that wires configuration, extensions and views."""
    from . import serving

    app = Flask(
        __name__,
        instance_path=os.environ.get("STUDYGROUP_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path=serving.static_url_path(PROJECT_ROOT / "static"),
    )
    from . import auth, cli, config, database, errors, input_guard, security, views
    from .extensions import csrf, db, limiter, login_manager, migrate

    config.load_config(app, test_config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    database.configure_engine(app)
    auth.init_app(app)
    security.init_app(app)
    input_guard.init_app(app)  # before views: their routes use its `int` converter
    serving.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
