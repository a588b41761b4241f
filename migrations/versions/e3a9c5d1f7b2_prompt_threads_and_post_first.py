"""Discussion prompts become threads; assignments may ask members to post before they see

Revision ID: e3a9c5d1f7b2
Revises: e3a9c5d7f102
Create Date: 2026-11-30 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c5d1f7b2'
down_revision = 'e3a9c5d7f102'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prompt_index', sa.Integer(), nullable=True))
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('post_first', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('post_first')
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.drop_column('prompt_index')
