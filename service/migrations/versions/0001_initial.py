"""Initial schema: clients, users, comments (immutable text), append-only decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

# The database itself refuses to change a comment's text, and to rewrite or erase history.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER comments_text_immutable BEFORE UPDATE OF text ON comments
       WHEN NEW.text IS NOT OLD.text
       BEGIN SELECT RAISE(ABORT, 'comments.text is immutable'); END""",
    """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TRIGGER model_activations_no_update BEFORE UPDATE ON model_activations
       BEGIN SELECT RAISE(ABORT, 'model_activations are append-only'); END""",
    """CREATE TRIGGER model_activations_no_delete BEFORE DELETE ON model_activations
       BEGIN SELECT RAISE(ABORT, 'model_activations are append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION refuse_text_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.text IS DISTINCT FROM OLD.text THEN
           RAISE EXCEPTION 'comments.text is immutable';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER comments_text_immutable BEFORE UPDATE ON comments
       FOR EACH ROW EXECUTE FUNCTION refuse_text_change()""",
    """CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
       END $$""",
    """CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
       FOR EACH ROW EXECUTE FUNCTION refuse_history_change()""",
    """CREATE TRIGGER model_activations_append_only BEFORE UPDATE OR DELETE ON model_activations
       FOR EACH ROW EXECUTE FUNCTION refuse_history_change()""",
]


def upgrade():
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("key_prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("last_failed_login_at", TZ),
    )
    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_used_at", TZ),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("api_clients.id"), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("idempotency_key", sa.String(255)),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("article_id", sa.String(255), nullable=False),
        sa.Column("article_title", sa.String(1000)),
        sa.Column("article_url", sa.String(2000)),
        sa.Column("author_id", sa.String(255), nullable=False),
        sa.Column("author_name", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(35)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("first_response", sa.JSON, nullable=False),
        sa.UniqueConstraint("client_id", "external_id", name="uq_comments_client_external"),
        sa.UniqueConstraint("client_id", "idempotency_key", name="uq_comments_client_idem"),
    )
    op.create_index("ix_comments_status_created", "comments", ["status", "created_at"])
    op.create_index(
        "ix_comments_client_article", "comments", ["client_id", "article_id", "created_at"]
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("comment_id", sa.Integer, sa.ForeignKey("comments.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason_code", sa.String(40)),
        sa.Column("reason_message", sa.String(500)),
        sa.Column("note", sa.String(2000)),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("scores", sa.JSON),
        sa.Column("decided_by", sa.String(20), nullable=False),
        sa.Column("model_version", sa.String(64)),
        sa.Column("moderator_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("undoes_id", sa.Integer, sa.ForeignKey("decisions.id")),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_decisions_comment_id", "decisions", ["comment_id"])
    op.create_index("ix_decisions_created_at", "decisions", ["created_at"])
    op.create_table(
        "policy_settings",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "model_activations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("previous_version", sa.String(64)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("forced", sa.Boolean, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("report", sa.JSON),
        sa.Column("created_at", TZ, nullable=False),
    )
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("model_activations", "decisions", "comments"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP TRIGGER IF EXISTS comments_text_immutable ON comments")
        op.execute("DROP FUNCTION IF EXISTS refuse_text_change()")
        op.execute("DROP FUNCTION IF EXISTS refuse_history_change()")
    for table in (
        "model_activations",
        "policy_settings",
        "decisions",
        "comments",
        "access_tokens",
        "users",
        "api_clients",
    ):
        op.drop_table(table)
