"""Tables of the register: instruments, provisions, commitments, initiatives and their history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bedeco.db import Base, MarkedMixin, Multilingual, utcnow
from bedeco.security.logic import Nation

TZ = DateTime(timezone=True)


class NationFlags:
    """Three booleans naming nations (responsible or participating), filterable in plain SQL."""

    nat_bel: Mapped[bool] = mapped_column(Boolean, default=False)
    nat_nld: Mapped[bool] = mapped_column(Boolean, default=False)
    nat_lux: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def nations(self) -> list[str]:
        flags = {Nation.BEL: self.nat_bel, Nation.NLD: self.nat_nld, Nation.LUX: self.nat_lux}
        return [n.value for n, on in flags.items() if on]

    def set_nations(self, nations: list[str] | set[str] | frozenset[str]) -> None:
        self.nat_bel = Nation.BEL.value in nations
        self.nat_nld = Nation.NLD.value in nations
        self.nat_lux = Nation.LUX.value in nations


class Instrument(MarkedMixin, Base):
    """A text of the cooperation: a declaration, recommendation, agreement, strategy, debate,
    resolution or one of its parliamentary sub-documents."""

    __tablename__ = "register_instrument"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    identifier: Mapped[str] = mapped_column(String(80), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    date_text: Mapped[str] = mapped_column(String(40), default="")
    issuer: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    title: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    url: Mapped[str] = mapped_column(String(1000), default="")
    note: Mapped[Multilingual] = mapped_column(JSON, default=dict)


class InstrumentRelation(Base):
    """``source`` cites, answers, implements, supersedes or is part of ``target``."""

    __tablename__ = "register_instrument_relation"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("register_instrument.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("register_instrument.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))

    source: Mapped[Instrument] = relationship(foreign_keys=[source_id])
    target: Mapped[Instrument] = relationship(foreign_keys=[target_id])


class Provision(Base):
    """A labelled clause of a document (a recital or a request of a resolution, a domain of a
    declaration), with its text in each language. Provisions are as public as the text."""

    __tablename__ = "register_provision"
    __table_args__ = (UniqueConstraint("document_key", "kind", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_key: Mapped[str] = mapped_column(String(80), index=True)
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_instrument.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Keys of the instruments the provision cites (kept also as ``ProvisionCitation`` rows)."""


class ProvisionCitation(Base):
    """A provision cites an instrument (recital A cites recommendation 936-2)."""

    __tablename__ = "register_provision_citation"
    __table_args__ = (UniqueConstraint("provision_id", "instrument_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("register_provision.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("register_instrument.id", ondelete="CASCADE"), index=True
    )


class Commitment(MarkedMixin, NationFlags, Base):
    """Something the nations undertook to do, from a provision or entered by hand; its status
    follows ``logic.TRANSITIONS`` and every change is a ``StatusEntry``. ``nat_*`` are the
    responsible nations; ``version`` guards concurrent edits."""

    __tablename__ = "register_commitment"
    __table_args__ = (
        Index("ix_register_commitment_status_target", "status", "target_on"),
        Index("ix_register_commitment_source_status", "source_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    description: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_instrument.id", ondelete="SET NULL"), nullable=True
    )
    provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_provision.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16))
    target_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    sort_title: Mapped[str] = mapped_column(String(200), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow, index=True)

    source: Mapped[Instrument | None] = relationship(foreign_keys=[source_id])
    provision: Mapped[Provision | None] = relationship(foreign_keys=[provision_id])
    domain_links: Mapped[list[CommitmentDomain]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)

    @property
    def domains(self) -> list[str]:
        return sorted(link.domain for link in self.domain_links)


class CommitmentDomain(Base):
    """A commitment is tagged with a domain of the taxonomy."""

    __tablename__ = "register_commitment_domain"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("register_commitment.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class StatusEntry(Base):
    """One dated change of a commitment: who (name and nation), from and to which status, the
    comment, the fields changed, and its evidence. Creation is the first entry."""

    __tablename__ = "register_status_entry"
    __table_args__ = (Index("ix_register_status_entry_commitment_at", "commitment_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("register_commitment.id", ondelete="CASCADE")
    )
    at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow, index=True)
    author: Mapped[str] = mapped_column(String(80))
    nation: Mapped[str] = mapped_column(String(3), default="")
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Evidence.id"
    )


class Evidence(Base):
    """What proves a change: an instrument, a document reference, a link or a file (by SHA-256;
    the bytes live under ``var/evidence``)."""

    __tablename__ = "register_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_status_entry.id", ondelete="CASCADE"), nullable=True, index=True
    )
    initiative_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_initiative_entry.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    instrument_key: Mapped[str] = mapped_column(String(80), default="")
    reference: Mapped[str] = mapped_column(String(1000), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)


class Initiative(MarkedMixin, NationFlags, Base):
    """A concrete cooperation project (BeNeSam, the BE-LU A400M unit, a study asked for); ``nat_*``
    are the participating nations, ``maturity`` a ``logic.Maturity`` level."""

    __tablename__ = "register_initiative"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    description: Mapped[Multilingual] = mapped_column(JSON, default=dict)
    maturity: Mapped[int] = mapped_column(Integer, default=0, index=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    sources: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow)

    domain_links: Mapped[list[InitiativeDomain]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    commitment_links: Mapped[list[InitiativeCommitment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)

    @property
    def domains(self) -> list[str]:
        return sorted(link.domain for link in self.domain_links)


class InitiativeDomain(Base):
    """An initiative is tagged with a domain of the taxonomy."""

    __tablename__ = "register_initiative_domain"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("register_initiative.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class InitiativeCommitment(Base):
    """An initiative serves a commitment."""

    __tablename__ = "register_initiative_commitment"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("register_initiative.id", ondelete="CASCADE"), primary_key=True
    )
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("register_commitment.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class InitiativeEntry(Base):
    """One dated change of an initiative (maturity or fields), with author, nation, comment."""

    __tablename__ = "register_initiative_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("register_initiative.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(TZ, default=utcnow)
    author: Mapped[str] = mapped_column(String(80))
    nation: Mapped[str] = mapped_column(String(3), default="")
    from_maturity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_maturity: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Evidence.id"
    )


# The shared full-text index lives in ``bedeco.search``; importing it here registers its table
# with the metadata the migrations are compared against (the register's migration creates it).
from bedeco import search as _search  # noqa: E402,F401
