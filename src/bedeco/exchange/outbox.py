"""Use cases of the webhook outbox: build a delivery's signed payload, claim due ones, record tries.

The worker (``worker.py``) calls these in short transactions of its own; the
access rule is evaluated again for the receiving nation when a delivery is
claimed, so a notice narrowed or raised since it was queued is dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bedeco.errors import NotFound
from bedeco.exchange.access import child_clause
from bedeco.exchange.alerts import webhook_principal
from bedeco.exchange.logic import MAX_ATTEMPTS, backoff_seconds, sign
from bedeco.exchange.model import (
    ExchangeActivity,
    ExchangeAnswer,
    ExchangeDelivery,
    ExchangeDeliveryAttempt,
    ExchangeNotice,
    ExchangeWebhook,
)


def build_payload(session: Session, delivery: ExchangeDelivery) -> dict[str, Any] | None:
    """The JSON a delivery carries, evaluated now for the receiving nation; None if it may not see it."""
    from bedeco.exchange.answers import answer_board, answer_dict, notice_dict

    hook = session.get(ExchangeWebhook, delivery.nation)
    if hook is None or not hook.active:
        return None
    receiver = webhook_principal(hook)
    row = session.execute(
        select(ExchangeActivity, ExchangeNotice)
        .join(ExchangeNotice, ExchangeNotice.id == ExchangeActivity.notice_id)
        .where(ExchangeActivity.id == delivery.activity_id)
        .where(child_clause(ExchangeActivity, receiver))
    ).first()
    if row is None:
        return None
    activity, notice = row
    answers = list(
        session.scalars(
            select(ExchangeAnswer)
            .join(ExchangeNotice, ExchangeNotice.id == ExchangeAnswer.notice_id)
            .where(ExchangeAnswer.notice_id == notice.id)
            .where(child_clause(ExchangeAnswer, receiver))
            .order_by(ExchangeAnswer.nation)
        ).all()
    )
    return {
        "event": activity.kind,
        "delivery_id": delivery.id,
        "activity_id": activity.id,
        "at": activity.at.isoformat(),
        "by_nation": activity.nation,
        "recipient": delivery.nation,
        "notice": notice_dict(notice),
        "answers": [answer_dict(a) for a in answers],
        "answer_states": [
            {"nation": s.nation, "kind": s.kind, "overdue": s.overdue, "late": s.late}
            for s in answer_board(notice, answers)
        ],
    }


@dataclass(frozen=True)
class Outgoing:
    """A delivery claimed for posting: where, the signed body and its headers."""

    delivery_id: int
    url: str
    body: bytes
    headers: dict[str, str]


def claim_due(
    session: Session, *, now: datetime, limit: int = 50, lease: int = 120
) -> list[Outgoing]:
    """Take up to ``limit`` due deliveries, lease them, and build their signed bodies.

    The lease moves ``next_attempt_at`` forward so that a second worker skips
    them; on PostgreSQL rows are also locked with SKIP LOCKED. A delivery whose
    notice the nation may no longer see is dropped, never sent.
    """
    statement = (
        select(ExchangeDelivery)
        .where(ExchangeDelivery.status == "pending", ExchangeDelivery.next_attempt_at <= now)
        .order_by(ExchangeDelivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    out: list[Outgoing] = []
    for delivery in session.scalars(statement).all():
        payload = build_payload(session, delivery)
        if payload is None:
            delivery.status = "dropped"
            delivery.last_error = "the nation may no longer see this notice"
            continue
        hook = session.get(ExchangeWebhook, delivery.nation)
        assert hook is not None
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        timestamp = str(int(now.timestamp()))
        out.append(
            Outgoing(
                delivery_id=delivery.id,
                url=hook.url,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "bedeco-exchange-webhook/1",
                    "X-Bedeco-Event": str(payload["event"]),
                    "X-Bedeco-Delivery": str(delivery.id),
                    "X-Bedeco-Timestamp": timestamp,
                    "X-Bedeco-Signature": "sha256=" + sign(hook.secret, timestamp, body),
                },
            )
        )
        delivery.next_attempt_at = now + timedelta(seconds=lease)
    session.flush()
    return out


def record_attempt(
    session: Session,
    *,
    delivery_id: int,
    now: datetime,
    status_code: int | None,
    error: str = "",
    base: int | None = None,
) -> ExchangeDelivery:
    """Note one try: delivered on 2xx, else retried after an exponential back-off, then failed."""
    delivery = session.get(ExchangeDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no delivery {delivery_id}", field="delivery_id")
    session.add(
        ExchangeDeliveryAttempt(
            delivery_id=delivery_id, at=now, status_code=status_code, error=error[:2000]
        )
    )
    delivery.attempts += 1
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = "delivered"
        delivery.delivered_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = (error or f"HTTP {status_code}")[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
        else:
            wait = backoff_seconds(delivery.attempts, *(() if base is None else (base,)))
            delivery.next_attempt_at = now + timedelta(seconds=wait)
    session.flush()
    return delivery


def delivery_counts(session: Session) -> dict[str, int]:
    """How many deliveries are in each status (for the CLI and the docs)."""
    rows = session.execute(
        select(ExchangeDelivery.status, func.count()).group_by(ExchangeDelivery.status)
    ).all()
    return {status: count for status, count in rows}
