"""imported annotations keep their original creator's name

Revision ID: e3a9c5d7f102
Revises: e2a9c4d7f013
Create Date: 2026-11-30 04:25:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3a9c5d7f102'
down_revision = 'e2a9c4d7f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_creator', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.drop_column('original_creator')
