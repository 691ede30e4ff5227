"""Exchange: notices, answers and their versions, activities, read marks, feed tokens, webhooks.

Revision ID: 0100_exchange
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_exchange"
down_revision = "0001_foundation"
branch_labels = ("exchange",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_nation", sa.String(length=3), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("framework", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("answer_by", sa.Date(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("circulated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_notice")),
    )
    op.create_index(
        op.f("ix_exchange_notice_answer_by"), "exchange_notice", ["answer_by"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_notice_author_nation"), "exchange_notice", ["author_nation"], unique=False
    )
    op.create_index(op.f("ix_exchange_notice_status"), "exchange_notice", ["status"], unique=False)
    op.create_table(
        "exchange_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("notice_version", sa.Integer(), nullable=False),
        sa.Column("answer_kind", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["exchange_notice.id"],
            name=op.f("fk_exchange_activity_notice_id_exchange_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_activity")),
    )
    op.create_index(op.f("ix_exchange_activity_at"), "exchange_activity", ["at"], unique=False)
    op.create_index(
        op.f("ix_exchange_activity_notice_id"), "exchange_activity", ["notice_id"], unique=False
    )
    op.create_table(
        "exchange_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["exchange_notice.id"],
            name=op.f("fk_exchange_answer_notice_id_exchange_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_answer")),
        sa.UniqueConstraint("notice_id", "nation", name=op.f("uq_exchange_answer_notice_id")),
    )
    op.create_index(
        op.f("ix_exchange_answer_notice_id"), "exchange_answer", ["notice_id"], unique=False
    )
    op.create_table(
        "exchange_notice_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["exchange_notice.id"],
            name=op.f("fk_exchange_notice_version_notice_id_exchange_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_notice_version")),
        sa.UniqueConstraint(
            "notice_id", "version", name=op.f("uq_exchange_notice_version_notice_id")
        ),
    )
    op.create_index(
        op.f("ix_exchange_notice_version_notice_id"),
        "exchange_notice_version",
        ["notice_id"],
        unique=False,
    )
    op.create_table(
        "exchange_webhook",
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("clearance", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["nation"], ["nation.code"], name=op.f("fk_exchange_webhook_nation_nation")
        ),
        sa.PrimaryKeyConstraint("nation", name=op.f("pk_exchange_webhook")),
    )
    op.create_table(
        "exchange_answer_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["exchange_answer.id"],
            name=op.f("fk_exchange_answer_version_answer_id_exchange_answer"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["exchange_notice.id"],
            name=op.f("fk_exchange_answer_version_notice_id_exchange_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_answer_version")),
        sa.UniqueConstraint(
            "answer_id", "version", name=op.f("uq_exchange_answer_version_answer_id")
        ),
    )
    op.create_index(
        op.f("ix_exchange_answer_version_answer_id"),
        "exchange_answer_version",
        ["answer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_exchange_answer_version_notice_id"),
        "exchange_answer_version",
        ["notice_id"],
        unique=False,
    )
    op.create_table(
        "exchange_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["exchange_activity.id"],
            name=op.f("fk_exchange_delivery_activity_id_exchange_activity"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_delivery")),
        sa.UniqueConstraint("activity_id", "nation", name=op.f("uq_exchange_delivery_activity_id")),
    )
    op.create_index(
        op.f("ix_exchange_delivery_activity_id"), "exchange_delivery", ["activity_id"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_delivery_nation"), "exchange_delivery", ["nation"], unique=False
    )
    op.create_index(
        op.f("ix_exchange_delivery_status"), "exchange_delivery", ["status"], unique=False
    )
    op.create_table(
        "exchange_feed_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["security_user.id"],
            name=op.f("fk_exchange_feed_token_user_id_security_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_feed_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_exchange_feed_token_digest")),
    )
    op.create_index(
        op.f("ix_exchange_feed_token_user_id"), "exchange_feed_token", ["user_id"], unique=False
    )
    op.create_table(
        "exchange_read_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["exchange_notice.id"],
            name=op.f("fk_exchange_read_mark_notice_id_exchange_notice"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["security_user.id"],
            name=op.f("fk_exchange_read_mark_user_id_security_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_read_mark")),
        sa.UniqueConstraint("user_id", "notice_id", name=op.f("uq_exchange_read_mark_user_id")),
    )
    op.create_index(
        op.f("ix_exchange_read_mark_user_id"), "exchange_read_mark", ["user_id"], unique=False
    )
    op.create_table(
        "exchange_delivery_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["exchange_delivery.id"],
            name=op.f("fk_exchange_delivery_attempt_delivery_id_exchange_delivery"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_delivery_attempt")),
    )
    op.create_index(
        op.f("ix_exchange_delivery_attempt_delivery_id"),
        "exchange_delivery_attempt",
        ["delivery_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_exchange_delivery_attempt_delivery_id"), table_name="exchange_delivery_attempt"
    )
    op.drop_table("exchange_delivery_attempt")
    op.drop_index(op.f("ix_exchange_read_mark_user_id"), table_name="exchange_read_mark")
    op.drop_table("exchange_read_mark")
    op.drop_index(op.f("ix_exchange_feed_token_user_id"), table_name="exchange_feed_token")
    op.drop_table("exchange_feed_token")
    op.drop_index(op.f("ix_exchange_delivery_status"), table_name="exchange_delivery")
    op.drop_index(op.f("ix_exchange_delivery_nation"), table_name="exchange_delivery")
    op.drop_index(op.f("ix_exchange_delivery_activity_id"), table_name="exchange_delivery")
    op.drop_table("exchange_delivery")
    op.drop_index(
        op.f("ix_exchange_answer_version_notice_id"), table_name="exchange_answer_version"
    )
    op.drop_index(
        op.f("ix_exchange_answer_version_answer_id"), table_name="exchange_answer_version"
    )
    op.drop_table("exchange_answer_version")
    op.drop_table("exchange_webhook")
    op.drop_index(
        op.f("ix_exchange_notice_version_notice_id"), table_name="exchange_notice_version"
    )
    op.drop_table("exchange_notice_version")
    op.drop_index(op.f("ix_exchange_answer_notice_id"), table_name="exchange_answer")
    op.drop_table("exchange_answer")
    op.drop_index(op.f("ix_exchange_activity_notice_id"), table_name="exchange_activity")
    op.drop_index(op.f("ix_exchange_activity_at"), table_name="exchange_activity")
    op.drop_table("exchange_activity")
    op.drop_index(op.f("ix_exchange_notice_status"), table_name="exchange_notice")
    op.drop_index(op.f("ix_exchange_notice_author_nation"), table_name="exchange_notice")
    op.drop_index(op.f("ix_exchange_notice_answer_by"), table_name="exchange_notice")
    op.drop_table("exchange_notice")
