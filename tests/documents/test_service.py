"""The documents service on SQLite and PostgreSQL: import, re-import, all-or-nothing, access."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.documents import service
from bedeco.documents.engine.formats.akn import to_akn
from bedeco.documents.engine.formats.json import SCHEMA
from bedeco.documents.model import Document, DocumentReference
from bedeco.errors import (
    ClassificationAboveDeployment,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotPermitted,
)
from bedeco.security.logic import ANONYMOUS
from tests.documents.conftest import read_fixture, read_seed

TABLES = (
    "documents_document",
    "documents_provision",
    "documents_reference",
    "documents_anomaly",
    "register_provision",
    "register_commitment",
    "audit_event",
)


def counts(session: Session) -> dict[str, int]:
    return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def test_importing_the_seed_stores_it_with_provisions_references_and_commitments(
    session: Session, principal: Any
) -> None:
    before = counts(session)
    result = service.import_document(
        session, principal(), text=read_seed(), filename="be-chamber-56-0367.txt"
    )
    after = counts(session)
    [document] = result.documents
    assert document.key == "be-chamber-56-0367"
    assert document.kind == "resolution" and document.languages == ["nl", "fr"]
    assert document.classification == "PUBLIC" and document.releasable_to == frozenset()
    assert document.schema == SCHEMA and document.parsed["schema"] == SCHEMA
    assert len(document.source_sha256) == 64 and document.source_text == read_seed()
    assert document.title["fr"].startswith("visant à renforcer")
    assert [p.eid for p in document.provisions][:2] == ["recital_A", "recital_B"]
    assert document.provision_count == 38 and document.anomaly_count == 2
    b = next(p for p in document.provisions if p.eid == "recital_B")
    assert set(b.texts) == {"nl", "fr"} and "18 april 2012" in b.texts["nl"]
    assert {a.code for a in document.anomalies} == {"carried-name"}
    declaration = [r for r in document.references if r.ref_id == "benelux:declaration:2012-04-18"]
    assert {r.instrument_key for r in declaration} == {"benelux-decl-2012"}
    assert {r.lang for r in declaration} == {"nl", "fr"}
    assert len(result.created) == 16 and result.updated == []
    assert result.created[0] == "be-chamber-56-0367/request-01"
    assert after["documents_provision"] - before["documents_provision"] == 38
    assert after["register_commitment"] - before["register_commitment"] == 16
    assert after["register_provision"] - before["register_provision"] == 38
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "document.import")
        .order_by(AuditEvent.seq.desc())
    )
    assert event is not None and event.object_id == str(document.id)


def test_re_importing_the_same_document_is_a_clear_conflict_unless_replace(
    session: Session, principal: Any
) -> None:
    contributor = principal()
    service.import_document(session, contributor, text=read_seed())
    before = counts(session)
    with pytest.raises(service.DocumentAlreadyImported) as caught:
        service.import_document(session, contributor, text=read_seed())
    assert caught.value.status_code == 409 and caught.value.key == "be-chamber-56-0367"
    assert counts(session) == before
    result = service.import_document(session, contributor, text=read_seed(), replace=True)
    after = counts(session)
    assert result.replaced == ["be-chamber-56-0367"]
    assert result.created == [] and len(result.updated) == 16
    for table in TABLES[:-1]:
        assert after[table] == before[table], table
    assert after["audit_event"] == before["audit_event"] + 2  # replace + import


def test_a_text_that_does_not_parse_writes_nothing_and_names_the_line(
    session: Session, principal: Any
) -> None:
    before = counts(session)
    bad = "Notulen van de vergadering\n\nDe voorzitter opent de zitting om 10 uur.\n"
    with pytest.raises(service.DocumentUnreadable) as caught:
        service.import_document(session, principal(), text=bad)
    assert caught.value.field == "text" and caught.value.line == 1
    assert "expected" in caught.value.message and caught.value.status_code == 422
    assert counts(session) == before


def test_a_failure_after_storing_rolls_the_whole_import_back(
    session: Session, principal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedeco.register import service as register

    before = counts(session)

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise InvalidInput("the register refuses", field="text")

    monkeypatch.setattr(register, "record_provisions", refuse)
    with pytest.raises(InvalidInput, match="register refuses"):
        service.import_document(session, principal(), text=read_seed())
    assert counts(session) == before
    assert session.scalar(select(Document).where(Document.key == "be-chamber-56-0367")) is None


def test_empty_text_is_refused_on_the_text_field(session: Session, principal: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.import_document(session, principal(), text="  \n ")
    assert caught.value.field == "text"


def test_only_signed_in_contributors_import(session: Session, principal: Any) -> None:
    before = counts(session)
    with pytest.raises(NotAuthenticated):
        service.import_document(session, ANONYMOUS, text=read_seed())
    with pytest.raises(NotPermitted):
        service.import_document(session, principal(roles=("viewer",)), text=read_seed())
    assert counts(session) == before


def test_markings_are_checked_before_anything_is_read(session: Session, principal: Any) -> None:
    with pytest.raises(ClassificationAboveDeployment):
        service.import_document(
            session,
            principal(clearance="CONFIDENTIAL"),
            text=read_seed(),
            classification="CONFIDENTIAL",
            releasable_to=["BEL"],
        )
    with pytest.raises(InvalidInput) as caught:
        service.import_document(session, principal(), text=read_seed(), classification="RESTRICTED")
    assert caught.value.field == "releasable_to"
    with pytest.raises(InvalidInput) as caught:
        service.import_document(session, principal(), text=read_seed(), classification="TOP")
    assert caught.value.field == "classification"


def test_a_restricted_document_is_invisible_to_a_nation_it_is_not_released_to(
    session: Session, principal: Any
) -> None:
    service.import_document(
        session,
        principal(),
        text=read_fixture("be_senate_resolution.txt"),
        classification="RESTRICTED",
        releasable_to=["BEL"],
    )
    dutch = principal(nation="NLD")
    with pytest.raises(NotFound):
        service.get_document(session, dutch, key="be-senate-8-112")
    assert "be-senate-8-112" not in [d.key for d in service.list_documents(session, dutch).items]
    assert "be-senate-8-112" not in [
        d.key for d in service.list_documents(session, ANONYMOUS).items
    ]
    belgian = principal(nation="BEL", roles=("viewer",))
    assert service.get_document(session, belgian, key="be-senate-8-112").classification == (
        "RESTRICTED"
    )


def test_the_list_is_sorted_filtered_and_paginated(session: Session, principal: Any) -> None:
    contributor = principal()
    service.import_document(session, contributor, text=read_seed())
    service.import_document(session, contributor, text=read_fixture("be_senate_resolution.txt"))
    result = service.import_document(
        session, contributor, text=read_fixture("be_chamber_motions.txt")
    )
    assert len(result.documents) == 2
    assert all(d.key.endswith(("-m1", "-m2")) for d in result.documents)
    everything = service.list_documents(session, contributor, sort="key", page_size=200)
    keys = [d.key for d in everything.items]
    assert keys == sorted(keys) and everything.total >= 4
    newest = service.list_documents(session, contributor, sort="-date", page_size=1)
    assert newest.items[0].key == "be-chamber-56-0367" and newest.total == everything.total
    second = service.list_documents(session, contributor, sort="-date", page=2, page_size=1)
    assert second.items[0].key != "be-chamber-56-0367"
    motions = service.list_documents(session, contributor, kind="motion", page_size=200)
    assert {d.kind for d in motions.items} == {"motion"} and motions.total >= 2
    found = service.list_documents(session, contributor, q="SENATE")
    assert [d.key for d in found.items] == ["be-senate-8-112"]
    with pytest.raises(InvalidInput) as caught:
        service.list_documents(session, contributor, sort="colour")
    assert caught.value.field == "sort"


def test_exports_come_from_the_stored_json(session: Session, principal: Any, seed: Any) -> None:
    service.import_document(session, principal(), text=read_seed())
    akn = service.export_document(
        session, principal(), key="be-chamber-56-0367", fmt="akn", lang="fr"
    )
    assert akn == to_akn(seed, "fr")
    markdown = service.export_document(
        session, principal(), key="be-chamber-56-0367", fmt="md", lang="nl"
    )
    assert isinstance(markdown, str) and "VERZOEKT DE FEDERALE REGERING" in markdown
    with pytest.raises(NotFound) as caught:
        service.export_document(session, principal(), key="be-chamber-56-0367", fmt="akn",
                                lang="de")  # fmt: skip
    assert caught.value.field == "lang"


def _commitment_keys(session: Session) -> list[str]:
    return list(
        session.scalars(
            text("SELECT key FROM register_commitment WHERE key LIKE 'be-chamber-56-0367/%'")
        )
    )


@pytest.mark.parametrize("order", ["register-first", "documents-first"])
def test_the_reference_data_gives_sixteen_commitments_once_whichever_loader_runs_first(
    session: Session, order: str
) -> None:
    from bedeco.documents import reference as documents_reference
    from bedeco.register import reference as register_reference
    from bedeco.security import service as security

    security.ensure_nations(session)
    loaders = [register_reference.load, documents_reference.load]
    if order == "documents-first":
        loaders.reverse()
    for _ in range(2):
        for load in loaders:
            list(load(session))
    keys = _commitment_keys(session)
    assert len(keys) == len(set(keys)) == 16
    assert session.scalar(select(func.count(Document.id))) == 1
    linked = session.scalars(
        select(DocumentReference.instrument_key).where(
            DocumentReference.ref_id == "benelux:declaration:2012-04-18"
        )
    )
    assert set(linked) == {"benelux-decl-2012"}


def test_the_capabilities_load_the_register_before_the_documents() -> None:
    from bedeco.capabilities import CAPABILITIES

    assert CAPABILITIES.index("register") < CAPABILITIES.index("documents")
