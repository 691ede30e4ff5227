"""Use cases of notices and answers: draft, edit, circulate, close, withdraw, answer, read, export.

Every function takes ``(session, principal, *, ...)``, applies the access rule
(a notice the principal may not see is ``NotFound``), records an audit event
for every change, flushes and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from bedeco.audit.service import record_event
from bedeco.config import get_settings
from bedeco.db import utcnow
from bedeco.errors import (
    ClassificationAboveDeployment,
    IllegalTransition,
    InvalidInput,
    NotFound,
    NotPermitted,
    StaleVersion,
)
from bedeco.exchange import alerts
from bedeco.exchange.access import child_clause, notice_clause
from bedeco.exchange.logic import (
    ContributionLine,
    NoticeContent,
    NoticeStatus,
    Problem,
    changes_between,
    expected_answerers,
    lowering_needs_coordinator,
    next_status,
    parse_level,
    validate_notice,
)
from bedeco.exchange.model import (
    ExchangeNotice,
    ExchangeNoticeVersion,
)
from bedeco.i18n import N_
from bedeco.security.logic import Action, Classification, Marking, Principal, Role, may

SORTS = {
    "updated_at": ExchangeNotice.updated_at,
    "answer_by": ExchangeNotice.answer_by,
    "operation": ExchangeNotice.operation,
    "id": ExchangeNotice.id,
    "status": ExchangeNotice.status,
}


class InvalidNotice(InvalidInput):
    """A notice or answer breaks one or more rules; ``problems`` lists them all, by field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message.format(**first.values), field=first.field)
        self.problems = list(problems)


def _highest(highest: Classification | None) -> Classification:
    return highest if highest is not None else get_settings().max_classification


def require_nation(principal: Principal) -> str:
    if principal.nation is None:
        raise NotPermitted("only a person of a nation works with notices")
    return principal.nation.value


def visible_notices(principal: Principal) -> Select[tuple[ExchangeNotice]]:
    """The notices ``principal`` may see, as a statement to refine."""
    return select(ExchangeNotice).where(notice_clause(principal))


def get_notice(session: Session, principal: Principal, *, notice_id: int) -> ExchangeNotice:
    """The notice, or ``NotFound`` when it does not exist or the principal may not see it."""
    notice = session.scalar(visible_notices(principal).where(ExchangeNotice.id == notice_id))
    if notice is None:
        raise NotFound(f"no notice {notice_id}", field="notice_id")
    return notice


def list_notices(
    session: Session,
    principal: Principal,
    *,
    q: str | None = None,
    status: str | None = None,
    framework: str | None = None,
    author_nation: str | None = None,
    sort: str = "-updated_at",
    page: int = 1,
    page_size: int = 25,
) -> tuple[list[ExchangeNotice], int]:
    """One page of the notices the principal may see, filtered and sorted, with the total."""
    statement = visible_notices(principal)
    q = (q or "").replace("\x00", "").strip()
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%") + "%"
        pattern = pattern.replace("_", "\\_")
        statement = statement.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        ExchangeNotice.operation,
                        ExchangeNotice.area,
                        ExchangeNotice.text,
                        ExchangeNotice.contact,
                    )
                )
            )
        )
    if status:
        statement = statement.where(ExchangeNotice.status == status)
    if framework:
        statement = statement.where(ExchangeNotice.framework == framework)
    if author_nation:
        statement = statement.where(ExchangeNotice.author_nation == author_nation.upper())
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise InvalidInput(
            "sort must be one of " + ", ".join(sorted(SORTS)) + " (prefix - for descending)",
            field="sort",
        )
    column = SORTS[key]
    order = column.desc() if sort.startswith("-") else column.asc()
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(
        statement.order_by(order, ExchangeNotice.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def _check_content(
    content: NoticeContent, principal: Principal, author_nation: str, highest: Classification
) -> None:
    level = parse_level(content.classification)
    if level is not None and level.rank > highest.rank:
        raise ClassificationAboveDeployment(
            f"this deployment holds nothing above {highest.value}", field="classification"
        )
    problems = validate_notice(content, author_nation=author_nation, highest=highest)
    if problems:
        raise InvalidNotice(problems)
    if level is not None and principal.clearance.rank < level.rank:
        raise InvalidInput(N_("the classification is above your clearance"), field="classification")


def _apply(notice: ExchangeNotice, content: NoticeContent) -> None:
    notice.operation = content.operation.strip()
    notice.framework = content.framework
    notice.area = content.area.strip()
    notice.period_start = content.period_start
    notice.period_end = content.period_end
    notice.answer_by = content.answer_by
    notice.contact = content.contact.strip()
    notice.text = content.text
    notice.lines = [line.as_dict() for line in content.lines]
    notice.set_marking(content.classification, content.releasable_to)


def content_of(notice: ExchangeNotice) -> NoticeContent:
    """The current content of a stored notice."""
    return NoticeContent(
        operation=notice.operation,
        framework=notice.framework,
        area=notice.area,
        period_start=notice.period_start,
        period_end=notice.period_end,
        answer_by=notice.answer_by,
        contact=notice.contact,
        text=notice.text,
        classification=notice.classification,
        releasable_to=notice.releasable_to,
        lines=lines_of(notice.lines),
    )


def lines_of(stored: Sequence[dict[str, Any]]) -> tuple[ContributionLine, ...]:
    return tuple(
        ContributionLine(
            category=str(line["category"]),
            quantity=int(line["quantity"]),
            start_on=date.fromisoformat(str(line["start_on"])),
            end_on=date.fromisoformat(str(line["end_on"])),
        )
        for line in stored
    )


def _keep_version(session: Session, notice: ExchangeNotice, principal: Principal) -> None:
    version = ExchangeNoticeVersion(
        notice_id=notice.id,
        version=notice.version,
        status=notice.status,
        content=content_of(notice).snapshot(),
        author=principal.name,
        at=notice.updated_at,
    )
    version.set_marking(notice.classification, notice.releasable_to)
    session.add(version)


def create_notice(
    session: Session,
    principal: Principal,
    *,
    content: NoticeContent,
    highest: Classification | None = None,
) -> ExchangeNotice:
    """Draft a notice for the principal's nation; it is seen by no other nation until circulated."""
    nation = require_nation(principal)
    if not principal.roles & {Role.CONTRIBUTOR, Role.COORDINATOR}:
        raise NotPermitted("drafting a notice needs the contributor role")
    _check_content(content, principal, nation, _highest(highest))
    now = utcnow()
    notice = ExchangeNotice(
        author_nation=nation,
        author=principal.name,
        status=NoticeStatus.DRAFT.value,
        version=1,
        reason="",
        created_at=now,
        updated_at=now,
    )
    _apply(notice, content)
    session.add(notice)
    session.flush()
    _keep_version(session, notice, principal)
    session.flush()
    record_event(
        session,
        principal,
        action="notice.create",
        object_type="exchange_notice",
        object_id=str(notice.id),
        change=content_of(notice).snapshot(),
    )
    return notice


def _editable(
    session: Session, principal: Principal, notice_id: int, version: int, verb: str
) -> tuple[ExchangeNotice, NoticeStatus]:
    """The notice, if the principal's nation wrote it, its role allows it and the version is current."""
    notice = get_notice(session, principal, notice_id=notice_id)
    if principal.nation is None or notice.author_nation != principal.nation.value:
        raise NotPermitted("only the author's nation changes a notice")
    if not may(principal, notice.marking, Action.CHANGE):
        raise NotPermitted("changing a notice needs the contributor role")
    target = next_status(notice.status, verb)
    if target is None:
        raise IllegalTransition(
            N_("In its current state ({status}) the notice cannot take this step ({verb})."),
            field="status",
            values={"status": notice.status, "verb": verb},
        )
    if notice.version != version:
        raise StaleVersion(
            f"the notice is at version {notice.version}; reload and apply your change again",
            field="version",
        )
    return notice, target


def _claim(session: Session, notice: ExchangeNotice, version: int) -> None:
    """Take the next version with a conditional UPDATE, once every check has passed.

    Of two editors holding the same version exactly one succeeds, on SQLite
    and PostgreSQL alike; the other gets ``StaleVersion`` and nothing is lost.
    """
    notice_id = notice.id
    claimed = session.execute(
        update(ExchangeNotice)
        .where(ExchangeNotice.id == notice_id, ExchangeNotice.version == version)
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        session.expire(notice)
        raise StaleVersion(
            "the notice changed meanwhile; reload and apply your change again", field="version"
        )
    notice.version = version + 1


def update_notice(
    session: Session,
    principal: Principal,
    *,
    notice_id: int,
    version: int,
    content: NoticeContent,
    highest: Classification | None = None,
) -> ExchangeNotice:
    """Change a notice's content; after circulation it becomes *updated* and readers are told.

    The releasability set must keep the author's nation; the classification may
    be raised freely, lowered only by a coordinator (its own audit event).
    """
    notice, target = _editable(session, principal, notice_id, version, "edit")
    _check_content(content, principal, notice.author_nation, _highest(highest))
    before = content_of(notice)
    lowered = lowering_needs_coordinator(before.classification, content.classification)
    if lowered and not principal.has_role(Role.COORDINATOR):
        raise NotPermitted("only a coordinator lowers a classification", field="classification")
    if not may(principal, Marking.of(content.classification, content.releasable_to), Action.CHANGE):
        raise InvalidInput(N_("the new marking would exclude you"), field="releasable_to")
    _claim(session, notice, version)
    _apply(notice, content)
    notice.status = target.value
    notice.updated_at = utcnow()
    changed = [c.field for c in changes_between(before.snapshot(), content_of(notice).snapshot())]
    alerts.remark_answers(session, notice)
    _keep_version(session, notice, principal)
    session.flush()
    record_event(
        session,
        principal,
        action="notice.update",
        object_type="exchange_notice",
        object_id=str(notice.id),
        change={"version": notice.version, "changed": changed},
    )
    if lowered:
        record_event(
            session,
            principal,
            action="notice.classification_lowered",
            object_type="exchange_notice",
            object_id=str(notice.id),
            change={"from": before.classification, "to": content.classification},
        )
    if target is NoticeStatus.UPDATED:
        alerts.record_activity(session, notice, principal, kind="notice.updated")
    return notice


def circulate_notice(
    session: Session, principal: Principal, *, notice_id: int, version: int
) -> ExchangeNotice:
    """Send a draft to every nation in its releasability set."""
    notice, target = _editable(session, principal, notice_id, version, "circulate")
    if not expected_answerers(notice.releasable_to, notice.author_nation):
        raise InvalidInput(
            N_("name at least one other nation before circulating"), field="releasable_to"
        )
    _claim(session, notice, version)
    now = utcnow()
    notice.status = target.value
    notice.circulated_at = now
    notice.updated_at = now
    _keep_version(session, notice, principal)
    session.flush()
    record_event(
        session,
        principal,
        action="notice.circulate",
        object_type="exchange_notice",
        object_id=str(notice.id),
        change={"version": notice.version},
    )
    alerts.record_activity(session, notice, principal, kind="notice.circulated")
    return notice


def end_notice(
    session: Session,
    principal: Principal,
    *,
    notice_id: int,
    version: int,
    verb: str,
    reason: str,
) -> ExchangeNotice:
    """Close or withdraw a notice, giving a reason that readers see."""
    if verb not in ("close", "withdraw"):
        raise InvalidInput("the verb is close or withdraw", field="verb")
    reason = reason.strip()
    if not 1 <= len(reason) <= 2000:
        raise InvalidInput(N_("give a reason (1 to 2000 characters)"), field="reason")
    notice, target = _editable(session, principal, notice_id, version, verb)
    was_draft = notice.status == NoticeStatus.DRAFT.value
    _claim(session, notice, version)
    notice.status = target.value
    notice.reason = reason
    notice.updated_at = utcnow()
    _keep_version(session, notice, principal)
    session.flush()
    record_event(
        session,
        principal,
        action=f"notice.{verb}",
        object_type="exchange_notice",
        object_id=str(notice.id),
        change={"version": notice.version, "reason": reason},
    )
    if not was_draft:
        alerts.record_activity(session, notice, principal, kind=f"notice.{target.value}")
    return notice


def notice_versions(
    session: Session, principal: Principal, *, notice_id: int
) -> list[ExchangeNoticeVersion]:
    """The kept versions of a notice the principal may see, oldest first."""
    get_notice(session, principal, notice_id=notice_id)
    statement = (
        select(ExchangeNoticeVersion)
        .join(ExchangeNotice, ExchangeNotice.id == ExchangeNoticeVersion.notice_id)
        .where(ExchangeNoticeVersion.notice_id == notice_id)
        .where(child_clause(ExchangeNoticeVersion, principal))
        .order_by(ExchangeNoticeVersion.version)
    )
    return list(session.scalars(statement).all())
