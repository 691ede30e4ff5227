"""Notices and answers through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.audit.service import SYSTEM, verify_chain
from bedeco.errors import (
    ClassificationAboveDeployment,
    IllegalTransition,
    InvalidInput,
    NotFound,
    NotPermitted,
    StaleVersion,
)
from bedeco.exchange import alerts, answers, service
from bedeco.exchange.logic import AnswerContent
from bedeco.security import service as security
from bedeco.security.logic import Classification, Principal
from tests.exchange.helpers import content, contribution, person

BEL = person("BEL", user_id=1)
NLD = person("NLD", user_id=2)
LUX = person("LUX", user_id=3)
HIGH = Classification.CONFIDENTIAL


def circulated(session: Session, **overrides: object) -> int:
    notice = service.create_notice(session, BEL, content=content(**overrides), highest=HIGH)
    service.circulate_notice(session, BEL, notice_id=notice.id, version=notice.version)
    return notice.id


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_draft_is_seen_only_by_its_authors_nation_until_circulated(session: Session) -> None:
    notice = service.create_notice(session, BEL, content=content(), highest=HIGH)
    with pytest.raises(NotFound):
        service.get_notice(session, NLD, notice_id=notice.id)
    assert service.list_notices(session, NLD)[1] == 0
    service.circulate_notice(session, BEL, notice_id=notice.id, version=notice.version)
    assert service.get_notice(session, NLD, notice_id=notice.id).status == "circulated"
    assert actions(session)[-2:] == ["notice.create", "notice.circulate"]


def test_notice_is_invisible_to_a_nation_outside_its_releasability(session: Session) -> None:
    notice_id = circulated(session, releasable_to={"BEL", "NLD"})
    with pytest.raises(NotFound):
        service.get_notice(session, LUX, notice_id=notice_id)
    with pytest.raises(NotFound):
        answers.export_notice(session, LUX, notice_id=notice_id)
    items, total = service.list_notices(session, LUX, q="EUFOR")
    assert (items, total) == ([], 0)


def test_releasability_must_keep_the_authors_nation(session: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        service.create_notice(
            session, BEL, content=content(releasable_to={"NLD", "LUX"}), highest=HIGH
        )
    assert error.value.field == "releasable_to"
    notice_id = circulated(session)
    with pytest.raises(InvalidInput) as error:
        service.update_notice(
            session,
            BEL,
            notice_id=notice_id,
            version=2,
            content=content(releasable_to={"NLD"}),
            highest=HIGH,
        )
    assert error.value.field == "releasable_to"


def test_a_notice_above_the_deployments_level_is_refused(session: Session) -> None:
    high = person("BEL", "CONFIDENTIAL")
    with pytest.raises(ClassificationAboveDeployment):
        service.create_notice(
            session,
            high,
            content=content(classification="CONFIDENTIAL"),
            highest=Classification.RESTRICTED,
        )


def test_raising_is_free_but_lowering_needs_a_coordinator_and_is_audited(
    session: Session,
) -> None:
    notice_id = circulated(session, classification="UNCLASSIFIED")
    notice = service.update_notice(
        session, BEL, notice_id=notice_id, version=2, content=content(), highest=HIGH
    )
    assert notice.classification == "RESTRICTED" and notice.status == "updated"
    with pytest.raises(NotPermitted):
        service.update_notice(
            session,
            BEL,
            notice_id=notice_id,
            version=3,
            content=content(classification="UNCLASSIFIED"),
            highest=HIGH,
        )
    coordinator = person("BEL", roles=("viewer", "contributor", "coordinator"), user_id=9)
    service.update_notice(
        session,
        coordinator,
        notice_id=notice_id,
        version=3,
        content=content(classification="UNCLASSIFIED"),
        highest=HIGH,
    )
    assert actions(session)[-1] == "notice.classification_lowered"
    assert verify_chain(session).ok


def test_a_stale_edit_is_refused_and_loses_nothing(session: Session) -> None:
    notice_id = circulated(session)
    service.update_notice(
        session, BEL, notice_id=notice_id, version=2, content=content(area="Baltic"), highest=HIGH
    )
    with pytest.raises(StaleVersion):
        service.update_notice(
            session,
            BEL,
            notice_id=notice_id,
            version=2,
            content=content(area="Sahel"),
            highest=HIGH,
        )
    assert service.get_notice(session, BEL, notice_id=notice_id).area == "Baltic"
    versions = service.notice_versions(session, NLD, notice_id=notice_id)
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[-1].content["area"] == "Baltic"


def test_only_the_authors_nation_edits(session: Session) -> None:
    notice_id = circulated(session)
    with pytest.raises(NotPermitted):
        service.update_notice(
            session, NLD, notice_id=notice_id, version=2, content=content(), highest=HIGH
        )


def test_two_nations_answer_and_each_keeps_its_versions(session: Session) -> None:
    notice_id = circulated(session)
    first = answers.answer_notice(session, NLD, notice_id=notice_id, content=contribution())
    answers.answer_notice(
        session, LUX, notice_id=notice_id, content=AnswerContent(kind="considering")
    )
    answers.answer_notice(
        session,
        NLD,
        notice_id=notice_id,
        version=first.version,
        content=AnswerContent(kind="needs_information", question="Which port?"),
    )
    with pytest.raises(StaleVersion):
        answers.answer_notice(session, NLD, notice_id=notice_id, version=1, content=contribution())
    given = {a.nation: a for a in answers.notice_answers(session, BEL, notice_id=notice_id)}
    assert given["NLD"].kind == "needs_information" and given["NLD"].version == 2
    assert given["LUX"].kind == "considering"
    history = answers.answer_versions(session, BEL, notice_id=notice_id)
    assert [(v.nation, v.version) for v in history] == [("LUX", 1), ("NLD", 1), ("NLD", 2)]


def test_the_author_and_outsiders_cannot_answer(session: Session) -> None:
    notice_id = circulated(session, releasable_to={"BEL", "NLD"})
    with pytest.raises(NotPermitted):
        answers.answer_notice(session, BEL, notice_id=notice_id, content=contribution())
    with pytest.raises(NotFound):
        answers.answer_notice(session, LUX, notice_id=notice_id, content=contribution())


def test_a_contribution_needs_lines_and_a_question_needs_text(session: Session) -> None:
    notice_id = circulated(session)
    with pytest.raises(InvalidInput) as error:
        answers.answer_notice(
            session, NLD, notice_id=notice_id, content=AnswerContent(kind="will_contribute")
        )
    assert error.value.field == "lines"
    with pytest.raises(InvalidInput) as error:
        answers.answer_notice(
            session, NLD, notice_id=notice_id, content=AnswerContent(kind="needs_information")
        )
    assert error.value.field == "question"


def test_the_board_flags_nations_past_the_answer_by_date(session: Session) -> None:
    notice_id = circulated(session, answer_by=date(2027, 1, 15))
    answers.answer_notice(session, NLD, notice_id=notice_id, content=contribution())
    notice = service.get_notice(session, BEL, notice_id=notice_id)
    given = answers.notice_answers(session, BEL, notice_id=notice_id)
    before = {s.nation: s for s in answers.answer_board(notice, given, date(2027, 1, 10))}
    after = {s.nation: s for s in answers.answer_board(notice, given, date(2027, 1, 20))}
    assert not before["LUX"].overdue and after["LUX"].overdue
    assert not after["NLD"].overdue and after["NLD"].kind == "will_contribute"


def test_closing_needs_a_reason_and_ends_answers(session: Session) -> None:
    notice_id = circulated(session)
    with pytest.raises(InvalidInput):
        service.end_notice(session, BEL, notice_id=notice_id, version=2, verb="close", reason="")
    service.end_notice(
        session, BEL, notice_id=notice_id, version=2, verb="close", reason="Force generated"
    )
    with pytest.raises(IllegalTransition):
        answers.answer_notice(session, NLD, notice_id=notice_id, content=contribution())
    with pytest.raises(IllegalTransition):
        service.circulate_notice(session, BEL, notice_id=notice_id, version=3)


def test_export_holds_answers_versions_and_audit_trail(session: Session) -> None:
    notice_id = circulated(session)
    answers.answer_notice(session, NLD, notice_id=notice_id, content=contribution())
    data = answers.export_notice(session, LUX, notice_id=notice_id)
    assert data["notice"]["id"] == notice_id
    assert [a["nation"] for a in data["answers"]] == ["NLD"]
    assert len(data["history"]["notice_versions"]) == 2
    assert [e["action"] for e in data["history"]["audit"]] == [
        "notice.create",
        "notice.circulate",
        "answer.given",
    ]


def stored(session: Session, name: str, nation: str) -> Principal:
    user = security.add_user(
        session,
        SYSTEM,
        name=name,
        nation=nation,
        clearance="RESTRICTED",
        roles=["viewer", "contributor"],
        password="long enough password",
    )
    return security.principal_for(user)


def test_inbox_counts_unread_until_the_notice_is_read(session: Session) -> None:
    bel, lux = stored(session, "bel-reader", "BEL"), stored(session, "lux-reader", "LUX")
    nld = stored(session, "nld-writer", "NLD")
    notice = service.create_notice(session, bel, content=content(), highest=HIGH)
    service.circulate_notice(session, bel, notice_id=notice.id, version=1)
    answers.answer_notice(session, nld, notice_id=notice.id, content=contribution())
    _items, total, unread = alerts.inbox(session, lux)
    assert total == 2 and unread == 2
    alerts.mark_read(session, lux, notice_id=notice.id)
    assert alerts.inbox(session, lux)[2] == 0
    # the author's own circulation is not unread for the author, the answer is
    assert alerts.inbox(session, bel)[1:] == (2, 1)


def test_versions_keep_the_marking_they_had(session: Session) -> None:
    notice_id = circulated(session, releasable_to={"BEL", "NLD"})
    service.update_notice(
        session, BEL, notice_id=notice_id, version=2, content=content(), highest=HIGH
    )
    versions = service.notice_versions(session, LUX, notice_id=notice_id)
    assert [v.version for v in versions] == [3]
