"""Term lists: blocklist, allowlist and their append-only change log.

The lists start empty; ``flask --app service terms import --defaults`` loads the
list shipped in ``service/terms/defaults.csv`` (see the README, "Term lists").

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

# The change log is history, like decisions (0001): the database refuses to rewrite it.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER term_changes_no_update BEFORE UPDATE ON term_changes
       BEGIN SELECT RAISE(ABORT, 'term_changes are append-only'); END""",
    """CREATE TRIGGER term_changes_no_delete BEFORE DELETE ON term_changes
       BEGIN SELECT RAISE(ABORT, 'term_changes are append-only'); END""",
]
# refuse_history_change() is migration 0001's function
POSTGRES_TRIGGERS = [
    """CREATE TRIGGER term_changes_append_only BEFORE UPDATE OR DELETE ON term_changes
       FOR EACH ROW EXECUTE FUNCTION refuse_history_change()""",
]


def upgrade():
    op.create_table(
        "blocked_terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("note", sa.String(500)),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.UniqueConstraint("key", "language", name="uq_blocked_terms_key_language"),
    )
    op.create_table(
        "allowed_terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("note", sa.String(500)),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.UniqueConstraint("key", "language", name="uq_allowed_terms_key_language"),
    )
    op.create_table(
        "term_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("change", sa.String(20), nullable=False),
        sa.Column("list", sa.String(10), nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40)),
        sa.Column("action", sa.String(10)),
        sa.Column("language", sa.String(8)),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_term_changes_created_at", "term_changes", ["created_at"])
    triggers = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS term_changes_append_only ON term_changes")
    op.drop_index("ix_term_changes_created_at", table_name="term_changes")
    for table in ("term_changes", "allowed_terms", "blocked_terms"):
        op.drop_table(table)
