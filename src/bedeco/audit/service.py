"""Append audit events and verify the chain."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bedeco.audit.logic import (
    GENESIS,
    EventFields,
    StoredEvent,
    digest_of_change,
    first_broken_link,
)
from bedeco.audit.model import AuditEvent
from bedeco.db import utcnow
from bedeco.security.logic import Classification, Principal

SYSTEM = Principal(user_id=0, name="system", nation=None, clearance=Classification.PUBLIC)
"""The principal of set-up work (migrations, reference data, the CLI's admin commands)."""

ADVISORY_LOCK_KEY = 0x62646563  # 'bdec': serialises appends on PostgreSQL


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def record_event(
    session: Session,
    principal: Principal,
    *,
    action: str,
    object_type: str,
    object_id: str,
    change: dict[str, Any],
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = utcnow()
    fields = EventFields(
        seq=seq,
        at=_iso(at),
        actor=principal.name,
        nation=principal.nation.value if principal.nation else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        digest=digest_of_change(change),
        prev_hash=prev_hash,
    )
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=fields.actor,
        nation=fields.nation,
        action=action,
        object_type=object_type,
        object_id=fields.object_id,
        digest=fields.digest,
        prev_hash=prev_hash,
        hash=fields.compute_hash(),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    count: int
    broken_at: int | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _stored(session: Session) -> Iterator[StoredEvent]:
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for row in rows:
        yield StoredEvent(
            fields=EventFields(
                seq=row.seq,
                at=_iso(row.at),
                actor=row.actor,
                nation=row.nation,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                digest=row.digest,
                prev_hash=row.prev_hash,
            ),
            hash=row.hash,
        )


def verify_chain(session: Session) -> VerifyResult:
    """Walk the whole log; name the first broken link."""
    count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    return VerifyResult(count=count, broken_at=first_broken_link(_stored(session)))


def events_for(session: Session, object_type: str, object_id: str) -> Sequence[AuditEvent]:
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.seq)
    ).all()
