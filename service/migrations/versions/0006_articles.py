"""Articles: what the website publishes, sent with PUT /api/v1/articles/<id> or inline.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("api_clients.id"), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("lead", sa.Text),
        sa.Column("body", sa.Text),
        sa.Column("language", sa.String(35)),
        sa.Column("url", sa.String(2000)),
        sa.Column("published_at", TZ),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("client_id", "external_id", name="uq_articles_client_external"),
    )


def downgrade():
    op.drop_table("articles")
