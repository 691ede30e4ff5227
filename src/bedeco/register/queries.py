"""Reading the register: filtered, sorted pages of commitments, a document's commitments
with their history, and the change stamp the portal's caches key on.

Every function takes ``(session, principal, ...)`` and sees only what the
principal may see (the access rule is the first clause of every query).
``bedeco.register.service`` re-exports them; the changes live there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from bedeco import search
from bedeco.errors import InvalidInput
from bedeco.register import logic
from bedeco.register.model import (
    Commitment,
    CommitmentDomain,
    Instrument,
    InstrumentRelation,
    Provision,
    StatusEntry,
)
from bedeco.security.logic import Principal
from bedeco.security.restrict import access_clause, restrict

COMMITMENT_SCOPE = "register.commitment"
SORTS: dict[str, Any] = {
    "key": Commitment.key,
    "title": Commitment.sort_title,
    "status": Commitment.status,
    "target": Commitment.target_on,
    "updated": Commitment.updated_at,
}


@dataclass(frozen=True)
class Page:
    """One page of a list: the items, the total across pages, and where the page is."""

    items: Sequence[Any]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class CommitmentQuery:
    """Filters of the commitment list; empty values do not filter."""

    domain: str = ""
    nation: str = ""
    status: str = ""
    instrument: str = ""
    overdue: bool = False
    q: str = ""
    langs: tuple[str, ...] = ()
    document_key: str = ""
    ids: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def nation_clause(model: Any, nation: str) -> Any:
    """Rows of ``model`` (commitments, initiatives) that ``nation`` takes part in."""
    columns = {"BEL": model.nat_bel, "NLD": model.nat_nld, "LUX": model.nat_lux}
    column = columns.get(nation.upper())
    if column is None:
        raise InvalidInput("nation must be BEL, NLD or LUX", field="nation")
    return column.is_(True)


def entries_of(session: Session, commitment_ids: Iterable[int]) -> dict[int, list[StatusEntry]]:
    """Each commitment's dated entries, oldest first, in one query."""
    entries: dict[int, list[StatusEntry]] = {cid: [] for cid in commitment_ids}
    if entries:
        for entry in session.scalars(
            select(StatusEntry)
            .where(StatusEntry.commitment_id.in_(list(entries)))
            .order_by(StatusEntry.at, StatusEntry.id)
        ):
            entries[entry.commitment_id].append(entry)
    return entries


def commitment_filter(
    session: Session, principal: Principal, query: CommitmentQuery, today: dt.date
) -> list[Any]:
    """WHERE clauses for ``query`` (access rule first); shared by lists, progress and export."""
    clauses: list[Any] = [access_clause(Commitment, principal)]
    if query.domain:
        clauses.append(
            exists().where(
                CommitmentDomain.commitment_id == Commitment.id,
                CommitmentDomain.domain == query.domain,
            )
        )
    if query.nation:
        clauses.append(nation_clause(Commitment, query.nation))
    if query.status:
        if logic.parse_status(query.status) is None:
            raise InvalidInput("unknown status", field="status")
        clauses.append(Commitment.status == logic.parse_status(query.status))
    if query.instrument:
        clauses.append(
            Commitment.source_id.in_(
                select(Instrument.id).where(Instrument.key == query.instrument)
            )
        )
    if query.document_key:
        clauses.append(
            Commitment.provision_id.in_(
                select(Provision.id).where(Provision.document_key == query.document_key)
            )
        )
    if query.overdue:
        clauses.append(Commitment.target_on < today)
        clauses.append(Commitment.status.not_in([s.value for s in logic.CLOSED]))
    if query.q.strip():
        clauses.append(
            Commitment.id.in_(
                search.matching_ids(
                    session,
                    principal,
                    scope=COMMITMENT_SCOPE,
                    query=query.q,
                    langs=query.langs or None,
                )
            )
        )
    if query.ids is not None:
        clauses.append(Commitment.id.in_(list(query.ids)))
    return clauses


def list_commitments(
    session: Session,
    principal: Principal,
    *,
    query: CommitmentQuery | None = None,
    sort: str = "key",
    page: int = 1,
    page_size: int = 25,
    today: dt.date | None = None,
) -> Page:
    """A page of the commitments the principal may see, filtered, searched and sorted.

    ``sort`` is one of ``key``, ``title``, ``status``, ``target``, ``updated``,
    with ``-`` in front for descending.
    """
    query = query or CommitmentQuery()
    today = today or dt.date.today()
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"))
    if column is None:
        allowed = ", ".join(sorted(SORTS))
        raise InvalidInput(f"sort must be one of {allowed} (with - for descending)", field="sort")
    clauses = commitment_filter(session, principal, query, today)
    total = session.scalar(select(func.count(Commitment.id)).where(*clauses)) or 0
    order = [column.desc() if descending else column.asc(), Commitment.id]
    if sort.lstrip("-") == "target":
        order.insert(0, Commitment.target_on.is_(None))
    statement = (
        select(Commitment)
        .where(*clauses)
        .options(joinedload(Commitment.source))
        .order_by(*order)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(list(session.scalars(statement)), total, page, page_size)


@dataclass(frozen=True)
class CommitmentDetail:
    """A commitment with its history (entries with evidence), for the portal and the pages."""

    commitment: Commitment
    history: list[StatusEntry]
    overdue: bool


def commitments_for_document(
    session: Session, principal: Principal, *, document_key: str, today: dt.date | None = None
) -> list[CommitmentDetail]:
    """The commitments recorded from a document's requests (1–16 for the seed), in order, with
    status, history and evidence: what a parliamentarian follows."""
    today = today or dt.date.today()
    clauses = commitment_filter(
        session, principal, CommitmentQuery(document_key=document_key), today
    )
    commitments = list(
        session.scalars(
            select(Commitment)
            .where(*clauses)
            .options(joinedload(Commitment.provision), joinedload(Commitment.source))
            .order_by(Commitment.key)
        )
    )
    entries = entries_of(session, [c.id for c in commitments])
    return [
        CommitmentDetail(c, entries[c.id], logic.is_overdue(c.target_on, c.status, today))
        for c in commitments
    ]


# --- change stamp (for the portal's caches) ------------------------------------------------


@dataclass(frozen=True)
class ChangeStamp:
    """What the principal may see of the register, summed up: ``token`` changes whenever a
    visible commitment, initiative, instrument, relation or provision is added, changed or
    withdrawn (versions, counts, latest times); ``latest`` is the newest visible change time."""

    token: str
    latest: dt.datetime | None


def change_stamp(session: Session, principal: Principal) -> ChangeStamp:
    """One query over visible rows only, so the stamp reveals nothing the principal may not see.

    Instruments carry no version or time, so an edit of an instrument's text alone does not
    change the stamp; callers that cache keep a time limit too."""
    from bedeco.register.model import Initiative

    visible_instruments = restrict(select(Instrument.id), Instrument, principal)
    commitments = access_clause(Commitment, principal)
    initiatives = access_clause(Initiative, principal)
    figures = [
        select(func.count(Commitment.id)).where(commitments),
        select(func.max(Commitment.updated_at)).where(commitments),
        select(func.sum(Commitment.version)).where(commitments),
        select(func.count(Initiative.id)).where(initiatives),
        select(func.max(Initiative.updated_at)).where(initiatives),
        select(func.sum(Initiative.version)).where(initiatives),
        select(func.count(Instrument.id)).where(access_clause(Instrument, principal)),
        select(func.max(Instrument.id)).where(access_clause(Instrument, principal)),
        select(func.count(InstrumentRelation.id)).where(
            InstrumentRelation.source_id.in_(visible_instruments),
            InstrumentRelation.target_id.in_(visible_instruments),
        ),
        select(func.count(Provision.id)),
        select(func.max(Provision.id)),
    ]
    row = session.execute(select(*[f.scalar_subquery() for f in figures])).one()
    times = [value for value in (row[1], row[4]) if value is not None]
    latest = max(times) if times else None
    if latest is not None and latest.tzinfo is None:
        latest = latest.replace(tzinfo=dt.UTC)
    token = "|".join("" if value is None else str(value) for value in row)
    return ChangeStamp(token=token, latest=latest)
