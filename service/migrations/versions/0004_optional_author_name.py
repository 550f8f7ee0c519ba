"""Optional author name: sites with anonymous commenters send only the author's id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# SQLite cannot change a column's nullability in place: batch mode rebuilds the
# table, which drops its triggers, so the text-immutability trigger is made again.
SQLITE_TEXT_TRIGGER = """CREATE TRIGGER comments_text_immutable BEFORE UPDATE OF text ON comments
       WHEN NEW.text IS NOT OLD.text
       BEGIN SELECT RAISE(ABORT, 'comments.text is immutable'); END"""


def _set_nullable(nullable: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("comments", recreate="always") as batch:
            batch.alter_column("author_name", existing_type=sa.String(255), nullable=nullable)
        op.execute("DROP TRIGGER IF EXISTS comments_text_immutable")
        op.execute(SQLITE_TEXT_TRIGGER)
    else:
        op.alter_column("comments", "author_name", existing_type=sa.String(255), nullable=nullable)


def upgrade():
    _set_nullable(True)


def downgrade():
    op.execute(sa.text("UPDATE comments SET author_name = '' WHERE author_name IS NULL"))
    _set_nullable(False)
