"""Blueprints, one per feature."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (
        api_annotations,
        api_discussion,
        api_groups,
        api_insights,
        api_readings,
        api_search,
        auth,
        discussion,
        discussion_forms,
        exports,
        groups,
        health,
        home,
        insights,
        leaving,
        notifications,
        readings,
        schedule,
        search,
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
        exports,
        leaving,
        insights,
        api_insights,
        search,
        api_search,
        health,
    ):
        app.register_blueprint(module.bp)
