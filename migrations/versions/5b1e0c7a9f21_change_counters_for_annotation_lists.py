"""Readings and users count changes to annotations: the list's ETag is two numbers

Revision ID: 5b1e0c7a9f21
Revises: c7d2e4f6a8b1
Create Date: 2026-11-30 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7a9f21'
down_revision = 'c7d2e4f6a8b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('annotation_version', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('private_version', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.drop_index('ix_users_renamed_at')
    # The aggregates the counters replace no longer need their indexes.
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.drop_index('ix_annotations_reading_stamp')


def downgrade():
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.create_index(
            'ix_annotations_reading_stamp',
            ['reading_id', 'visibility', 'author_id', 'modified_at', 'id'],
            unique=False,
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_renamed_at', ['renamed_at'], unique=False)
        batch_op.drop_column('private_version')
    with op.batch_alter_table('readings', schema=None) as batch_op:
        batch_op.drop_column('annotation_version')
