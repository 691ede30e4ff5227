"""Read models of the register: progress, breakdowns, the citation graph and recent changes.

Every figure is computed in SQL over the commitments the principal may see,
so a count never reveals a record the principal may not see. Re-exported by
``register.service``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from bedeco.errors import InvalidInput
from bedeco.register import logic
from bedeco.register.model import (
    Commitment,
    CommitmentDomain,
    Instrument,
    InstrumentRelation,
    StatusEntry,
)
from bedeco.register.service import (
    CommitmentQuery,
    commitment_filter,
    list_instruments,
    list_relations,
)
from bedeco.security.logic import Nation, Principal


@dataclass(frozen=True)
class TimelinePoint:
    """Status changes in one month (``YYYY-MM``), counted by the status reached."""

    month: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ProgressReport:
    """Progress of a set of commitments: status counts, overdue, share implemented, timeline."""

    progress: logic.Progress
    timeline: list[TimelinePoint] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.progress.as_dict(),
            "timeline": [{"month": p.month, "counts": p.counts} for p in self.timeline],
        }


def _month(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, literal_column("'YYYY-MM'"))
    return func.strftime("%Y-%m", column)


def _overdue_clauses(today: dt.date) -> list[Any]:
    return [
        Commitment.target_on < today,
        Commitment.status.not_in([s.value for s in logic.CLOSED]),
    ]


def _overdue_flag(today: dt.date, weight: Any = 1) -> Any:
    """1 (or ``weight``) for an overdue commitment, else 0: lets one scan count both."""
    return func.sum(case((and_(*_overdue_clauses(today)), weight), else_=0))


TIMELINE_MONTHS = 24
"""The timeline shows the last 24 months by default; ``months=None`` shows the whole history."""


def timeline_start(today: dt.date, months: int) -> dt.datetime:
    """Midnight UTC on the first day of the month ``months - 1`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def progress(
    session: Session,
    principal: Principal,
    *,
    query: CommitmentQuery | None = None,
    today: dt.date | None = None,
    timeline: bool = True,
    months: int | None = TIMELINE_MONTHS,
) -> ProgressReport:
    """Progress of the commitments matching ``query`` (e.g. ``CommitmentQuery(instrument=
    "be-chamber-56-0367")``, ``domain="cyber"``, ``nation="LUX"``), with the status changes of
    the last ``months`` months (all of them when ``months`` is None)."""
    query = query or CommitmentQuery()
    today = today or dt.date.today()
    clauses = commitment_filter(session, principal, query, today)
    counts: dict[str, int] = {}
    overdue = 0
    for status, count, late in session.execute(
        select(Commitment.status, func.count(Commitment.id), _overdue_flag(today))
        .where(*clauses)
        .group_by(Commitment.status)
    ):
        counts[status] = int(count)
        overdue += int(late or 0)
    points: list[TimelinePoint] = []
    if timeline:
        month = _month(session, StatusEntry.at)
        conditions = [
            *clauses,
            or_(
                StatusEntry.from_status.is_(None),
                StatusEntry.from_status != StatusEntry.to_status,
            ),
        ]
        if months:
            conditions.append(StatusEntry.at >= timeline_start(today, months))
        rows = session.execute(
            select(month, StatusEntry.to_status, func.count(StatusEntry.id))
            .select_from(StatusEntry)
            .join(Commitment, Commitment.id == StatusEntry.commitment_id)
            .where(*conditions)
            .group_by(month, StatusEntry.to_status)
            .order_by(month)
        ).all()
        by_month: dict[str, dict[str, int]] = {}
        for month_value, status, count in rows:
            by_month.setdefault(str(month_value), {})[status] = int(count)
        points = [TimelinePoint(m, c) for m, c in sorted(by_month.items())]
    return ProgressReport(logic.progress_of(counts, overdue), points)


BREAKDOWNS = ("domain", "nation", "instrument")


def progress_breakdown(
    session: Session, principal: Principal, *, by: str, today: dt.date | None = None
) -> list[tuple[str, logic.Progress]]:
    """Progress per domain, per responsible nation or per source instrument, one query each."""
    today = today or dt.date.today()
    clauses = commitment_filter(session, principal, CommitmentQuery(), today)
    rows: list[tuple[str, str, int, int]] = []
    if by == "domain":
        statement = (
            select(CommitmentDomain.domain, Commitment.status, func.count(), _overdue_flag(today))
            .join(Commitment, Commitment.id == CommitmentDomain.commitment_id)
            .where(*clauses)
            .group_by(CommitmentDomain.domain, Commitment.status)
        )
        rows = [(k, s, int(n), int(o or 0)) for k, s, n, o in session.execute(statement)]
        order = [d.value for d in logic.Domain]
    elif by == "nation":
        flags = {
            Nation.BEL.value: Commitment.nat_bel,
            Nation.NLD.value: Commitment.nat_nld,
            Nation.LUX.value: Commitment.nat_lux,
        }
        columns = []
        for column in flags.values():
            as_int = case((column.is_(True), 1), else_=0)
            columns += [func.sum(as_int), _overdue_flag(today, as_int)]
        statement = select(Commitment.status, *columns).where(*clauses).group_by(Commitment.status)
        for status, *sums in session.execute(statement):
            for i, nation in enumerate(flags):
                if sums[2 * i]:
                    rows.append((nation, status, int(sums[2 * i]), int(sums[2 * i + 1] or 0)))
        order = list(flags)
    elif by == "instrument":
        statement = (
            select(Instrument.key, Commitment.status, func.count(), _overdue_flag(today))
            .join(Instrument, Instrument.id == Commitment.source_id)
            .where(*clauses)
            .group_by(Instrument.key, Commitment.status)
        )
        rows = [(k, s, int(n), int(o or 0)) for k, s, n, o in session.execute(statement)]
        order = sorted({row[0] for row in rows})
    else:
        raise InvalidInput("by must be domain, nation or instrument", field="by")
    groups: dict[str, tuple[dict[str, int], int]] = {}
    for key, status, count, late in rows:
        counts, overdue = groups.setdefault(key, ({}, 0))
        counts[status] = count
        groups[key] = (counts, overdue + late)
    return [(key, logic.progress_of(*groups[key])) for key in order if key in groups]


@dataclass(frozen=True)
class GraphNode:
    key: str
    kind: str
    title: dict[str, str]
    issued_on: dt.date | None
    identifier: str


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Graph:
    """Instruments and their relations, for the citation graph (visible ones only)."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "key": n.key,
                    "kind": n.kind,
                    "title": n.title,
                    "issued_on": n.issued_on.isoformat() if n.issued_on else None,
                    "identifier": n.identifier,
                }
                for n in self.nodes
            ],
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind} for e in self.edges],
        }


def citation_graph(session: Session, principal: Principal) -> Graph:
    """Every visible instrument and every relation between two visible instruments."""
    nodes = [
        GraphNode(i.key, i.kind, dict(i.title), i.issued_on, i.identifier)
        for i in list_instruments(session, principal)
    ]
    edges = [
        GraphEdge(r.source.key, r.target.key, r.kind) for r in list_relations(session, principal)
    ]
    return Graph(nodes, edges)


def instrument_relations(
    session: Session, principal: Principal, *, key: str
) -> tuple[list[InstrumentRelation], list[InstrumentRelation]]:
    """Relations from and to one instrument (outgoing, incoming), both ends visible."""
    relations = list_relations(session, principal)
    return (
        [r for r in relations if r.source.key == key],
        [r for r in relations if r.target.key == key],
    )


@dataclass(frozen=True)
class Change:
    """One status change of a commitment, for a feed or a timeline."""

    entry: StatusEntry
    commitment_id: int
    commitment_key: str
    commitment_title: dict[str, str]


def recent_changes(
    session: Session,
    principal: Principal,
    *,
    limit: int = 20,
    query: CommitmentQuery | None = None,
    today: dt.date | None = None,
) -> list[Change]:
    """The latest status changes (creations included) of visible commitments, newest first."""
    clauses = commitment_filter(
        session, principal, query or CommitmentQuery(), today or dt.date.today()
    )
    rows = session.execute(
        select(StatusEntry, Commitment.id, Commitment.key, Commitment.title)
        .join(Commitment, Commitment.id == StatusEntry.commitment_id)
        .where(
            *clauses,
            or_(
                StatusEntry.from_status.is_(None),
                StatusEntry.from_status != StatusEntry.to_status,
            ),
        )
        .order_by(StatusEntry.at.desc(), StatusEntry.id.desc())
        .limit(max(1, min(limit, 200)))
    ).all()
    return [Change(entry, cid, key, dict(title)) for entry, cid, key, title in rows]
