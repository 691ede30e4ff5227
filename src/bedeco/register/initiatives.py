"""Use cases of initiatives: concrete cooperation projects with a maturity level and history.

Re-exported by ``register.service``; call them from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from bedeco import search
from bedeco.audit.service import record_event
from bedeco.db import utcnow
from bedeco.errors import Conflict, InvalidInput, NotFound
from bedeco.i18n import N_
from bedeco.register import logic
from bedeco.register.access import (
    EvidenceInput,
    author_of,
    check_domains,
    check_key,
    check_marking,
    check_nations,
    check_text,
    marking_of,
    require,
    valid_id,
)
from bedeco.register.model import (
    Commitment,
    Initiative,
    InitiativeCommitment,
    InitiativeDomain,
    InitiativeEntry,
)
from bedeco.register.queries import nation_clause
from bedeco.register.service import (
    Page,
    _check_version,
    _finish_edit,
    _flush_versioned,
    check_evidence,
)
from bedeco.security.logic import Action, Classification, Principal
from bedeco.security.restrict import access_clause, restrict

INITIATIVE_SCOPE = "register.initiative"
SORTS: dict[str, Any] = {
    "key": Initiative.key,
    "maturity": Initiative.maturity,
    "updated": Initiative.updated_at,
}


def _maturity(value: int | str) -> logic.Maturity:
    try:
        return logic.Maturity(int(value))
    except (TypeError, ValueError):
        raise InvalidInput(N_("maturity must be a level from 0 to 5"), field="maturity") from None


def _commitment_ids(session: Session, principal: Principal, keys: Iterable[str]) -> list[int]:
    keys = sorted({k.strip() for k in keys if k and k.strip()})
    if not keys:
        return []
    found = dict(
        session.execute(
            select(Commitment.key, Commitment.id).where(
                access_clause(Commitment, principal), Commitment.key.in_(keys)
            )
        ).all()
    )
    missing = [k for k in keys if k not in found]
    if missing:
        raise InvalidInput(
            N_("no such commitments: {keys}"),
            field="commitments",
            values={"keys": ", ".join(missing)},
        )
    return [found[k] for k in keys]


def _index(session: Session, initiative: Initiative) -> None:
    texts = {
        lang: [initiative.name.get(lang, ""), initiative.description.get(lang, "")]
        for lang in set(initiative.name) | set(initiative.description)
    }
    search.index_record(
        session,
        scope=INITIATIVE_SCOPE,
        record_id=initiative.id,
        texts=texts,
        marking=initiative.marking,
    )


def create_initiative(
    session: Session,
    principal: Principal,
    *,
    key: str,
    name: Mapping[str, str],
    description: Mapping[str, str] | None = None,
    maturity: int = 0,
    nations: Iterable[str] = (),
    domains: Iterable[str] = (),
    commitments: Iterable[str] = (),
    illustrative: bool = False,
    sources: str = "",
    classification: str = Classification.RESTRICTED.value,
    releasable_to: Iterable[str] = ("BEL", "NLD", "LUX"),
    comment: str = "",
) -> Initiative:
    """Enter an initiative (contributors); ``commitments`` are keys of commitments it serves."""
    level, rel = check_marking(classification, releasable_to)
    require(principal, marking_of(level, rel), Action.CHANGE, "initiative")
    key = check_key(key)
    if session.scalar(select(Initiative.id).where(Initiative.key == key)) is not None:
        raise Conflict(f"an initiative with key {key!r} exists already", field="key")
    level_ = _maturity(maturity)
    initiative = Initiative(
        key=key,
        name=check_text(name, "name", required=True),
        description=check_text(description, "description", required=False),
        maturity=int(level_),
        illustrative=bool(illustrative),
        sources=sources.strip()[:200],
    )
    initiative.set_nations(check_nations(nations, "nations"))
    initiative.set_marking(level, rel)
    initiative.domain_links = [InitiativeDomain(domain=d) for d in check_domains(domains)]
    initiative.commitment_links = [
        InitiativeCommitment(commitment_id=i)
        for i in _commitment_ids(session, principal, commitments)
    ]
    session.add(initiative)
    session.flush()
    author, nation = author_of(principal)
    session.add(
        InitiativeEntry(
            initiative_id=initiative.id,
            author=author,
            nation=nation,
            from_maturity=None,
            to_maturity=int(level_),
            comment=comment.strip(),
            changes={"created": True},
        )
    )
    _index(session, initiative)
    session.flush()
    record_event(
        session,
        principal,
        action="initiative.create",
        object_type="register_initiative",
        object_id=str(initiative.id),
        change={"key": key, "maturity": int(level_), "classification": level},
    )
    return initiative


def get_initiative(session: Session, principal: Principal, *, initiative_id: int) -> Initiative:
    """The initiative, or ``NotFound`` when it does not exist or may not be seen."""
    if not valid_id(initiative_id):
        raise NotFound(f"no initiative {initiative_id}", field="initiative_id")
    initiative = session.scalar(
        restrict(select(Initiative), Initiative, principal).where(Initiative.id == initiative_id)
    )
    if initiative is None:
        raise NotFound(f"no initiative {initiative_id}", field="initiative_id")
    return initiative


def change_maturity(
    session: Session,
    principal: Principal,
    *,
    initiative_id: int,
    maturity: int,
    expected_version: int | None,
    comment: str = "",
    evidence: Iterable[EvidenceInput] = (),
) -> InitiativeEntry:
    """Move an initiative to another maturity level; going down needs a reason (the comment)."""
    initiative = get_initiative(session, principal, initiative_id=initiative_id)
    require(principal, initiative.marking, Action.CHANGE, "initiative")
    _check_version(initiative, expected_version)
    level = _maturity(maturity)
    if int(level) == initiative.maturity:
        raise InvalidInput("the initiative is already at this level", field="maturity")
    if int(level) < initiative.maturity and not comment.strip():
        raise InvalidInput("going down a level needs a reason in the comment", field="comment")
    author, nation = author_of(principal)
    entry = InitiativeEntry(
        initiative_id=initiative.id,
        author=author,
        nation=nation,
        from_maturity=initiative.maturity,
        to_maturity=int(level),
        comment=comment.strip(),
        changes={},
        evidence=check_evidence(session, principal, evidence),
    )
    session.add(entry)
    initiative.maturity = int(level)
    initiative.updated_at = utcnow()
    _flush_versioned(session)
    record_event(
        session,
        principal,
        action="initiative.maturity",
        object_type="register_initiative",
        object_id=str(initiative.id),
        change={"from": entry.from_maturity, "to": int(level), "comment": entry.comment},
    )
    return entry


def update_initiative(
    session: Session,
    principal: Principal,
    *,
    initiative_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
    comment: str = "",
) -> Initiative:
    """Change an initiative's name, description, nations, domains or commitments."""
    initiative = get_initiative(session, principal, initiative_id=initiative_id)
    require(principal, initiative.marking, Action.CHANGE, "initiative")
    _check_version(initiative, expected_version)
    done: dict[str, Any] = {}
    for field_name, value in changes.items():
        if field_name in ("name", "description"):
            setattr(
                initiative, field_name, check_text(value, field_name, required=field_name == "name")
            )
            done[field_name] = getattr(initiative, field_name)
        elif field_name == "nations":
            initiative.set_nations(check_nations(value, "nations"))
            done[field_name] = initiative.nations
        elif field_name == "domains":
            codes = check_domains(value)
            initiative.domain_links = [
                InitiativeDomain(initiative_id=initiative.id, domain=d) for d in codes
            ]
            done[field_name] = codes
        elif field_name == "commitments":
            ids = _commitment_ids(session, principal, value)
            initiative.commitment_links = [
                InitiativeCommitment(initiative_id=initiative.id, commitment_id=i) for i in ids
            ]
            done[field_name] = sorted(value)
        else:
            raise InvalidInput(f"{field_name} cannot be changed here", field=field_name)
    if not done:
        return initiative
    author, nation = author_of(principal)
    entry = InitiativeEntry(
        initiative_id=initiative.id,
        author=author,
        nation=nation,
        from_maturity=initiative.maturity,
        to_maturity=initiative.maturity,
        comment=comment.strip(),
        changes=done,
    )
    _finish_edit(
        session,
        principal,
        record=initiative,
        entry=entry,
        reindex=lambda: _index(session, initiative),
        action="initiative.update",
        done=done,
    )
    return initiative


def initiative_history(
    session: Session, principal: Principal, *, initiative_id: int
) -> list[InitiativeEntry]:
    get_initiative(session, principal, initiative_id=initiative_id)
    return list(
        session.scalars(
            select(InitiativeEntry)
            .where(InitiativeEntry.initiative_id == initiative_id)
            .order_by(InitiativeEntry.at, InitiativeEntry.id)
        )
    )


def initiative_commitment_keys(
    session: Session, principal: Principal, *, initiative: Initiative
) -> list[Commitment]:
    """The commitments an initiative serves that the principal may see."""
    ids = [link.commitment_id for link in initiative.commitment_links]
    if not ids:
        return []
    return list(
        session.scalars(
            restrict(select(Commitment), Commitment, principal)
            .where(Commitment.id.in_(ids))
            .order_by(Commitment.key)
        )
    )


@dataclass(frozen=True)
class InitiativeQuery:
    domain: str = ""
    nation: str = ""
    maturity: int | None = None
    q: str = ""
    commitment_id: int | None = None


def list_initiatives(
    session: Session,
    principal: Principal,
    *,
    query: InitiativeQuery | None = None,
    sort: str = "key",
    page: int = 1,
    page_size: int = 25,
) -> Page:
    """A page of initiatives the principal may see, with filters and full-text search."""
    query = query or InitiativeQuery()
    clauses: list[Any] = [access_clause(Initiative, principal)]
    if query.domain:
        clauses.append(
            exists().where(
                InitiativeDomain.initiative_id == Initiative.id,
                InitiativeDomain.domain == query.domain,
            )
        )
    if query.nation:
        clauses.append(nation_clause(Initiative, query.nation))
    if query.maturity is not None:
        clauses.append(Initiative.maturity == int(_maturity(query.maturity)))
    if query.commitment_id is not None:
        clauses.append(
            exists().where(
                InitiativeCommitment.initiative_id == Initiative.id,
                InitiativeCommitment.commitment_id == query.commitment_id,
            )
        )
    if query.q.strip():
        clauses.append(
            Initiative.id.in_(
                search.matching_ids(session, principal, scope=INITIATIVE_SCOPE, query=query.q)
            )
        )
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"))
    if column is None:
        raise InvalidInput("sort must be key, maturity or updated (- for descending)", field="sort")
    total = session.scalar(select(func.count(Initiative.id)).where(*clauses)) or 0
    items = session.scalars(
        select(Initiative)
        .where(*clauses)
        .order_by(column.desc() if descending else column.asc(), Initiative.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return Page(list(items), total, page, page_size)
