"""Foundation: nations, users, API tokens, login failures, the audit log.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "nation",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_nation")),
    )
    op.create_table(
        "security_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("nation", sa.String(3), nullable=False),
        sa.Column("clearance", sa.String(16), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["nation"], ["nation.code"], name=op.f("fk_security_user_nation_nation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_user")),
        sa.UniqueConstraint("name", name=op.f("uq_security_user_name")),
    )
    op.create_table(
        "security_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_used_at", TZ, nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["security_user.id"],
            name=op.f("fk_security_api_token_user_id_security_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_api_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_security_api_token_digest")),
    )
    op.create_table(
        "security_login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_login_failure")),
    )
    for column in ("account", "address", "at"):
        op.create_index(
            op.f(f"ix_security_login_failure_{column}"), "security_login_failure", [column]
        )
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("nation", sa.String(3), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(80), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        op.execute(
            """
            CREATE TRIGGER audit_event_append_only
            BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
            """
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.drop_table("audit_event")
    for column in ("account", "address", "at"):
        op.drop_index(op.f(f"ix_security_login_failure_{column}"), "security_login_failure")
    op.drop_table("security_login_failure")
    op.drop_table("security_api_token")
    op.drop_table("security_user")
    op.drop_table("nation")
