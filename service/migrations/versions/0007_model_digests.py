"""Model digests: each version's sha256, recorded at promotion or first start.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "model_digests",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("artifact_sha256", sa.String(64), nullable=False),
        sa.Column("encoder_sha256", sa.String(64)),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("model_digests")
