"""Reading the register: lists, a document's commitments, the change stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from bedeco.errors import InvalidInput
from bedeco.register import queries, service
from bedeco.register.access import ProvisionInput
from bedeco.register.model import Commitment
from bedeco.security.logic import ANONYMOUS, Principal


def test_lists_filter_by_domain_nation_status_and_overdue(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    late = make_commitment(domains=["cyber"], nations=["LUX"], target_on="2020-01-01")
    make_commitment(domains=["space"], nations=["NLD"], target_on="2099-01-01")
    today = dt.date(2026, 11, 29)

    def keys(**filters: object) -> set[int]:
        query = queries.CommitmentQuery(**filters)  # type: ignore[arg-type]
        page = queries.list_commitments(
            session, coordinator, query=query, today=today, page_size=200
        )
        return {c.id for c in page.items}

    assert late.id in keys(domain="cyber") and late.id not in keys(domain="space")
    assert late.id in keys(nation="LUX") and late.id not in keys(nation="NLD")
    assert late.id in keys(overdue=True) and len(keys(overdue=True) & keys(domain="space")) == 0
    assert late.id in keys(status="proposed")
    with pytest.raises(InvalidInput):
        queries.list_commitments(session, coordinator, sort="colour")


def test_the_seed_document_lists_its_commitments_with_history_for_the_public(
    session: Session, coordinator: Principal
) -> None:
    requests = [ProvisionInput(label=str(n), text={"nl": f"verzoek {n}"}) for n in range(1, 4)]
    service.record_provisions(
        session, coordinator, document_key="doc-y", requests=requests, cited_instruments=[]
    )
    details = queries.commitments_for_document(session, ANONYMOUS, document_key="doc-y")
    assert [d.commitment.key for d in details] == [f"doc-y/request-0{n}" for n in (1, 2, 3)]
    assert all(d.history[0].to_status == "proposed" and not d.overdue for d in details)
    changes = service.recent_changes(session, ANONYMOUS, limit=2)
    assert len(changes) == 2 and changes[0].entry.at >= changes[1].entry.at


def test_the_change_stamp_moves_with_visible_changes_only(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    first = queries.change_stamp(session, ANONYMOUS)
    public = make_commitment(classification="PUBLIC")
    session.flush()
    added = queries.change_stamp(session, ANONYMOUS)
    assert added.token != first.token and added.latest is not None
    assert added.latest.tzinfo is not None
    make_commitment(classification="RESTRICTED", releasable_to=["BEL"])
    session.flush()
    # A restricted commitment changes what BEL sees, not what the public sees.
    assert queries.change_stamp(session, ANONYMOUS) == added
    assert queries.change_stamp(session, coordinator).token != added.token
    service.update_commitment(
        session,
        coordinator,
        commitment_id=public.id,
        expected_version=public.version,
        changes={"title": {"en": "Renamed"}},
    )
    session.flush()
    assert queries.change_stamp(session, ANONYMOUS).token != added.token
