"""Use cases of answers, and of reading a notice whole: answer, revise, the board, detail, export.

Functions take ``(session, principal, *, ...)``, apply the access rule through
``service.get_notice`` and the marked-child clauses, record an audit event
for every change, flush and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.audit.service import record_event
from bedeco.db import utcnow
from bedeco.errors import IllegalTransition, NotPermitted, StaleVersion
from bedeco.exchange import alerts
from bedeco.exchange.access import child_clause
from bedeco.exchange.logic import (
    AnswerContent,
    NationState,
    NoticeStatus,
    answer_states,
    expected_answerers,
    validate_answer,
)
from bedeco.exchange.model import (
    ExchangeAnswer,
    ExchangeAnswerVersion,
    ExchangeNotice,
    ExchangeNoticeVersion,
)
from bedeco.exchange.service import (
    InvalidNotice,
    content_of,
    get_notice,
    notice_versions,
    require_nation,
)
from bedeco.i18n import N_
from bedeco.security.logic import Action, Principal, may


def answer_notice(
    session: Session,
    principal: Principal,
    *,
    notice_id: int,
    content: AnswerContent,
    version: int | None = None,
) -> ExchangeAnswer:
    """Give or revise the principal's nation's answer; a revision names the version it replaces."""
    nation = require_nation(principal)
    notice = get_notice(session, principal, notice_id=notice_id)
    if nation not in expected_answerers(notice.releasable_to, notice.author_nation):
        raise NotPermitted("only another nation in the releasability set answers")
    if not may(principal, notice.marking, Action.CHANGE):
        raise NotPermitted("answering needs the contributor role")
    if notice.status not in (NoticeStatus.CIRCULATED.value, NoticeStatus.UPDATED.value):
        raise IllegalTransition(
            N_("In its current state ({status}) the notice takes no answers."),
            field="status",
            values={"status": notice.status},
        )
    problems = validate_answer(content, notice.period_start, notice.period_end)
    if problems:
        raise InvalidNotice(problems)
    now = utcnow()
    answer = session.scalar(
        select(ExchangeAnswer).where(
            ExchangeAnswer.notice_id == notice_id, ExchangeAnswer.nation == nation
        )
    )
    lines = [line.as_dict() for line in content.lines]
    if answer is None:
        if version not in (None, 0):
            raise StaleVersion("your nation has not answered yet", field="version")
        answer = ExchangeAnswer(
            notice_id=notice_id,
            nation=nation,
            version=1,
            kind=content.kind,
            lines=lines,
            question=content.question.strip(),
            comment=content.comment.strip(),
            author=principal.name,
            first_answered_at=now,
            updated_at=now,
        )
        answer.set_marking(notice.classification, notice.releasable_to)
        try:
            with session.begin_nested():
                session.add(answer)
                session.flush()
        except IntegrityError:
            raise StaleVersion(
                "your nation answered meanwhile; reload and revise that answer", field="version"
            ) from None
        kind = "answer.given"
    else:
        if version != answer.version:
            raise StaleVersion(
                f"your nation's answer is at version {answer.version}; reload and revise it",
                field="version",
            )
        claimed = session.execute(
            update(ExchangeAnswer)
            .where(ExchangeAnswer.id == answer.id, ExchangeAnswer.version == version)
            .values(version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            session.expire(answer)
            raise StaleVersion(
                "the answer changed meanwhile; reload and revise it", field="version"
            )
        answer.version = version + 1
        answer.kind = content.kind
        answer.lines = lines
        answer.question = content.question.strip()
        answer.comment = content.comment.strip()
        answer.author = principal.name
        answer.updated_at = now
        kind = "answer.revised"
    record = ExchangeAnswerVersion(
        answer_id=answer.id,
        notice_id=notice_id,
        nation=nation,
        version=answer.version,
        content={
            "kind": answer.kind,
            "lines": lines,
            "question": answer.question,
            "comment": answer.comment,
        },
        author=principal.name,
        at=now,
    )
    record.set_marking(notice.classification, notice.releasable_to)
    session.add(record)
    session.flush()
    record_event(
        session,
        principal,
        action=kind,
        object_type="exchange_answer",
        object_id=str(answer.id),
        change={"notice": notice_id, "nation": nation, "version": answer.version, **record.content},
    )
    alerts.record_activity(session, notice, principal, kind=kind, answer_kind=answer.kind)
    return answer


def notice_answers(
    session: Session, principal: Principal, *, notice_id: int
) -> list[ExchangeAnswer]:
    """The current answers to a notice, by nation."""
    get_notice(session, principal, notice_id=notice_id)
    statement = (
        select(ExchangeAnswer)
        .join(ExchangeNotice, ExchangeNotice.id == ExchangeAnswer.notice_id)
        .where(ExchangeAnswer.notice_id == notice_id)
        .where(child_clause(ExchangeAnswer, principal))
        .order_by(ExchangeAnswer.nation)
    )
    return list(session.scalars(statement).all())


def answer_versions(
    session: Session, principal: Principal, *, notice_id: int
) -> list[ExchangeAnswerVersion]:
    """Every kept version of every answer to a notice, by nation then version."""
    get_notice(session, principal, notice_id=notice_id)
    statement = (
        select(ExchangeAnswerVersion)
        .join(ExchangeNotice, ExchangeNotice.id == ExchangeAnswerVersion.notice_id)
        .where(ExchangeAnswerVersion.notice_id == notice_id)
        .where(child_clause(ExchangeAnswerVersion, principal))
        .order_by(ExchangeAnswerVersion.nation, ExchangeAnswerVersion.version)
    )
    return list(session.scalars(statement).all())


def answer_board(
    notice: ExchangeNotice, answers: Sequence[ExchangeAnswer], today: date | None = None
) -> list[NationState]:
    """The state of answers per nation, flagged against the answer-by date."""
    return answer_states(
        releasable_to=notice.releasable_to,
        author_nation=notice.author_nation,
        answers={a.nation: (a.kind, a.first_answered_at.date()) for a in answers},
        answer_by=notice.answer_by,
        today=today or utcnow().date(),
        status=notice.status,
    )


@dataclass(frozen=True)
class Snapshot:
    """Everything a reader may see of one notice: what the detail page, API and export show."""

    notice: ExchangeNotice
    versions: list[ExchangeNoticeVersion]
    answers: list[ExchangeAnswer]
    answer_versions: list[ExchangeAnswerVersion]
    board: list[NationState]


def read_notice(session: Session, principal: Principal, *, notice_id: int) -> Snapshot:
    """The notice with its versions, answers and answer board, as the principal may see them."""
    notice = get_notice(session, principal, notice_id=notice_id)
    answers = notice_answers(session, principal, notice_id=notice_id)
    return Snapshot(
        notice=notice,
        versions=notice_versions(session, principal, notice_id=notice_id),
        answers=answers,
        answer_versions=answer_versions(session, principal, notice_id=notice_id),
        board=answer_board(notice, answers),
    )


def notice_dict(notice: ExchangeNotice) -> dict[str, Any]:
    """A notice as plain JSON values (API, export, webhooks)."""
    return {
        "id": notice.id,
        "version": notice.version,
        "status": notice.status,
        "author_nation": notice.author_nation,
        "author": notice.author,
        **content_of(notice).snapshot(),
        "reason": notice.reason,
        "created_at": notice.created_at.isoformat(),
        "updated_at": notice.updated_at.isoformat(),
        "circulated_at": notice.circulated_at.isoformat() if notice.circulated_at else None,
    }


def answer_dict(answer: ExchangeAnswer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "notice_id": answer.notice_id,
        "nation": answer.nation,
        "version": answer.version,
        "kind": answer.kind,
        "lines": answer.lines,
        "question": answer.question,
        "comment": answer.comment,
        "author": answer.author,
        "first_answered_at": answer.first_answered_at.isoformat(),
        "updated_at": answer.updated_at.isoformat(),
    }


def export_notice(session: Session, principal: Principal, *, notice_id: int) -> dict[str, Any]:
    """A notice with its answers, every kept version and its audit trail, as JSON values."""
    snap = read_notice(session, principal, notice_id=notice_id)
    answer_ids = [str(a.id) for a in snap.answers]
    events = session.scalars(
        select(AuditEvent)
        .where(
            or_(
                (AuditEvent.object_type == "exchange_notice")
                & (AuditEvent.object_id == str(notice_id)),
                (AuditEvent.object_type == "exchange_answer")
                & (AuditEvent.object_id.in_(answer_ids)),
            )
        )
        .order_by(AuditEvent.seq)
    ).all()
    return {
        "format": "bedeco.exchange.notice/1",
        "exported_at": utcnow().isoformat(),
        "exported_by": principal.name,
        "notice": notice_dict(snap.notice),
        "answers": [answer_dict(a) for a in snap.answers],
        "answer_states": [
            {
                "nation": s.nation,
                "kind": s.kind,
                "answered_on": s.answered_on.isoformat() if s.answered_on else None,
                "overdue": s.overdue,
                "late": s.late,
            }
            for s in snap.board
        ],
        "history": {
            "notice_versions": [
                {
                    "version": v.version,
                    "status": v.status,
                    "author": v.author,
                    "at": v.at.isoformat(),
                    "content": v.content,
                }
                for v in snap.versions
            ],
            "answer_versions": [
                {
                    "nation": v.nation,
                    "version": v.version,
                    "author": v.author,
                    "at": v.at.isoformat(),
                    "content": v.content,
                }
                for v in snap.answer_versions
            ],
            "audit": [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "nation": e.nation,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "hash": e.hash,
                }
                for e in events
            ],
        },
    }
