"""Blueprints, one per feature."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        api_annotations,
        api_discussion,
        api_groups,
        api_readings,
        auth,
        discussion,
        discussion_forms,
        groups,
        health,
        home,
        notifications,
        readings,
        schedule,
        settings,
    )

    for module in (
        home,
        auth,
        settings,
        groups,
        readings,
        schedule,
        api_groups,
        api_readings,
        api_annotations,
        notifications,
        discussion,
        discussion_forms,
        api_discussion,
        health,
    ):
        app.register_blueprint(module.bp)
