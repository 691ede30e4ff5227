"""Tables of the documents capability: stored texts, their provisions, references, anomalies.

A ``Document`` keeps the source text with its SHA-256 and the engine's JSON
(schema ``bedeco.documents/1.0``) as read at import, so every export is
rebuilt from what was stored. Provisions, references and anomalies are rows
of their own so they can be listed, filtered and joined to the register.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bedeco.db import Base, MarkedMixin, Multilingual, utcnow


class Document(MarkedMixin, Base):
    """One parliamentary text (resolution, motion, recommendation) as imported.

    Imported parliamentary texts are PUBLIC unless the importer marks them otherwise.
    """

    __tablename__ = "documents_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    header: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    document_number: Mapped[str] = mapped_column(String(120), default="")
    document_date: Mapped[str] = mapped_column(String(10), default="", index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    source_text: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    schema: Mapped[str] = mapped_column(String(40))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    provision_count: Mapped[int] = mapped_column(Integer, default=0)
    anomaly_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")

    provisions: Mapped[list[DocumentProvision]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentProvision.position",
        passive_deletes=True,
    )
    references: Mapped[list[DocumentReference]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentReference.position",
        passive_deletes=True,
    )
    anomalies: Mapped[list[DocumentAnomaly]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="DocumentAnomaly.position",
        passive_deletes=True,
    )


class DocumentProvision(Base):
    """A recital or request across languages, joined by its eId (``recital_B``, ``para_1``)."""

    __tablename__ = "documents_provision"
    __table_args__ = (UniqueConstraint("document_id", "eid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents_document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(40))
    eid: Mapped[str] = mapped_column(String(80))
    texts: Mapped[Multilingual] = mapped_column(JSON, default=dict)

    document: Mapped[Document] = relationship(back_populates="provisions")


class DocumentReference(Base):
    """An instrument or date named in a provision (or the cover), with its span and, when the
    register holds it, the instrument key it resolves to."""

    __tablename__ = "documents_reference"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents_document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[str] = mapped_column(String(200), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    provision_eid: Mapped[str] = mapped_column(String(80))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    value: Mapped[str | None] = mapped_column(String(40), nullable=True)
    instrument_key: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)

    document: Mapped[Document] = relationship(back_populates="references")


class DocumentAnomaly(Base):
    """Something odd the engine saw (a missing label, a carried name), kept as data."""

    __tablename__ = "documents_anomaly"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents_document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    label: Mapped[str | None] = mapped_column(String(40), nullable=True)
    line: Mapped[int | None] = mapped_column(Integer, nullable=True)

    document: Mapped[Document] = relationship(back_populates="anomalies")
