"""Full-text search indexes: FTS5 on SQLite, GIN expression indexes on PostgreSQL

Revision ID: c7d2e4f6a8b1
Revises: b1e5c7a9d2f0
Create Date: 2026-11-30 03:30:00

"""
from alembic import op

# The statements live with the app (studygroup.models.search), which also runs them when a
# schema is built with create_all; existing rows are indexed ('rebuild' on SQLite).
from studygroup.models import search

# revision identifiers, used by Alembic.
revision = 'c7d2e4f6a8b1'
down_revision = 'b1e5c7a9d2f0'
branch_labels = None
depends_on = None


def upgrade():
    search.create(op.get_bind())


def downgrade():
    search.drop(op.get_bind())
