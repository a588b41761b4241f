"""Readings keep their publication date and can be archived

Revision ID: 5b8e1c2f9a31
Revises: d4f6253aa47b
Create Date: 2026-11-30 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b8e1c2f9a31'
down_revision = 'd4f6253aa47b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('published_on')
