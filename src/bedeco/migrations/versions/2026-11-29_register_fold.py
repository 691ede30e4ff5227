"""Register: search text stored without diacritics (``bedeco.search.fold``).

Revision ID: 0101_register_fold
Revises: 0100_register
Create Date: 2026-11-29
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0101_register_fold"
down_revision = "0100_register"
branch_labels = None
depends_on = None

BATCH = 500


def _fold(value: str) -> str:
    """The same folding as ``bedeco.search.fold``, frozen here as migrations must be."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade() -> None:
    connection = op.get_bind()
    entries = sa.table("search_entry", sa.column("id", sa.Integer), sa.column("body", sa.Text))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(entries.c.id, entries.c.body)
            .where(entries.c.id > last)
            .order_by(entries.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for entry_id, body in rows:
            folded = _fold(body)
            if folded != body:
                connection.execute(
                    entries.update().where(entries.c.id == entry_id).values(body=folded)
                )
        last = rows[-1][0]


def downgrade() -> None:
    """Nothing to undo: folded text is still searchable text."""
