"""Planning: studies submitted to run in a worker, with progress and results.

Revision ID: 0100_planning
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_planning"
down_revision = "0001_foundation"
branch_labels = ("planning",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_study",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scenario_text", sa.Text(), nullable=False),
        sa.Column("scenario_format", sa.String(length=8), nullable=False),
        sa.Column("scenario_file", sa.String(length=200), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("policy", sa.String(length=16), nullable=True),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_fraction", sa.Float(), nullable=False),
        sa.Column("progress_objective", sa.BigInteger(), nullable=True),
        sa.Column("progress_bound", sa.BigInteger(), nullable=True),
        sa.Column("progress_message", sa.String(length=400), nullable=False),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_study")),
    )
    op.create_index(op.f("ix_planning_study_nation"), "planning_study", ["nation"], unique=False)
    op.create_index(op.f("ix_planning_study_status"), "planning_study", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_planning_study_status"), table_name="planning_study")
    op.drop_index(op.f("ix_planning_study_nation"), table_name="planning_study")
    op.drop_table("planning_study")
