"""The register's use cases on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.errors import (
    ClassificationAboveDeployment,
    IllegalTransition,
    InvalidInput,
    NotFound,
    StaleVersion,
)
from bedeco.register import logic, service
from bedeco.register.access import EvidenceInput, ProvisionInput
from bedeco.register.model import Commitment
from bedeco.security.logic import ANONYMOUS, Principal

PROOF = [EvidenceInput(kind="link", reference="https://example.org/report")]
PATHS = [
    ["under_study", "decided", "in_progress", "implemented"],
    ["decided", "in_progress", "implemented", "in_progress"],
    ["under_study", "dropped", "proposed"],
    ["decided", "dropped"],
    ["decided", "in_progress", "dropped", "proposed", "decided"],
]


def walk(session: Session, who: Principal, commitment: Commitment, path: list[str]) -> None:
    for status in path:
        service.change_status(
            session,
            who,
            commitment_id=commitment.id,
            status=status,
            expected_version=commitment.version,
            comment="reason given",
            evidence=PROOF if status == "implemented" else (),
        )


@pytest.mark.parametrize("path", PATHS)
def test_every_legal_transition_works_and_leaves_a_dated_entry(
    session: Session,
    coordinator: Principal,
    make_commitment: Callable[..., Commitment],
    path: list[str],
) -> None:
    commitment = make_commitment()
    walk(session, coordinator, commitment, path)
    history = service.commitment_history(session, coordinator, commitment_id=commitment.id)
    assert [e.to_status for e in history] == ["proposed", *path]
    assert all(e.author == "bel-co" and e.nation == "BEL" for e in history)
    assert commitment.status == path[-1]


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in logic.Status for t in logic.Status if t not in logic.TRANSITIONS[c]],
)
def test_every_illegal_transition_is_refused_with_its_reason(
    session: Session,
    coordinator: Principal,
    make_commitment: Callable[..., Commitment],
    current: logic.Status,
    target: logic.Status,
) -> None:
    commitment = make_commitment()
    route = {
        "proposed": [],
        "under_study": ["under_study"],
        "decided": ["decided"],
        "in_progress": ["decided", "in_progress"],
        "implemented": ["decided", "in_progress", "implemented"],
        "dropped": ["dropped"],
    }[current.value]
    walk(session, coordinator, commitment, route)
    with pytest.raises(IllegalTransition) as refused:
        walk(session, coordinator, commitment, [target.value])
    assert refused.value.status_code == 409 and refused.value.message
    assert commitment.status == current.value


def test_a_contributor_cannot_declare_implemented(
    session: Session,
    coordinator: Principal,
    contributor: Principal,
    make_commitment: Callable[..., Commitment],
) -> None:
    commitment = make_commitment()
    walk(session, coordinator, commitment, ["decided", "in_progress"])
    with pytest.raises(IllegalTransition, match="coordinator"):
        walk(session, contributor, commitment, ["implemented"])


def test_a_stale_version_is_refused_and_the_first_change_is_kept(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    commitment = make_commitment()
    loaded = commitment.version
    service.change_status(
        session, coordinator, commitment_id=commitment.id, status="under_study",
        expected_version=loaded, comment="first",
    )  # fmt: skip
    with pytest.raises(StaleVersion):
        service.change_status(
            session, coordinator, commitment_id=commitment.id, status="decided",
            expected_version=loaded, comment="second",
        )  # fmt: skip
    history = service.commitment_history(session, coordinator, commitment_id=commitment.id)
    assert [e.comment for e in history][-1] == "first"
    assert commitment.status == "under_study"


def test_every_change_is_an_audit_event(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    commitment = make_commitment()
    walk(session, coordinator, commitment, ["decided"])
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(commitment.id),
                                        AuditEvent.object_type == "register_commitment")
    ).all()  # fmt: skip
    assert list(actions) == ["commitment.create", "commitment.status"]


def test_a_record_the_principal_may_not_see_is_not_found_and_not_counted(
    session: Session,
    coordinator: Principal,
    principal: Callable[..., Principal],
    make_commitment: Callable[..., Commitment],
) -> None:
    secret = make_commitment(classification="RESTRICTED", releasable_to=["BEL"])
    lux = principal(nation="LUX", roles=("viewer",))
    with pytest.raises(NotFound):
        service.get_commitment(session, lux, commitment_id=secret.id)
    assert (
        service.list_commitments(
            session, lux, query=service.CommitmentQuery(ids=(secret.id,))
        ).total
        == 0
    )
    assert (
        service.progress(
            session, ANONYMOUS, query=service.CommitmentQuery(ids=(secret.id,))
        ).progress.total
        == 0
    )


def test_classification_above_the_deployment_is_refused(
    session: Session, make_commitment: Callable[..., Commitment]
) -> None:
    with pytest.raises(ClassificationAboveDeployment):
        make_commitment(classification="CONFIDENTIAL")


def test_implemented_needs_evidence_and_a_file_keeps_its_checksum(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment], tmp_path
) -> None:
    commitment = make_commitment()
    walk(session, coordinator, commitment, ["decided", "in_progress"])
    stored = service.store_evidence_file(
        tmp_path, data=b"minutes of the meeting", file_name="m.txt"
    )
    entry = service.change_status(
        session, coordinator, commitment_id=commitment.id, status="implemented",
        expected_version=commitment.version, evidence=[stored],
    )  # fmt: skip
    import hashlib

    assert entry.evidence[0].sha256 == hashlib.sha256(b"minutes of the meeting").hexdigest()
    assert (
        tmp_path / "evidence" / entry.evidence[0].sha256
    ).read_bytes() == b"minutes of the meeting"


def test_an_oversized_evidence_file_is_refused_with_413(tmp_path) -> None:
    from bedeco.register.access import MAX_EVIDENCE_BYTES

    with pytest.raises(service.EvidenceTooLarge) as refused:
        service.store_evidence_file(tmp_path, data=b"x" * (MAX_EVIDENCE_BYTES + 1), file_name="big")
    assert refused.value.status_code == 413


def test_recording_provisions_twice_creates_each_commitment_once(
    session: Session, coordinator: Principal
) -> None:
    requests = [
        ProvisionInput(label=str(n), text={"nl": f"verzoek {n}", "fr": f"demande {n}"})
        for n in (1, 2)
    ]
    first = service.record_provisions(
        session, coordinator, document_key="doc-x", requests=requests, cited_instruments=[]
    )
    second = service.record_provisions(
        session, coordinator, document_key="doc-x", requests=requests, cited_instruments=[]
    )
    assert [c.id for c in first] == [c.id for c in second]
    assert [c.key for c in first] == ["doc-x/request-01", "doc-x/request-02"]


def test_progress_counts_statuses_and_overdue(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    a = make_commitment(domains=["climate-change"], target_on="2020-01-01")
    b = make_commitment(domains=["climate-change"])
    walk(session, coordinator, b, ["decided", "in_progress", "implemented"])
    report = service.progress(
        session, coordinator, query=service.CommitmentQuery(domain="climate-change")
    )
    assert report.progress.total == 2 and report.progress.implemented == 1
    assert report.progress.overdue == 1 and a.status == "proposed"
    assert sum(p.total for p in report.timeline) == 5
    rows = dict(service.progress_breakdown(session, coordinator, by="domain"))
    assert rows["climate-change"].implemented >= 1


def test_an_initiative_moves_up_freely_and_down_only_with_a_reason(
    session: Session, coordinator: Principal, make_commitment: Callable[..., Commitment]
) -> None:
    served = make_commitment()
    initiative = service.create_initiative(
        session, coordinator, key="c-uas", name={"en": "Counter-drone"}, maturity=1,
        nations=["BEL", "NLD"], domains=["procurement"], commitments=[served.key],
    )  # fmt: skip
    service.change_maturity(
        session, coordinator, initiative_id=initiative.id, maturity=3,
        expected_version=initiative.version,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="reason"):
        service.change_maturity(
            session, coordinator, initiative_id=initiative.id, maturity=2,
            expected_version=initiative.version,
        )  # fmt: skip
    history = service.initiative_history(session, coordinator, initiative_id=initiative.id)
    assert [(e.from_maturity, e.to_maturity) for e in history] == [(None, 1), (1, 3)]
    query = service.InitiativeQuery(commitment_id=served.id)
    assert [n.key for n in service.list_initiatives(session, coordinator, query=query).items] == [
        "c-uas"
    ]


def test_an_id_beyond_any_stored_one_is_simply_not_found(
    session: Session, coordinator: Principal
) -> None:
    with pytest.raises(NotFound):
        service.get_commitment(session, coordinator, commitment_id=2**70)
    with pytest.raises(NotFound):
        service.get_initiative(session, coordinator, initiative_id=-1)


def test_a_malformed_import_is_refused_not_crashed(
    session: Session, coordinator: Principal
) -> None:
    with pytest.raises(InvalidInput):
        service.import_data(session, coordinator, {"commitments": [{"title_en": "no key"}]})
    with pytest.raises(InvalidInput):
        service.from_yaml("format: something-else")


def test_the_citation_graph_holds_only_visible_instruments(
    session: Session, coordinator: Principal
) -> None:
    service.save_instrument(session, coordinator, key="pub", kind="declaration", title={"en": "P"},
                            classification="PUBLIC")  # fmt: skip
    service.save_instrument(session, coordinator, key="sec", kind="agreement", title={"en": "S"},
                            classification="RESTRICTED", releasable_to=["BEL"])  # fmt: skip
    service.relate_instruments(
        session, coordinator, source_key="sec", target_key="pub", kind="cites"
    )
    public = service.citation_graph(session, ANONYMOUS).as_dict()
    assert "sec" not in {n["key"] for n in public["nodes"]}
    assert all("sec" not in (e["source"], e["target"]) for e in public["edges"])
    bel = service.citation_graph(session, coordinator).as_dict()
    assert {"source": "sec", "target": "pub", "kind": "cites"} in bel["edges"]
