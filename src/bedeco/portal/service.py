"""Read models of the portal, built from the register's services as the anonymous public.

The principal is not a parameter: every function reads as
``security.logic.ANONYMOUS``, so the portal sees PUBLIC records only and a
count, a chart, a feed or an export can only be made of them. Evidence that
names an instrument the public may not see is left out, and history shows
the nation that recorded a change, never a person's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bedeco.errors import NotFound
from bedeco.i18n import N_
from bedeco.register import logic as register_logic
from bedeco.register import service as register
from bedeco.security.logic import ANONYMOUS

PUBLIC = ANONYMOUS
NOT_FOUND = N_("The page you asked for does not exist.")
ALL = 200
"""Page size used to read whole lists (the register's largest page)."""


def _not_found() -> NotFound:
    # Never echo the asked key: it may name a record the public may not see.
    return NotFound(NOT_FOUND)


@dataclass(frozen=True)
class EvidenceView:
    kind: str
    text: str
    href: str = ""
    instrument_key: str = ""


@dataclass(frozen=True)
class EntryView:
    """One dated change as the public sees it."""

    at: dt.datetime
    nation: str
    from_status: str | None
    to_status: str
    comment: str
    evidence: list[EvidenceView] = field(default_factory=list)

    @property
    def is_status_change(self) -> bool:
        return self.from_status != self.to_status


@dataclass(frozen=True)
class InstrumentView:
    key: str
    kind: str
    identifier: str
    issued_on: dt.date | None
    date_text: str
    title: dict[str, str]
    issuer: dict[str, str]
    url: str
    note: dict[str, str]


@dataclass(frozen=True)
class RelationView:
    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class InitiativeRef:
    key: str
    name: dict[str, str]
    maturity: int


@dataclass(frozen=True)
class CommitmentView:
    """A public commitment with its text, status, history and evidence."""

    key: str
    label: str
    title: dict[str, str]
    description: dict[str, str]
    status: str
    target_on: dt.date | None
    overdue: bool
    nations: list[str]
    domains: list[str]
    updated_at: dt.datetime
    history: list[EntryView]
    initiatives: list[InitiativeRef] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "request-" + self.label.zfill(2) if self.label else self.key.replace("/", "-")

    @property
    def changes(self) -> int:
        return sum(1 for e in self.history if e.is_status_change)


@dataclass(frozen=True)
class InitiativeView:
    key: str
    name: dict[str, str]
    description: dict[str, str]
    maturity: int
    nations: list[str]
    domains: list[str]
    illustrative: bool
    sources: str
    updated_at: dt.datetime
    commitments: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    history: list[EntryView] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeView:
    at: dt.datetime
    commitment_key: str
    document_key: str
    anchor: str
    title: dict[str, str]
    from_status: str | None
    to_status: str
    nation: str
    comment: str
    evidence: int


@dataclass(frozen=True)
class Tracker:
    """A resolution and its commitments: what a parliamentarian follows."""

    document: InstrumentView
    commitments: list[CommitmentView]
    progress: register_logic.Progress
    timeline: list[tuple[str, dict[str, int]]]


@dataclass(frozen=True)
class DomainSummary:
    code: str
    commitments: int
    implemented: int
    initiatives: int


@dataclass(frozen=True)
class Home:
    domains: list[DomainSummary]
    flagships: list[InitiativeView]
    changes: list[ChangeView]
    tracked: Tracker | None
    counts: dict[str, int]


def stamp(session: Session) -> Any:
    """The register's change stamp as the public sees it (``token``, ``latest``)."""
    return register.change_stamp(session, PUBLIC)


# --- instruments ---------------------------------------------------------------------------


def _instrument(item: Any) -> InstrumentView:
    return InstrumentView(
        key=item.key,
        kind=item.kind,
        identifier=item.identifier or "",
        issued_on=item.issued_on,
        date_text=item.date_text or "",
        title=dict(item.title or {}),
        issuer=dict(item.issuer or {}),
        url=item.url or "",
        note=dict(item.note or {}),
    )


def list_instruments(session: Session) -> list[InstrumentView]:
    """Public instruments, oldest first."""
    return [_instrument(i) for i in register.list_instruments(session, PUBLIC)]


def list_relations(session: Session) -> list[RelationView]:
    """Relations between two public instruments."""
    graph = register.citation_graph(session, PUBLIC)
    return [RelationView(e.source, e.target, e.kind) for e in graph.edges]


def get_instrument(session: Session, *, key: str) -> InstrumentView:
    try:
        return _instrument(register.get_instrument(session, PUBLIC, key=key))
    except NotFound:
        raise _not_found() from None


def commitments_citing(session: Session, *, key: str) -> list[tuple[str, str, dict[str, str]]]:
    """Public commitments whose source is the instrument: (document key, anchor, title)."""
    page = register.list_commitments(
        session, PUBLIC, query=register.CommitmentQuery(instrument=key), page_size=ALL
    )
    result = []
    for c in page.items:
        document, label = _document_and_label(c.key)
        result.append((document, "request-" + label.zfill(2) if label else "", dict(c.title)))
    return result


# --- commitments ---------------------------------------------------------------------------


def _document_and_label(key: str) -> tuple[str, str]:
    document, _, tail = key.rpartition("/request-")
    if document and tail.isdigit():
        return document, str(int(tail))
    return "", ""


def _evidence(rows: Sequence[Any], visible: set[str]) -> list[EvidenceView]:
    views = []
    for row in rows:
        kind = row.kind
        if kind == register_logic.EvidenceKind.INSTRUMENT.value:
            if row.instrument_key not in visible:
                continue
            views.append(EvidenceView(kind, row.instrument_key, instrument_key=row.instrument_key))
        elif kind == register_logic.EvidenceKind.LINK.value:
            views.append(EvidenceView(kind, row.reference, href=row.reference))
        elif kind == register_logic.EvidenceKind.DOCUMENT.value:
            views.append(EvidenceView(kind, row.reference))
        elif kind == register_logic.EvidenceKind.FILE.value:
            views.append(EvidenceView(kind, row.file_name or row.sha256[:12]))
    return views


def _entry(entry: Any, visible: set[str], status: bool = True) -> EntryView:
    return EntryView(
        at=_aware(entry.at),
        nation=entry.nation or "",
        from_status=(entry.from_status if status else _maturity_text(entry.from_maturity)),
        to_status=(entry.to_status if status else str(entry.to_maturity)),
        comment=entry.comment or "",
        evidence=_evidence(entry.evidence, visible),
    )


def _maturity_text(value: int | None) -> str | None:
    return None if value is None else str(value)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def tracker(session: Session, *, document_key: str, today: dt.date | None = None) -> Tracker:
    """A public resolution with each of its public commitments, status, history, evidence."""
    document = get_instrument(session, key=document_key)
    today = today or dt.date.today()
    visible = {i.key for i in register.list_instruments(session, PUBLIC)}
    details = register.commitments_for_document(
        session, PUBLIC, document_key=document_key, today=today
    )
    served = _initiatives_by_commitment(session)
    commitments = []
    for detail in details:
        c = detail.commitment
        _doc, label = _document_and_label(c.key)
        commitments.append(
            CommitmentView(
                key=c.key,
                label=label,
                title=dict(c.title or {}),
                description=dict(c.description or {}),
                status=c.status,
                target_on=c.target_on,
                overdue=detail.overdue,
                nations=list(c.nations),
                domains=list(c.domains),
                updated_at=_aware(c.updated_at),
                history=[_entry(e, visible) for e in detail.history],
                initiatives=served.get(c.id, []),
            )
        )
    commitments.sort(key=lambda v: (int(v.label) if v.label else 10_000, v.key))
    report = register.progress(
        session, PUBLIC, query=register.CommitmentQuery(document_key=document_key), today=today
    )
    timeline = [(p.month, dict(p.counts)) for p in report.timeline]
    return Tracker(document, commitments, report.progress, timeline)


def _initiatives_by_commitment(session: Session) -> dict[int, list[InitiativeRef]]:
    served: dict[int, list[InitiativeRef]] = {}
    for item in _all_initiatives(session):
        for link in item.commitment_links:
            served.setdefault(link.commitment_id, []).append(
                InitiativeRef(item.key, dict(item.name or {}), item.maturity)
            )
    return served


# --- initiatives ---------------------------------------------------------------------------


def _all_initiatives(session: Session) -> list[Any]:
    items: list[Any] = []
    page = 1
    while True:
        result = register.list_initiatives(session, PUBLIC, sort="key", page=page, page_size=ALL)
        items += list(result.items)
        if len(items) >= result.total or not result.items:
            return items
        page += 1


def _commitment_titles(
    session: Session, ids: Sequence[int]
) -> dict[int, tuple[str, dict[str, str]]]:
    """Titles of the public commitments among ``ids`` (others are simply absent)."""
    if not ids:
        return {}
    page = register.list_commitments(
        session, PUBLIC, query=register.CommitmentQuery(ids=tuple(sorted(set(ids)))), page_size=ALL
    )
    return {c.id: (c.key, dict(c.title or {})) for c in page.items}


def list_initiatives(session: Session) -> list[InitiativeView]:
    """Public initiatives, most mature first, then by key."""
    items = _all_initiatives(session)
    titles = _commitment_titles(
        session, [link.commitment_id for item in items for link in item.commitment_links]
    )
    views = [
        _initiative(
            item,
            [
                titles[link.commitment_id]
                for link in item.commitment_links
                if link.commitment_id in titles
            ],
        )
        for item in items
    ]
    return sorted(views, key=lambda v: (-v.maturity, v.key))


def _initiative(
    item: Any, commitments: list[tuple[str, dict[str, str]]], history: list[EntryView] | None = None
) -> InitiativeView:
    return InitiativeView(
        key=item.key,
        name=dict(item.name or {}),
        description=dict(item.description or {}),
        maturity=int(item.maturity),
        nations=list(item.nations),
        domains=list(item.domains),
        illustrative=bool(item.illustrative),
        sources=item.sources or "",
        updated_at=_aware(item.updated_at),
        commitments=sorted(commitments),
        history=history or [],
    )


def get_initiative(session: Session, *, key: str) -> InitiativeView:
    """One public initiative with the public commitments it serves and its maturity history."""
    found = [item for item in _all_initiatives(session) if item.key == key]
    if not found:
        raise _not_found()
    item = found[0]
    titles = _commitment_titles(session, [link.commitment_id for link in item.commitment_links])
    visible = {i.key for i in register.list_instruments(session, PUBLIC)}
    history = [
        _entry(e, visible, status=False)
        for e in register.initiative_history(session, PUBLIC, initiative_id=item.id)
    ]
    return _initiative(item, list(titles.values()), history)


# --- changes, home, search -----------------------------------------------------------------


def recent_changes(session: Session, *, limit: int = 20) -> list[ChangeView]:
    """The latest status changes of public commitments, newest first."""
    changes = []
    for change in register.recent_changes(session, PUBLIC, limit=limit):
        document, label = _document_and_label(change.commitment_key)
        entry = change.entry
        changes.append(
            ChangeView(
                at=_aware(entry.at),
                commitment_key=change.commitment_key,
                document_key=document,
                anchor="request-" + label.zfill(2) if label else "",
                title=dict(change.commitment_title or {}),
                from_status=entry.from_status,
                to_status=entry.to_status,
                nation=entry.nation or "",
                comment=entry.comment or "",
                evidence=len(entry.evidence),
            )
        )
    return changes


def home(session: Session, *, document_key: str, today: dt.date | None = None) -> Home:
    """What the home page shows: domains, flagship initiatives, recent changes, the tracker."""
    initiatives = list_initiatives(session)
    by_domain = dict(register.progress_breakdown(session, PUBLIC, by="domain", today=today))
    domains = []
    for domain in register_logic.Domain:
        progress = by_domain.get(domain.value)
        count = sum(1 for i in initiatives if domain.value in i.domains)
        domains.append(
            DomainSummary(
                domain.value,
                progress.total if progress else 0,
                progress.implemented if progress else 0,
                count,
            )
        )
    try:
        tracked: Tracker | None = tracker(session, document_key=document_key, today=today)
    except NotFound:
        tracked = None
    counts = {
        "initiatives": len(initiatives),
        "instruments": len(register.list_instruments(session, PUBLIC)),
        "commitments": tracked.progress.total if tracked else 0,
    }
    return Home(domains, initiatives[:6], recent_changes(session, limit=5), tracked, counts)


@dataclass(frozen=True)
class SearchResult:
    query: str
    commitments: list[tuple[str, str, dict[str, str], str]]
    initiatives: list[InitiativeView]
    instruments: list[InstrumentView]

    @property
    def total(self) -> int:
        return len(self.commitments) + len(self.initiatives) + len(self.instruments)


def search(session: Session, *, q: str, limit: int = 50) -> SearchResult:
    """Public commitments and initiatives matching ``q`` (full-text, access-filtered index) and
    public instruments whose key, number or title contains it."""
    q = q.strip()[:200]
    if not q:
        return SearchResult("", [], [], [])
    page = register.list_commitments(
        session, PUBLIC, query=register.CommitmentQuery(q=q), page_size=limit
    )
    commitments = []
    for c in page.items:
        document, label = _document_and_label(c.key)
        commitments.append(
            (document, "request-" + label.zfill(2) if label else "", dict(c.title or {}), c.status)
        )
    found = register.list_initiatives(
        session, PUBLIC, query=register.InitiativeQuery(q=q), page_size=limit
    )
    wanted = {item.key for item in found.items}
    initiatives = [v for v in list_initiatives(session) if v.key in wanted]
    needle = q.lower()
    instruments = [
        i
        for i in list_instruments(session)
        if needle in i.key.lower()
        or needle in i.identifier.lower()
        or any(needle in text.lower() for text in i.title.values())
    ][:limit]
    return SearchResult(q, commitments, initiatives, instruments)
