"""Webhooks: an endpoint per API client and the outbox of decision events.

New tables only (plain CREATE TABLE, never batch mode on ``comments``, whose
rebuild would drop the text-immutability trigger).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "webhook_endpoints",
        sa.Column("client_id", sa.Integer, sa.ForeignKey("api_clients.id"), primary_key=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("api_clients.id"), nullable=False),
        sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("last_error", sa.String(500)),
        sa.Column("delivered_at", TZ),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_webhook_events_status_due", "webhook_events", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_events_comment_id", "webhook_events", ["comment_id"])


def downgrade():
    op.drop_index("ix_webhook_events_comment_id", table_name="webhook_events")
    op.drop_index("ix_webhook_events_status_due", table_name="webhook_events")
    op.drop_table("webhook_events")
    op.drop_table("webhook_endpoints")
