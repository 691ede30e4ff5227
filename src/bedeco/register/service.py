"""Use cases of the register: instruments, provisions, commitments and their status workflow.

Every function takes ``(session, principal, *, ...)``, checks access with the
foundation's rule, records an audit event for every change, and flushes
without committing. Lists and the change stamp live in ``queries``,
initiatives, progress and import/export in ``initiatives``, ``reporting`` and
``transfer``; all are re-exported here, so other capabilities import
``bedeco.register.service`` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from bedeco import search
from bedeco.audit.service import record_event
from bedeco.db import utcnow
from bedeco.errors import Conflict, IllegalTransition, InvalidInput, NotFound, StaleVersion
from bedeco.i18n import N_
from bedeco.register import logic
from bedeco.register.access import (
    EvidenceInput,
    author_of,
    can,
    check_domains,
    check_key,
    check_marking,
    check_nations,
    check_text,
    marking_of,
    parse_date,
    require,
    valid_id,
)
from bedeco.register.instruments import (
    get_instrument,
    list_instruments,
    list_provisions,
    list_relations,
    provision_citations,
    record_provisions,
    relate_instruments,
    save_instrument,
)
from bedeco.register.model import (
    Commitment,
    CommitmentDomain,
    Evidence,
    StatusEntry,
)
from bedeco.register.queries import (
    COMMITMENT_SCOPE,
    SORTS,
    ChangeStamp,
    CommitmentDetail,
    CommitmentQuery,
    Page,
    change_stamp,
    commitment_filter,
    commitments_for_document,
    list_commitments,
)
from bedeco.security.logic import Action, Classification, Principal
from bedeco.security.restrict import restrict

# --- commitments ---------------------------------------------------------------------------


def _sort_title(title: Mapping[str, str]) -> str:
    for lang in ("en", "nl", "fr", "de"):
        if title.get(lang):
            return title[lang][:200].lower()
    return ""


def _index_commitment(session: Session, commitment: Commitment) -> None:
    texts: dict[str, list[str]] = {}
    for lang in set(commitment.title) | set(commitment.description):
        texts[lang] = [commitment.title.get(lang, ""), commitment.description.get(lang, "")]
    search.index_record(
        session,
        scope=COMMITMENT_SCOPE,
        record_id=commitment.id,
        texts=texts,
        marking=commitment.marking,
    )


def _next_key(session: Session) -> str:
    count = session.scalar(select(func.count(Commitment.id))) or 0
    while True:
        count += 1
        key = f"C-{count:05d}"
        if session.scalar(select(Commitment.id).where(Commitment.key == key)) is None:
            return key


def create_commitment(
    session: Session,
    principal: Principal,
    *,
    title: Mapping[str, str],
    key: str | None = None,
    description: Mapping[str, str] | None = None,
    source_key: str | None = None,
    provision_id: int | None = None,
    nations: Iterable[str] = (),
    domains: Iterable[str] = (),
    target_on: str | dt.date | None = None,
    classification: str = Classification.RESTRICTED.value,
    releasable_to: Iterable[str] = ("BEL", "NLD", "LUX"),
    status: str = logic.Status.PROPOSED.value,
    comment: str = "",
) -> Commitment:
    """Enter a commitment (contributors): it starts as proposed unless a coordinator says more."""
    level, rel = check_marking(classification, releasable_to)
    require(principal, marking_of(level, rel), Action.CHANGE, "commitment")
    key = check_key(key) if key else _next_key(session)
    if session.scalar(select(Commitment.id).where(Commitment.key == key)) is not None:
        raise Conflict(
            N_("a commitment with key {key} exists already"), field="key", values={"key": key}
        )
    initial = logic.parse_status(status)
    if initial is None:
        raise InvalidInput("unknown status", field="status")
    if initial is not logic.Status.PROPOSED and not can(
        principal, marking_of(level, rel), Action.COORDINATE
    ):
        raise IllegalTransition(N_("only a coordinator may enter a commitment beyond proposed"))
    source_id = get_instrument(session, principal, key=source_key).id if source_key else None
    title_text = check_text(title, "title", required=True)
    commitment = Commitment(
        key=key,
        title=title_text,
        description=check_text(description, "description", required=False),
        source_id=source_id,
        provision_id=provision_id,
        status=initial.value,
        target_on=parse_date(target_on, "target_on"),
        sort_title=_sort_title(title_text),
    )
    commitment.set_nations(check_nations(nations, "nations"))
    commitment.set_marking(level, rel)
    commitment.domain_links = [CommitmentDomain(domain=d) for d in check_domains(domains)]
    session.add(commitment)
    session.flush()
    author, nation = author_of(principal)
    session.add(
        StatusEntry(
            commitment_id=commitment.id,
            author=author,
            nation=nation,
            from_status=None,
            to_status=initial.value,
            comment=comment.strip(),
            changes={"created": True},
        )
    )
    _index_commitment(session, commitment)
    session.flush()
    record_event(
        session,
        principal,
        action="commitment.create",
        object_type="register_commitment",
        object_id=str(commitment.id),
        change={"key": key, "status": initial.value, "classification": level},
    )
    return commitment


def get_commitment(
    session: Session, principal: Principal, *, commitment_id: int, for_update: bool = False
) -> Commitment:
    """The commitment, or ``NotFound`` when it does not exist or may not be seen."""
    if not valid_id(commitment_id):
        raise NotFound(f"no commitment {commitment_id}", field="commitment_id")
    statement = restrict(select(Commitment), Commitment, principal).where(
        Commitment.id == commitment_id
    )
    if for_update and session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=Commitment)
    commitment = session.scalar(statement.options(joinedload(Commitment.source)))
    if commitment is None:
        raise NotFound(f"no commitment {commitment_id}", field="commitment_id")
    return commitment


def get_commitment_by_key(session: Session, principal: Principal, *, key: str) -> Commitment:
    commitment = session.scalar(
        restrict(select(Commitment), Commitment, principal).where(Commitment.key == key)
    )
    if commitment is None:
        raise NotFound(f"no commitment {key!r}", field="key")
    return commitment


def _check_version(commitment: Commitment | Any, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != commitment.version:
        raise StaleVersion(
            N_(
                "the record changed since you loaded it (version {expected}, now {current}); "
                "reload, your input is kept"
            ),
            values={"expected": expected_version, "current": commitment.version},
            field="version",
        )


def _flush_versioned(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(
            N_("the record was changed by someone else at the same time; reload"),
            field="version",
        ) from None


def _finish_edit(
    session: Session,
    principal: Principal,
    *,
    record: Any,
    entry: Any,
    reindex: Callable[[], None],
    action: str,
    done: dict[str, Any],
) -> None:
    """Close an edit of a record's fields: its history entry, the version check
    (a concurrent edit is ``StaleVersion``), the search index and the audit event."""
    session.add(entry)
    record.updated_at = utcnow()
    _flush_versioned(session)
    reindex()
    session.flush()
    record_event(
        session,
        principal,
        action=action,
        object_type=record.__tablename__,
        object_id=str(record.id),
        change={k: str(v) for k, v in done.items()},
    )


def check_evidence(
    session: Session, principal: Principal, items: Iterable[EvidenceInput]
) -> list[Evidence]:
    """Evidence rows for the inputs, each checked: a visible instrument, a non-empty document
    reference, an http(s) link, or a file with a SHA-256."""
    rows = []
    for item in items:
        try:
            kind = logic.EvidenceKind(item.kind)
        except ValueError:
            allowed = ", ".join(k.value for k in logic.EvidenceKind)
            raise InvalidInput(
                f"evidence kind must be one of {allowed}", field="evidence_kind"
            ) from None
        row = Evidence(kind=kind.value)
        if kind is logic.EvidenceKind.INSTRUMENT:
            try:
                row.instrument_key = get_instrument(session, principal, key=item.instrument_key).key
            except NotFound:
                raise InvalidInput(
                    N_("choose an instrument of the register as evidence"),
                    field="evidence_instrument",
                ) from None
        elif kind is logic.EvidenceKind.DOCUMENT:
            if not item.reference.strip():
                raise InvalidInput(N_("give the document reference"), field="evidence_reference")
            row.reference = item.reference.strip()[:1000]
        elif kind is logic.EvidenceKind.LINK:
            if not logic.valid_link(item.reference):
                raise InvalidInput(
                    N_("the evidence link must be an http(s) address"),
                    field="evidence_reference",
                )
            row.reference = item.reference.strip()
        else:
            from bedeco.register.access import SHA256

            if not SHA256.match(item.sha256):
                raise InvalidInput("the evidence file has no valid SHA-256", field="evidence_file")
            row.sha256 = item.sha256
            row.file_name = item.file_name[:255]
            row.media_type = item.media_type[:100]
            row.size = item.size
        rows.append(row)
    return rows


def change_status(
    session: Session,
    principal: Principal,
    *,
    commitment_id: int,
    status: str,
    expected_version: int | None,
    comment: str = "",
    evidence: Iterable[EvidenceInput] = (),
) -> StatusEntry:
    """Move a commitment along the workflow; an illegal move raises ``IllegalTransition`` with
    the reason, a stale version ``StaleVersion``. The change is a dated entry and an audit event."""
    commitment = get_commitment(session, principal, commitment_id=commitment_id, for_update=True)
    require(principal, commitment.marking, Action.CHANGE, "commitment")
    _check_version(commitment, expected_version)
    target = logic.parse_status(status)
    if target is None:
        allowed = ", ".join(s.value for s in logic.Status)
        raise InvalidInput(
            N_("status must be one of {allowed}"), field="status", values={"allowed": allowed}
        )
    rows = check_evidence(session, principal, evidence)
    refusal = logic.transition_refusal(
        logic.Status(commitment.status),
        target,
        comment=comment,
        evidence_count=len(rows),
        coordinator=can(principal, commitment.marking, Action.COORDINATE),
    )
    if refusal is not None:
        raise IllegalTransition(refusal[0], field="status", values=refusal[1])
    author, nation = author_of(principal)
    entry = StatusEntry(
        commitment_id=commitment.id,
        author=author,
        nation=nation,
        from_status=commitment.status,
        to_status=target.value,
        comment=comment.strip(),
        changes={},
        evidence=rows,
    )
    session.add(entry)
    commitment.status = target.value
    commitment.updated_at = utcnow()
    _flush_versioned(session)
    record_event(
        session,
        principal,
        action="commitment.status",
        object_type="register_commitment",
        object_id=str(commitment.id),
        change={
            "from": entry.from_status,
            "to": target.value,
            "comment": entry.comment,
            "evidence": [r.sha256 or r.reference or r.instrument_key for r in rows],
        },
    )
    return entry


def add_note(
    session: Session,
    principal: Principal,
    *,
    commitment_id: int,
    expected_version: int | None,
    comment: str,
    evidence: Iterable[EvidenceInput] = (),
) -> StatusEntry:
    """Record progress or evidence without changing the status (a dated entry all the same)."""
    commitment = get_commitment(session, principal, commitment_id=commitment_id, for_update=True)
    require(principal, commitment.marking, Action.CHANGE, "commitment")
    _check_version(commitment, expected_version)
    rows = check_evidence(session, principal, evidence)
    if not comment.strip() and not rows:
        raise InvalidInput(N_("write a comment or add evidence"), field="comment")
    author, nation = author_of(principal)
    entry = StatusEntry(
        commitment_id=commitment.id,
        author=author,
        nation=nation,
        from_status=commitment.status,
        to_status=commitment.status,
        comment=comment.strip(),
        changes={},
        evidence=rows,
    )
    session.add(entry)
    commitment.updated_at = utcnow()
    _flush_versioned(session)
    record_event(
        session,
        principal,
        action="commitment.note",
        object_type="register_commitment",
        object_id=str(commitment.id),
        change={"comment": entry.comment, "evidence": [r.sha256 or r.reference for r in rows]},
    )
    return entry


EDITABLE = ("title", "description", "nations", "domains", "target_on", "source_key")


def update_commitment(
    session: Session,
    principal: Principal,
    *,
    commitment_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
    comment: str = "",
) -> Commitment:
    """Change a commitment's fields (``EDITABLE``, plus the marking for coordinators)."""
    commitment = get_commitment(session, principal, commitment_id=commitment_id, for_update=True)
    require(principal, commitment.marking, Action.CHANGE, "commitment")
    _check_version(commitment, expected_version)
    done: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            commitment.title = check_text(value, "title", required=True)
            commitment.sort_title = _sort_title(commitment.title)
            done[name] = commitment.title
        elif name == "description":
            commitment.description = check_text(value, "description", required=False)
            done[name] = commitment.description
        elif name == "nations":
            commitment.set_nations(check_nations(value, "nations"))
            done[name] = commitment.nations
        elif name == "domains":
            codes = check_domains(value)
            commitment.domain_links = [
                CommitmentDomain(commitment_id=commitment.id, domain=d) for d in codes
            ]
            done[name] = codes
        elif name == "target_on":
            commitment.target_on = parse_date(value, "target_on")
            done[name] = commitment.target_on.isoformat() if commitment.target_on else None
        elif name == "source_key":
            commitment.source_id = (
                get_instrument(session, principal, key=value).id if value else None
            )
            done[name] = value or None
        elif name == "marking":
            require(principal, commitment.marking, Action.COORDINATE, "commitment")
            level, rel = check_marking(
                value.get("classification", ""), value.get("releasable_to", ())
            )
            commitment.set_marking(level, rel)
            done[name] = {"classification": level, "releasable_to": sorted(rel)}
        else:
            raise InvalidInput(f"{name} cannot be changed here", field=name)
    if not done:
        return commitment
    author, nation = author_of(principal)
    entry = StatusEntry(
        commitment_id=commitment.id,
        author=author,
        nation=nation,
        from_status=commitment.status,
        to_status=commitment.status,
        comment=comment.strip(),
        changes=done,
    )
    _finish_edit(
        session,
        principal,
        record=commitment,
        entry=entry,
        reindex=lambda: _index_commitment(session, commitment),
        action="commitment.update",
        done=done,
    )
    return commitment


def commitment_history(
    session: Session, principal: Principal, *, commitment_id: int
) -> list[StatusEntry]:
    """The dated entries of a visible commitment, oldest first, with their evidence."""
    get_commitment(session, principal, commitment_id=commitment_id)
    return list(
        session.scalars(
            select(StatusEntry)
            .where(StatusEntry.commitment_id == commitment_id)
            .order_by(StatusEntry.at, StatusEntry.id)
        )
    )


def is_overdue(commitment: Commitment, today: dt.date | None = None) -> bool:
    return logic.is_overdue(commitment.target_on, commitment.status, today or dt.date.today())


__all__ = [  # noqa: RUF022  (grouped by what they are)
    "COMMITMENT_SCOPE",
    "ChangeStamp",
    "CommitmentDetail",
    "CommitmentQuery",
    "EDITABLE",
    "EvidenceInput",
    "Page",
    "SORTS",
    "add_note",
    "change_stamp",
    "change_status",
    "check_evidence",
    "commitment_filter",
    "commitment_history",
    "commitments_for_document",
    "create_commitment",
    "get_commitment",
    "get_commitment_by_key",
    "get_instrument",
    "is_overdue",
    "list_commitments",
    "list_instruments",
    "list_provisions",
    "list_relations",
    "provision_citations",
    "record_provisions",
    "relate_instruments",
    "save_instrument",
    "update_commitment",
]

# Re-exported so that other capabilities import this module only; resolved on first use
# (PEP 562) because those modules build on the functions above.
_REEXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ["EvidenceTooLarge", "evidence_dir", "evidence_file_path", "store_evidence_file"], "access"
    ),
    **dict.fromkeys(
        [
            "InitiativeQuery",
            "change_maturity",
            "create_initiative",
            "get_initiative",
            "initiative_history",
            "list_initiatives",
            "update_initiative",
        ],
        "initiatives",
    ),
    **dict.fromkeys(
        [
            "Graph",
            "ProgressReport",
            "citation_graph",
            "progress",
            "progress_breakdown",
            "recent_changes",
        ],
        "reporting",
    ),
    **dict.fromkeys(
        [
            "cited_files",
            "evidence_files_of",
            "export_data",
            "from_csv_zip",
            "from_yaml",
            "import_data",
            "keep_evidence_files",
            "to_csv_zip",
            "to_yaml",
        ],
        "transfer",
    ),
}


def __getattr__(name: str) -> Any:
    module = _REEXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"bedeco.register.{module}"), name)
