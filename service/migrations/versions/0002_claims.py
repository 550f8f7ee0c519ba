"""Claims: a moderator who opens a held comment holds it for a few minutes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never batch mode: SQLite's batch mode rebuilds the table
# and would silently drop the trigger that keeps comment text immutable.


def upgrade():
    claimer = sa.Column("claimed_by_id", sa.Integer)
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot ALTER TABLE ADD CONSTRAINT
        claimer = sa.Column(
            "claimed_by_id", sa.Integer, sa.ForeignKey("users.id", name="fk_comments_claimed_by")
        )
    op.add_column("comments", claimer)
    op.add_column("comments", sa.Column("claimed_until", sa.DateTime(timezone=True)))


def downgrade():
    op.drop_column("comments", "claimed_until")
    op.drop_column("comments", "claimed_by_id")
