"""People choose whether to hear that an edit orphaned their annotation

Revision ID: b7e2c91a5f30
Revises: 5b8e1c2f9a31
Create Date: 2026-11-30 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c91a5f30'
down_revision = '5b8e1c2f9a31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('on_orphaned', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('on_orphaned')
