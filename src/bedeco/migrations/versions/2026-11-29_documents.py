"""Documents: stored parliamentary texts, their provisions, references and anomalies.

Revision ID: 0100_documents
Revises: 0001_foundation
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0100_documents"
down_revision = "0001_foundation"
branch_labels = ("documents",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("header", sa.JSON(), nullable=False),
        sa.Column("document_number", sa.String(length=120), nullable=False),
        sa.Column("document_date", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("schema", sa.String(length=40), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("provision_count", sa.Integer(), nullable=False),
        sa.Column("anomaly_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("rel_bel", sa.Boolean(), nullable=False),
        sa.Column("rel_nld", sa.Boolean(), nullable=False),
        sa.Column("rel_lux", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_document")),
        sa.UniqueConstraint("key", name=op.f("uq_documents_document_key")),
    )
    op.create_index(
        op.f("ix_documents_document_document_date"),
        "documents_document",
        ["document_date"],
        unique=False,
    )
    op.create_index(
        op.f("ix_documents_document_kind"), "documents_document", ["kind"], unique=False
    )
    op.create_index(
        op.f("ix_documents_document_source_sha256"),
        "documents_document",
        ["source_sha256"],
        unique=False,
    )
    op.create_table(
        "documents_anomaly",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("label", sa.String(length=40), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents_document.id"],
            name=op.f("fk_documents_anomaly_document_id_documents_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_anomaly")),
    )
    op.create_index(
        op.f("ix_documents_anomaly_document_id"), "documents_anomaly", ["document_id"], unique=False
    )
    op.create_table(
        "documents_provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("eid", sa.String(length=80), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents_document.id"],
            name=op.f("fk_documents_provision_document_id_documents_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_provision")),
        sa.UniqueConstraint("document_id", "eid", name=op.f("uq_documents_provision_document_id")),
    )
    op.create_index(
        op.f("ix_documents_provision_document_id"),
        "documents_provision",
        ["document_id"],
        unique=False,
    )
    op.create_table(
        "documents_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ref_id", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("provision_eid", sa.String(length=80), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("instrument_key", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents_document.id"],
            name=op.f("fk_documents_reference_document_id_documents_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents_reference")),
    )
    op.create_index(
        op.f("ix_documents_reference_document_id"),
        "documents_reference",
        ["document_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_documents_reference_instrument_key"),
        "documents_reference",
        ["instrument_key"],
        unique=False,
    )
    op.create_index(
        op.f("ix_documents_reference_ref_id"), "documents_reference", ["ref_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_reference_ref_id"), table_name="documents_reference")
    op.drop_index(op.f("ix_documents_reference_instrument_key"), table_name="documents_reference")
    op.drop_index(op.f("ix_documents_reference_document_id"), table_name="documents_reference")
    op.drop_table("documents_reference")
    op.drop_index(op.f("ix_documents_provision_document_id"), table_name="documents_provision")
    op.drop_table("documents_provision")
    op.drop_index(op.f("ix_documents_anomaly_document_id"), table_name="documents_anomaly")
    op.drop_table("documents_anomaly")
    op.drop_index(op.f("ix_documents_document_source_sha256"), table_name="documents_document")
    op.drop_index(op.f("ix_documents_document_kind"), table_name="documents_document")
    op.drop_index(op.f("ix_documents_document_document_date"), table_name="documents_document")
    op.drop_table("documents_document")
