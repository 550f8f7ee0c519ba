"""Site labels: labelled comments imported from elsewhere, for retraining.

Labels from this site's own moderators are not stored here: they are derived
from the decisions table at export time (see ``service/labels.py``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "site_labels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("labelled_by", sa.String(100), nullable=False),
        sa.Column("labelled_at", TZ, nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.Column("imported_from", sa.String(255), nullable=False),
        sa.Column("imported_at", TZ, nullable=False),
        sa.UniqueConstraint("row_hash", name="uq_site_labels_row_hash"),
    )
    op.create_index("ix_site_labels_labelled_at", "site_labels", ["labelled_at"])


def downgrade():
    op.drop_index("ix_site_labels_labelled_at", table_name="site_labels")
    op.drop_table("site_labels")
