"""Register: instruments, provisions, commitments, initiatives, history, evidence; search index.

Revision ID: 0100_register
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_register"
down_revision = "0001_foundation"
branch_labels = ("register",)
depends_on = None

# The same expression as ``bedeco.search.PG_VECTOR_EXPR``, frozen here as migrations must be.
PG_VECTOR_EXPR = (
    "to_tsvector(\n"
    "CASE lang\n"
    "    WHEN 'nl'::text THEN 'dutch'::regconfig\n"
    "    WHEN 'fr'::text THEN 'french'::regconfig\n"
    "    WHEN 'de'::text THEN 'german'::regconfig\n"
    "    WHEN 'en'::text THEN 'english'::regconfig\n"
    "    ELSE 'simple'::regconfig\n"
    "END, body)"
)


def upgrade() -> None:
    op.create_table(
        "register_initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("maturity", sa.Integer(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.Column("nat_bel", sa.Boolean(), nullable=False),
        sa.Column("nat_nld", sa.Boolean(), nullable=False),
        sa.Column("nat_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_initiative")),
        sa.UniqueConstraint("key", name=op.f("uq_register_initiative_key")),
    )
    op.create_index(
        op.f("ix_register_initiative_maturity"), "register_initiative", ["maturity"], unique=False
    )
    op.create_table(
        "register_instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("identifier", sa.String(length=80), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("date_text", sa.String(length=40), nullable=False),
        sa.Column("issuer", sa.JSON(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("note", sa.JSON(), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_instrument")),
        sa.UniqueConstraint("key", name=op.f("uq_register_instrument_key")),
    )
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
    )
    op.create_index(
        "ix_search_entry_scope_record", "search_entry", ["scope", "record_id"], unique=False
    )
    op.create_table(
        "register_initiative_domain",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["register_initiative.id"],
            name=op.f("fk_register_initiative_domain_initiative_id_register_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "domain", name=op.f("pk_register_initiative_domain")
        ),
    )
    op.create_index(
        op.f("ix_register_initiative_domain_domain"),
        "register_initiative_domain",
        ["domain"],
        unique=False,
    )
    op.create_table(
        "register_initiative_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("from_maturity", sa.Integer(), nullable=True),
        sa.Column("to_maturity", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["register_initiative.id"],
            name=op.f("fk_register_initiative_entry_initiative_id_register_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_initiative_entry")),
    )
    op.create_index(
        op.f("ix_register_initiative_entry_initiative_id"),
        "register_initiative_entry",
        ["initiative_id"],
        unique=False,
    )
    op.create_table(
        "register_instrument_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["register_instrument.id"],
            name=op.f("fk_register_instrument_relation_source_id_register_instrument"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["register_instrument.id"],
            name=op.f("fk_register_instrument_relation_target_id_register_instrument"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_instrument_relation")),
        sa.UniqueConstraint(
            "source_id", "target_id", "kind", name=op.f("uq_register_instrument_relation_source_id")
        ),
    )
    op.create_index(
        op.f("ix_register_instrument_relation_source_id"),
        "register_instrument_relation",
        ["source_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_register_instrument_relation_target_id"),
        "register_instrument_relation",
        ["target_id"],
        unique=False,
    )
    op.create_table(
        "register_provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_key", sa.String(length=80), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("cites", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["register_instrument.id"],
            name=op.f("fk_register_provision_instrument_id_register_instrument"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_provision")),
        sa.UniqueConstraint(
            "document_key", "kind", "label", name=op.f("uq_register_provision_document_key")
        ),
    )
    op.create_index(
        op.f("ix_register_provision_document_key"),
        "register_provision",
        ["document_key"],
        unique=False,
    )
    op.create_table(
        "register_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("provision_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("sort_title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.Column("nat_bel", sa.Boolean(), nullable=False),
        sa.Column("nat_nld", sa.Boolean(), nullable=False),
        sa.Column("nat_lux", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["register_provision.id"],
            name=op.f("fk_register_commitment_provision_id_register_provision"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["register_instrument.id"],
            name=op.f("fk_register_commitment_source_id_register_instrument"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_commitment")),
        sa.UniqueConstraint("key", name=op.f("uq_register_commitment_key")),
    )
    op.create_index(
        op.f("ix_register_commitment_sort_title"),
        "register_commitment",
        ["sort_title"],
        unique=False,
    )
    op.create_index(
        "ix_register_commitment_source_status",
        "register_commitment",
        ["source_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_register_commitment_status_target",
        "register_commitment",
        ["status", "target_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_register_commitment_updated_at"),
        "register_commitment",
        ["updated_at"],
        unique=False,
    )
    op.create_table(
        "register_provision_citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["register_instrument.id"],
            name=op.f("fk_register_provision_citation_instrument_id_register_instrument"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["register_provision.id"],
            name=op.f("fk_register_provision_citation_provision_id_register_provision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_provision_citation")),
        sa.UniqueConstraint(
            "provision_id",
            "instrument_id",
            name=op.f("uq_register_provision_citation_provision_id"),
        ),
    )
    op.create_index(
        op.f("ix_register_provision_citation_instrument_id"),
        "register_provision_citation",
        ["instrument_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_register_provision_citation_provision_id"),
        "register_provision_citation",
        ["provision_id"],
        unique=False,
    )
    op.create_table(
        "register_commitment_domain",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["register_commitment.id"],
            name=op.f("fk_register_commitment_domain_commitment_id_register_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "domain", name=op.f("pk_register_commitment_domain")
        ),
    )
    op.create_index(
        op.f("ix_register_commitment_domain_domain"),
        "register_commitment_domain",
        ["domain"],
        unique=False,
    )
    op.create_table(
        "register_initiative_commitment",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["register_commitment.id"],
            name=op.f("fk_register_initiative_commitment_commitment_id_register_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["register_initiative.id"],
            name=op.f("fk_register_initiative_commitment_initiative_id_register_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "initiative_id", "commitment_id", name=op.f("pk_register_initiative_commitment")
        ),
    )
    op.create_index(
        op.f("ix_register_initiative_commitment_commitment_id"),
        "register_initiative_commitment",
        ["commitment_id"],
        unique=False,
    )
    op.create_table(
        "register_status_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["register_commitment.id"],
            name=op.f("fk_register_status_entry_commitment_id_register_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_status_entry")),
    )
    op.create_index(
        op.f("ix_register_status_entry_at"), "register_status_entry", ["at"], unique=False
    )
    op.create_index(
        "ix_register_status_entry_commitment_at",
        "register_status_entry",
        ["commitment_id", "at"],
        unique=False,
    )
    op.create_table(
        "register_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("initiative_entry_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("instrument_key", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=1000), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["register_status_entry.id"],
            name=op.f("fk_register_evidence_entry_id_register_status_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_entry_id"],
            ["register_initiative_entry.id"],
            name=op.f("fk_register_evidence_initiative_entry_id_register_initiative_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_evidence")),
    )
    op.create_index(
        op.f("ix_register_evidence_entry_id"), "register_evidence", ["entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_register_evidence_initiative_entry_id"),
        "register_evidence",
        ["initiative_entry_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_register_evidence_sha256"), "register_evidence", ["sha256"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_search_entry_tsv ON search_entry USING gin ({PG_VECTOR_EXPR})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_entry_tsv")
    else:
        # created on first use by bedeco.search.ensure_index
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_entry_fts_{name}")
        op.execute("DROP TABLE IF EXISTS search_entry_fts")
    op.drop_index(op.f("ix_register_evidence_entry_id"), table_name="register_evidence")
    op.drop_index(op.f("ix_register_evidence_initiative_entry_id"), table_name="register_evidence")
    op.drop_index(op.f("ix_register_evidence_sha256"), table_name="register_evidence")
    op.drop_table("register_evidence")
    op.drop_index(op.f("ix_register_status_entry_at"), table_name="register_status_entry")
    op.drop_index("ix_register_status_entry_commitment_at", table_name="register_status_entry")
    op.drop_table("register_status_entry")
    op.drop_index(
        op.f("ix_register_initiative_commitment_commitment_id"),
        table_name="register_initiative_commitment",
    )
    op.drop_table("register_initiative_commitment")
    op.drop_index(
        op.f("ix_register_commitment_domain_domain"), table_name="register_commitment_domain"
    )
    op.drop_table("register_commitment_domain")
    op.drop_index(
        op.f("ix_register_provision_citation_instrument_id"),
        table_name="register_provision_citation",
    )
    op.drop_index(
        op.f("ix_register_provision_citation_provision_id"),
        table_name="register_provision_citation",
    )
    op.drop_table("register_provision_citation")
    op.drop_index(op.f("ix_register_commitment_sort_title"), table_name="register_commitment")
    op.drop_index("ix_register_commitment_source_status", table_name="register_commitment")
    op.drop_index("ix_register_commitment_status_target", table_name="register_commitment")
    op.drop_index(op.f("ix_register_commitment_updated_at"), table_name="register_commitment")
    op.drop_table("register_commitment")
    op.drop_index(op.f("ix_register_provision_document_key"), table_name="register_provision")
    op.drop_table("register_provision")
    op.drop_index(
        op.f("ix_register_instrument_relation_source_id"), table_name="register_instrument_relation"
    )
    op.drop_index(
        op.f("ix_register_instrument_relation_target_id"), table_name="register_instrument_relation"
    )
    op.drop_table("register_instrument_relation")
    op.drop_index(
        op.f("ix_register_initiative_entry_initiative_id"), table_name="register_initiative_entry"
    )
    op.drop_table("register_initiative_entry")
    op.drop_index(
        op.f("ix_register_initiative_domain_domain"), table_name="register_initiative_domain"
    )
    op.drop_table("register_initiative_domain")
    op.drop_index("ix_search_entry_scope_record", table_name="search_entry")
    op.drop_table("search_entry")
    op.drop_table("register_instrument")
    op.drop_index(op.f("ix_register_initiative_maturity"), table_name="register_initiative")
    op.drop_table("register_initiative")
