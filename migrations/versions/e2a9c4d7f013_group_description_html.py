"""Groups keep their description's sanitized HTML beside its Markdown

Revision ID: e2a9c4d7f013
Revises: 8c3d2f1a6b40
Create Date: 2026-11-30 04:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# Existing descriptions are rendered by the same sanitizer the app writes with.
from studygroup.rendering import render_comment

# revision identifiers, used by Alembic.
revision = 'e2a9c4d7f013'
down_revision = '8c3d2f1a6b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('description_html', sa.Text(), server_default='', nullable=False)
        )
    groups = sa.table(
        'groups',
        sa.column('id', sa.Integer),
        sa.column('description', sa.Text),
        sa.column('description_html', sa.Text),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(groups.c.id, groups.c.description).where(groups.c.description != ''))
    for group_id, description in rows.all():
        bind.execute(
            groups.update()
            .where(groups.c.id == group_id)
            .values(description_html=render_comment(description))
        )


def downgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('description_html')
