"""Everything the database stores, to show that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from studygroup.extensions import db


def database_snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with app.app_context():
        return {
            table.name: sorted((tuple(row) for row in db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
        }
