"""Comment languages: the detector's answer and the language routing used.

The existing ``language`` column keeps the website's own tag (``site_language``
in the code); ``detected_language`` and ``routed_language`` are new.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: see 0002.


def upgrade():
    op.add_column("comments", sa.Column("detected_language", sa.String(8)))
    op.add_column("comments", sa.Column("routed_language", sa.String(8)))
    op.create_index("ix_comments_status_routed_language", "comments", ["status", "routed_language"])


def downgrade():
    op.drop_index("ix_comments_status_routed_language", table_name="comments")
    op.drop_column("comments", "routed_language")
    op.drop_column("comments", "detected_language")
