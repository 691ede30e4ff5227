"""Tables of people and access: nations, users, API tokens and failed logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bedeco.db import Base, Multilingual, utcnow


class NationRecord(Base):
    """A nation of the cooperation, ISO 3166-1 alpha-3, with its names in four languages."""

    __tablename__ = "nation"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    names: Mapped[Multilingual] = mapped_column(JSON)


class User(Base):
    """A person: one nation, a clearance, roles; Argon2 password hash, never the password."""

    __tablename__ = "security_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    nation: Mapped[str] = mapped_column(ForeignKey("nation.code"))
    clearance: Mapped[str] = mapped_column(String(16))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    """A bearer token for the API, stored as its SHA-256 digest; shown to its owner once."""

    __tablename__ = "security_api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("security_user.id"))
    prefix: Mapped[str] = mapped_column(String(12))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    user: Mapped[User] = relationship(back_populates="tokens")


class LoginFailure(Base):
    """One failed login, kept for the per-account and per-address rate limit."""

    __tablename__ = "security_login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
