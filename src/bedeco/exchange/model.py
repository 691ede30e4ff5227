"""Tables of the early information exchange: notices, answers, their versions, the inbox and alerts.

Notices, answers, their versions and activities each carry a marking
(``MarkedMixin``) so that every list is filtered by the one access rule in
SQL; answers and activities copy their notice's marking, and every read also
checks the notice's current marking.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bedeco.db import Base, MarkedMixin, utcnow


class ExchangeNotice(MarkedMixin, Base):
    """An early information notice of an intended deployment, with its current content."""

    __tablename__ = "exchange_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_nation: Mapped[str] = mapped_column(String(3), index=True)
    author: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    operation: Mapped[str] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(16))
    area: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    answer_by: Mapped[date] = mapped_column(Date, index=True)
    contact: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    circulated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExchangeNoticeVersion(MarkedMixin, Base):
    """One kept version of a notice: its content as it stood, marked as it was marked then."""

    __tablename__ = "exchange_notice_version"
    __table_args__ = (UniqueConstraint("notice_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("exchange_notice.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeAnswer(MarkedMixin, Base):
    """A nation's current answer to a notice; one per nation, revised in place with a version."""

    __tablename__ = "exchange_answer"
    __table_args__ = (UniqueConstraint("notice_id", "nation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("exchange_notice.id"), index=True)
    nation: Mapped[str] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(24))
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    question: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(80))
    first_answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeAnswerVersion(MarkedMixin, Base):
    """One kept version of a nation's answer."""

    __tablename__ = "exchange_answer_version"
    __table_args__ = (UniqueConstraint("answer_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("exchange_answer.id"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("exchange_notice.id"), index=True)
    nation: Mapped[str] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeActivity(MarkedMixin, Base):
    """Something readers are told about (a circulation, an update, an answer): inbox, feed, webhooks."""

    __tablename__ = "exchange_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("exchange_notice.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    nation: Mapped[str] = mapped_column(String(3))
    actor: Mapped[str] = mapped_column(String(80))
    actor_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notice_version: Mapped[int] = mapped_column(Integer)
    answer_kind: Mapped[str] = mapped_column(String(24), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class ExchangeReadMark(Base):
    """When a user last read a notice: activities after it are unread."""

    __tablename__ = "exchange_read_mark"
    __table_args__ = (UniqueConstraint("user_id", "notice_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("security_user.id"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("exchange_notice.id"))
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeFeedToken(Base):
    """A revocable token that opens one user's Atom feed; stored as its SHA-256 digest."""

    __tablename__ = "exchange_feed_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("security_user.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(12))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExchangeWebhook(Base):
    """A nation's outgoing webhook: where to post, the shared secret, the clearance it receives at."""

    __tablename__ = "exchange_webhook"

    nation: Mapped[str] = mapped_column(ForeignKey("nation.code"), primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(200))
    clearance: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeDelivery(Base):
    """One activity to post to one nation's webhook (the outbox); retried with back-off."""

    __tablename__ = "exchange_delivery"
    __table_args__ = (UniqueConstraint("activity_id", "nation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("exchange_activity.id"), index=True)
    nation: Mapped[str] = mapped_column(String(3), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExchangeDeliveryAttempt(Base):
    """One try at posting a delivery: when, the HTTP status or the error."""

    __tablename__ = "exchange_delivery_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("exchange_delivery.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
