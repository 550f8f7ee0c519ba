"""Text digests: the same comment text again, found in an index, for floods.

``text_digest`` is the sha256 of the comment's letters, case folded (see
``service.comments.floods``); NULL for texts too short to count and for
comments stored before this revision.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: see 0002.


def upgrade():
    op.add_column("comments", sa.Column("text_digest", sa.String(64)))
    op.create_index(
        "ix_comments_client_digest_created", "comments", ["client_id", "text_digest", "created_at"]
    )


def downgrade():
    op.drop_index("ix_comments_client_digest_created", table_name="comments")
    op.drop_column("comments", "text_digest")
