"""Label languages: an imported label keeps the language its file gave.

``language`` is the comment's routed language code (``en``, ``ar``, ``tr``...,
``und``) when the label file says it (``labels export`` writes it); NULL when it
does not, and then training detects it from the text.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, never batch mode: see 0002.


def upgrade():
    op.add_column("site_labels", sa.Column("language", sa.String(8)))


def downgrade():
    op.drop_column("site_labels", "language")
