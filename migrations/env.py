"""Alembic environment: migrate the database of the Flask app that runs `flask db ...`."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
engine = db.engine
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)
options = current_app.extensions["migrate"].configure_args


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write our column types as their plain SQLAlchemy forms: migrations outlive app code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return repr(obj.impl).replace("DateTime(", "sa.DateTime(")
    return False


def include_name(name, type_, _parent_names):  # type: ignore[no-untyped-def]
    """The full-text search objects are built by hand (studygroup.models.search)."""
    from studygroup.models.search import is_search_object

    return not (type_ in ("table", "index") and is_search_object(name))


options = {**options, "render_item": render_item, "include_name": include_name}


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`flask db upgrade --sql`) instead of touching a database."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=db.metadata,
        literal_binds=True,
        **options,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty_revisions(ctx, revision, directives):  # type: ignore[no-untyped-def]
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            process_revision_directives=skip_empty_revisions,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
