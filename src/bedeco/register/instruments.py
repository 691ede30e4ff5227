"""Use cases of instruments and provisions: the texts of the cooperation and their clauses.

Re-exported by ``register.service``; call them from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bedeco.audit.service import record_event
from bedeco.errors import InvalidInput, NotFound
from bedeco.register import logic
from bedeco.register.access import (
    ProvisionInput,
    check_key,
    check_marking,
    check_text,
    marking_of,
    parse_date,
    require,
)
from bedeco.register.model import (
    Commitment,
    Instrument,
    InstrumentRelation,
    Provision,
    ProvisionCitation,
)
from bedeco.security.logic import Action, Classification, Principal
from bedeco.security.restrict import restrict

# --- instruments ---------------------------------------------------------------------------


def list_instruments(
    session: Session, principal: Principal, *, kind: str | None = None
) -> list[Instrument]:
    """Instruments the principal may see, oldest first."""
    statement = restrict(select(Instrument), Instrument, principal)
    if kind:
        statement = statement.where(Instrument.kind == kind)
    statement = statement.order_by(
        Instrument.issued_on.is_(None), Instrument.issued_on, Instrument.key
    )
    return list(session.scalars(statement))


def get_instrument(session: Session, principal: Principal, *, key: str) -> Instrument:
    instrument = session.scalar(
        restrict(select(Instrument), Instrument, principal).where(Instrument.key == key)
    )
    if instrument is None:
        raise NotFound(f"no instrument {key!r}", field="key")
    return instrument


def list_relations(session: Session, principal: Principal) -> list[InstrumentRelation]:
    """Relations whose two ends the principal may both see."""
    visible = restrict(select(Instrument.id), Instrument, principal)
    statement = (
        select(InstrumentRelation)
        .options(joinedload(InstrumentRelation.source), joinedload(InstrumentRelation.target))
        .where(InstrumentRelation.source_id.in_(visible), InstrumentRelation.target_id.in_(visible))
        .order_by(InstrumentRelation.id)
    )
    return list(session.scalars(statement))


def save_instrument(
    session: Session,
    principal: Principal,
    *,
    key: str,
    kind: str,
    title: Mapping[str, str],
    identifier: str = "",
    issued_on: str | dt.date | None = None,
    date_text: str = "",
    issuer: Mapping[str, str] | None = None,
    url: str = "",
    note: Mapping[str, str] | None = None,
    classification: str = Classification.PUBLIC.value,
    releasable_to: Iterable[str] = (),
) -> Instrument:
    """Create or update the instrument ``key`` (coordinators)."""
    key = check_key(key)
    try:
        kind = logic.InstrumentKind(kind).value
    except ValueError:
        allowed = ", ".join(k.value for k in logic.InstrumentKind)
        raise InvalidInput(f"kind must be one of {allowed}", field="kind") from None
    level, nations = check_marking(classification, releasable_to)
    require(principal, marking_of(level, nations), Action.COORDINATE, "instrument")
    if url and not logic.valid_link(url):
        raise InvalidInput("url must be an http(s) address", field="url")
    values = {
        "kind": kind,
        "identifier": identifier.strip()[:80],
        "issued_on": parse_date(issued_on, "issued_on"),
        "date_text": date_text.strip()[:40],
        "issuer": check_text(issuer, "issuer", required=False),
        "title": check_text(title, "title", required=True),
        "url": url.strip(),
        "note": check_text(note, "note", required=False),
    }
    instrument = session.scalar(select(Instrument).where(Instrument.key == key))
    action = "instrument.update"
    if instrument is None:
        instrument = Instrument(key=key)
        session.add(instrument)
        action = "instrument.create"
    else:
        require(principal, instrument.marking, Action.COORDINATE, "instrument")
    for name, value in values.items():
        setattr(instrument, name, value)
    instrument.set_marking(level, nations)
    session.flush()
    record_event(
        session,
        principal,
        action=action,
        object_type="register_instrument",
        object_id=str(instrument.id),
        change={"key": key, **{k: str(v) for k, v in values.items()}, "classification": level},
    )
    return instrument


def relate_instruments(
    session: Session, principal: Principal, *, source_key: str, target_key: str, kind: str
) -> InstrumentRelation:
    """Record that ``source`` cites/answers/implements/supersedes/is part of ``target``."""
    try:
        kind = logic.RelationKind(kind).value
    except ValueError:
        allowed = ", ".join(k.value for k in logic.RelationKind)
        raise InvalidInput(f"kind must be one of {allowed}", field="kind") from None
    source = get_instrument(session, principal, key=source_key)
    target = get_instrument(session, principal, key=target_key)
    require(principal, source.marking, Action.COORDINATE, "instrument")
    if source.id == target.id:
        raise InvalidInput("an instrument cannot relate to itself", field="target_key")
    relation = session.scalar(
        select(InstrumentRelation).where(
            InstrumentRelation.source_id == source.id,
            InstrumentRelation.target_id == target.id,
            InstrumentRelation.kind == kind,
        )
    )
    if relation is None:
        relation = InstrumentRelation(source_id=source.id, target_id=target.id, kind=kind)
        session.add(relation)
        session.flush()
        record_event(
            session,
            principal,
            action="instrument.relate",
            object_type="register_instrument",
            object_id=str(source.id),
            change={"source": source.key, "target": target.key, "kind": kind},
        )
    return relation


# --- provisions ----------------------------------------------------------------------------


def _instrument_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    rows = session.execute(select(Instrument.key, Instrument.id).where(Instrument.key.in_(keys)))
    return {key: id_ for key, id_ in rows}


def _save_provision(
    session: Session,
    *,
    document_key: str,
    instrument_id: int | None,
    kind: str,
    item: ProvisionInput,
    position: int,
) -> Provision:
    provision = session.scalar(
        select(Provision).where(
            Provision.document_key == document_key,
            Provision.kind == kind,
            Provision.label == item.label,
        )
    )
    if provision is None:
        provision = Provision(document_key=document_key, kind=kind, label=item.label)
        session.add(provision)
    provision.instrument_id = instrument_id
    provision.position = position
    provision.text = check_text(item.text, "text", required=True)
    cited = _instrument_ids(session, item.cites)
    provision.cites = sorted(cited)
    session.flush()
    existing = set(
        session.scalars(
            select(ProvisionCitation.instrument_id).where(
                ProvisionCitation.provision_id == provision.id
            )
        )
    )
    for instrument_id_ in sorted(set(cited.values()) - existing):
        session.add(ProvisionCitation(provision_id=provision.id, instrument_id=instrument_id_))
    return provision


def record_provisions(
    session: Session,
    principal: Principal,
    *,
    document_key: str,
    requests: list[ProvisionInput],
    cited_instruments: list[str],
    recitals: list[ProvisionInput] | None = None,
    classification: str = Classification.PUBLIC.value,
    releasable_to: Iterable[str] = (),
    responsible: Iterable[str] = (),
) -> list[Commitment]:
    """Store a document's provisions and one commitment per request (idempotent).

    Called by the documents service on import. ``document_key`` names the
    document (an instrument key when the register holds it, e.g.
    ``be-chamber-56-0367``); each request becomes commitment
    ``<document_key>/request-<label>``; recitals are stored with the
    instruments they cite; ``cited_instruments`` (keys of the register) become
    "cites" relations of the document's instrument. Running it again updates
    texts and citations but never a commitment's status or history.
    """
    document_key = check_key(document_key, "document_key")
    level, nations = check_marking(classification, releasable_to)
    require(principal, marking_of(level, nations), Action.CHANGE, "commitment")
    document = session.scalar(select(Instrument).where(Instrument.key == document_key))
    document_id = document.id if document is not None else None
    for position, recital in enumerate(recitals or []):
        _save_provision(
            session,
            document_key=document_key,
            instrument_id=document_id,
            kind="recital",
            item=recital,
            position=position,
        )
    if document is not None:
        for key in cited_instruments:
            if key != document_key and _instrument_ids(session, [key]):
                relate_instruments(
                    session, principal, source_key=document_key, target_key=key, kind="cites"
                )
    commitments: list[Commitment] = []
    for position, request in enumerate(requests):
        provision = _save_provision(
            session,
            document_key=document_key,
            instrument_id=document_id,
            kind="request",
            item=request,
            position=position,
        )
        key = f"{document_key}/request-{request.label.zfill(2)}"
        commitment = session.scalar(select(Commitment).where(Commitment.key == key))
        if commitment is None:
            from bedeco.register.service import create_commitment

            commitment = create_commitment(
                session,
                principal,
                key=key,
                title=dict(provision.text),
                source_key=document_key if document is not None else None,
                provision_id=provision.id,
                nations=responsible,
                domains=request.domains,
                classification=level,
                releasable_to=nations,
                comment="recorded from " + document_key,
            )
        commitments.append(commitment)
    session.flush()
    return commitments


def list_provisions(
    session: Session, *, document_key: str, kind: str | None = None
) -> list[Provision]:
    """The provisions of a document in order (provisions are as public as the document text)."""
    statement = select(Provision).where(Provision.document_key == document_key)
    if kind:
        statement = statement.where(Provision.kind == kind)
    return list(session.scalars(statement.order_by(Provision.kind, Provision.position)))


def provision_citations(
    session: Session, principal: Principal
) -> dict[str, list[tuple[str, str, str]]]:
    """For each instrument key, the provisions citing it as (document key, kind, label), e.g.
    ``rec-936-2 → [("be-chamber-56-0367", "recital", "A")]``; provisions of a document the
    principal may not see are left out."""
    visible = restrict(select(Instrument.id), Instrument, principal)
    rows = session.execute(
        select(Instrument.key, Provision.document_key, Provision.kind, Provision.label)
        .join(ProvisionCitation, ProvisionCitation.instrument_id == Instrument.id)
        .join(Provision, Provision.id == ProvisionCitation.provision_id)
        .where(
            Instrument.id.in_(visible),
            Provision.instrument_id.is_(None) | Provision.instrument_id.in_(visible),
        )
        .order_by(Instrument.key, Provision.document_key, Provision.kind, Provision.position)
    )
    cited: dict[str, list[tuple[str, str, str]]] = {}
    for key, document_key, kind, label in rows:
        cited.setdefault(key, []).append((document_key, kind, label))
    return cited
