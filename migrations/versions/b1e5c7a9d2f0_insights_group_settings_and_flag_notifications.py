"""Insights: what members see of the room, and flags in facilitators' notifications

Revision ID: b1e5c7a9d2f0
Revises: b7e2c91a5f30
Create Date: 2026-11-30 03:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1e5c7a9d2f0'
down_revision = 'b7e2c91a5f30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('members_see_dashboard', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('members_see_heatmap', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('on_flag', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('on_flag')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('members_see_heatmap')
        batch_op.drop_column('members_see_dashboard')
