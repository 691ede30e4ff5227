"""Webhook deliveries to a local receiver: signed, retried after a failure, never over-sharing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bedeco.audit.service import SYSTEM
from bedeco.db import make_engine, utcnow
from bedeco.exchange import alerts, answers, service
from bedeco.exchange.logic import AnswerContent, backoff_seconds, signature_matches
from bedeco.exchange.model import ExchangeDelivery, ExchangeDeliveryAttempt
from bedeco.exchange.worker import deliver_due
from bedeco.runtime import unit_of_work
from bedeco.security import service as security
from bedeco.security.logic import Classification
from tests.exchange.helpers import content
from tests.exchange.receiver import receiver

SECRETS = {"BEL": "bel-shared-secret-0123456789", "NLD": "nld-shared-secret-0123456789"}


@pytest.fixture
def engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "hooks.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def person(session: object, name: str, nation: str) -> object:
    user = security.add_user(
        session,  # type: ignore[arg-type]
        SYSTEM,
        name=name,
        nation=nation,
        clearance="CONFIDENTIAL",
        roles=["viewer", "contributor"],
        password="long enough password",
    )
    return security.principal_for(user)


def test_deliveries_are_signed_retried_and_never_carry_what_a_nation_may_not_see(
    engine: Engine,
) -> None:
    high = Classification.CONFIDENTIAL
    with receiver(fail=1) as hook:
        with unit_of_work(engine) as session:
            for nation, secret in SECRETS.items():
                alerts.set_webhook(
                    session, SYSTEM, nation=nation, url=f"{hook.url}/{nation}", secret=secret
                )
            bel, nld, lux = (person(session, n.lower(), n) for n in ("BEL", "NLD", "LUX"))
            shared = service.create_notice(
                session, bel, content=content(operation="SHARED-OP"), highest=high
            )
            service.circulate_notice(session, bel, notice_id=shared.id, version=1)
            secret_op = service.create_notice(
                session,
                bel,
                content=content(
                    operation="BEL-LUX-ONLY",
                    releasable_to={"BEL", "LUX"},
                    classification="CONFIDENTIAL",
                ),
                highest=high,
            )
            service.circulate_notice(session, bel, notice_id=secret_op.id, version=1)
            answers.answer_notice(
                session, nld, notice_id=shared.id, content=AnswerContent(kind="considering")
            )
            answers.answer_notice(
                session, lux, notice_id=secret_op.id, content=AnswerContent(kind="considering")
            )
        t0 = utcnow()
        first = deliver_due(engine, now=t0)
        assert first.delivered >= 1 and first.retrying == 1
        again = deliver_due(engine, now=t0 + timedelta(seconds=1))
        assert again.attempted == 0  # the failed one waits for its back-off
        later = deliver_due(engine, now=t0 + timedelta(seconds=backoff_seconds(1) + 1))
        assert later.delivered == 1 and later.retrying == 0
        requests = list(hook.requests)

    # every request is signed with its nation's secret
    for request in requests:
        nation = request.path.strip("/")
        assert signature_matches(
            SECRETS[nation],
            request.headers["x-bedeco-timestamp"],
            request.body,
            request.headers["x-bedeco-signature"],
        )
    # the failed delivery was retried and both attempts are recorded
    assert [r.answered for r in requests].count(500) == 1
    failed = requests[[r.answered for r in requests].index(500)]
    retried = [
        r for r in requests if r.headers["x-bedeco-delivery"] == failed.headers["x-bedeco-delivery"]
    ]
    assert [r.answered for r in retried] == [500, 200]
    with unit_of_work(engine) as session:
        delivery = session.get(ExchangeDelivery, int(failed.headers["x-bedeco-delivery"]))
        assert delivery is not None and delivery.status == "delivered" and delivery.attempts == 2
        attempts = session.scalars(
            select(ExchangeDeliveryAttempt.status_code)
            .where(ExchangeDeliveryAttempt.delivery_id == delivery.id)
            .order_by(ExchangeDeliveryAttempt.id)
        ).all()
        assert list(attempts) == [500, 200]
    # NLD received the shared notice's events and nothing of the BEL-LUX notice
    nld_bodies = [json.loads(r.body) for r in requests if r.path == "/NLD" and r.answered == 200]
    bel_bodies = [json.loads(r.body) for r in requests if r.path == "/BEL" and r.answered == 200]
    assert {b["notice"]["operation"] for b in nld_bodies} == {"SHARED-OP"}
    assert all(b"BEL-LUX-ONLY" not in r.body for r in requests if r.path == "/NLD")
    assert {b["notice"]["operation"] for b in bel_bodies} == {"SHARED-OP", "BEL-LUX-ONLY"}
    assert all("NLD" in b["notice"]["releasable_to"] for b in nld_bodies)
    assert {b["event"] for b in nld_bodies} == {"notice.circulated", "answer.given"}


def test_a_delivery_is_dropped_when_the_nation_may_no_longer_see_the_notice(
    engine: Engine,
) -> None:
    with unit_of_work(engine) as session:
        alerts.set_webhook(
            session, SYSTEM, nation="NLD", url="http://127.0.0.1:9/x", secret="x" * 20
        )
        bel = person(session, "bel", "BEL")
        notice = service.create_notice(
            session, bel, content=content(), highest=Classification.CONFIDENTIAL
        )
        service.circulate_notice(session, bel, notice_id=notice.id, version=1)
        service.update_notice(
            session,
            bel,
            notice_id=notice.id,
            version=2,
            content=content(releasable_to={"BEL", "LUX"}),
            highest=Classification.CONFIDENTIAL,
        )
    sent: list[bytes] = []
    report = deliver_due(engine, post=lambda url, body, headers: sent.append(body) or 200)
    assert sent == [] and report.attempted == 0
    with unit_of_work(engine) as session:
        statuses = session.scalars(select(ExchangeDelivery.status)).all()
        assert list(statuses) == ["dropped"]


def test_the_loop_runs_pass_after_pass_and_waits_when_idle(engine: Engine) -> None:
    from bedeco.exchange.worker import DeliveryReport, deliver_forever

    reports: list[DeliveryReport] = []
    deliver_forever(engine, interval=0.05, passes=2, on_pass=reports.append)
    assert [r.attempted for r in reports] == [0, 0]
