"""The webhook worker: post due deliveries from the outbox, record each attempt, retry with back-off.

This is a job, not a service: it owns its transactions, and it never holds
one open while waiting on the network (claim, commit; post; record, commit).
The web app does not start it; run ``bedeco exchange deliver`` (once, or with
``--loop``) beside the server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bedeco.db import utcnow
from bedeco.exchange import outbox
from bedeco.runtime import unit_of_work

Poster = Callable[[str, bytes, dict[str, str]], int]


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> int:
    """POST ``body`` and return the HTTP status; redirects are not followed."""
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        return client.post(url, content=body, headers=headers).status_code


@dataclass
class DeliveryReport:
    """What one pass did."""

    delivered: int = 0
    retrying: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying


def deliver_due(
    engine: Engine,
    *,
    now: datetime | None = None,
    limit: int = 50,
    post: Poster = http_post,
    base: int | None = None,
) -> DeliveryReport:
    """One pass over the outbox: every due delivery is tried once."""
    now = now or utcnow()
    report = DeliveryReport()
    with unit_of_work(engine) as session:
        outgoing = outbox.claim_due(session, now=now, limit=limit)
    for item in outgoing:
        status: int | None = None
        error = ""
        try:
            status = post(item.url, item.body, item.headers)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        with unit_of_work(engine) as session:
            delivery = outbox.record_attempt(
                session,
                delivery_id=item.delivery_id,
                now=now,
                status_code=status,
                error=error,
                base=base,
            )
            if delivery.status == "delivered":
                report.delivered += 1
            else:
                report.retrying += 1
                report.errors.append(f"delivery {item.delivery_id}: {delivery.last_error}")
    return report


def deliver_forever(
    engine: Engine,
    *,
    interval: float = 5.0,
    on_pass: Callable[[DeliveryReport], None] | None = None,
    passes: int | None = None,
) -> None:
    """Run passes every ``interval`` seconds (``passes`` bounds them, for tests)."""
    done = 0
    while passes is None or done < passes:
        try:
            report = deliver_due(engine)
        except OperationalError as exc:  # the database is busy or away: try again later
            report = DeliveryReport(errors=[f"database: {str(exc).splitlines()[0]}"])
        if on_pass:
            on_pass(report)
        done += 1
        if report.attempted == 0:
            time.sleep(interval)
