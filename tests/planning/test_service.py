"""Planning studies through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.model import AuditEvent
from bedeco.errors import (
    ClassificationAboveDeployment,
    IllegalTransition,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from bedeco.planning import reference, service
from bedeco.planning.model import PlanningStudy, StudyStatus
from bedeco.security.logic import ANONYMOUS
from tests.planning.tiny_study import BROKEN, TINY


def submit(session: Session, principal, **overrides: object) -> PlanningStudy:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "name": "tiny",
        "scenario_text": TINY,
        "scenario_file": "tiny.yaml",
        "kind": "compare",
        "time_limit": 1.0,
        "workers": 1,
    }
    values.update(overrides)
    return service.submit_study(
        session, principal, data=service.StudyInput(**values), highest="RESTRICTED"
    )  # type: ignore[arg-type]


def audit_actions(session: Session, study_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "planning_study")
            .where(AuditEvent.object_id == str(study_id))
            .order_by(AuditEvent.seq)
        )
    )


@contextmanager
def same_session(session: Session) -> Iterator[Session]:
    """A unit of work for the worker that stays inside the test's rolled-back transaction."""
    yield session
    session.flush()


def test_submitted_study_is_queued_marked_and_audited(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    study = submit(session, principal(nation="NLD"), releasable_to=frozenset({"BEL"}))
    assert study.status == StudyStatus.QUEUED
    assert study.illustrative is True
    assert study.releasable_to == {"BEL", "NLD"}
    assert study.nation == "NLD" and study.scenario_file == "tiny.yaml"
    assert audit_actions(session, study.id) == ["planning.study.submit"]


def test_a_broken_scenario_is_refused_naming_file_line_and_field(
    session: Session, principal
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(service.ScenarioRejected) as error:
        submit(session, principal(), scenario_text=BROKEN, scenario_file="broken.yaml")
    assert error.value.field == "scenario"
    problem = error.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (
        "broken.yaml",
        5,
        "check_types[0].duration",
    )
    assert "broken.yaml:5: check_types[0].duration" in error.value.message
    assert session.scalar(select(PlanningStudy).where(PlanningStudy.name == "tiny")) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", " "),
        ("kind", "optimise"),
        ("policy", "federal"),
        ("time_limit", 0.5),
        ("time_limit", 601.0),
        ("workers", 0),
        ("seed", -1),
        ("classification", "SECRET"),
        ("releasable_to", frozenset({"FRA"})),
        ("scenario_text", "  "),
    ],
)
def test_wrong_study_values_are_refused_naming_the_field(
    session: Session,
    principal,  # type: ignore[no-untyped-def]
    field: str,
    value: object,
) -> None:
    with pytest.raises(InvalidInput) as error:
        submit(session, principal(), **{field: value})
    assert error.value.field == {"scenario_text": "scenario"}.get(field, field)


def test_a_study_above_the_deployment_level_is_refused(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClassificationAboveDeployment):
        submit(session, principal(clearance="CONFIDENTIAL"), classification="CONFIDENTIAL")


def test_a_viewer_or_the_public_may_not_submit(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        submit(session, principal(roles=("viewer",)))
    with pytest.raises(NotPermitted):
        submit(session, ANONYMOUS)


def test_a_study_is_invisible_outside_its_releasability(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    study = submit(session, principal(nation="BEL"), classification="RESTRICTED")
    with pytest.raises(NotFound):
        service.get_study(session, principal(nation="LUX"), study.id)
    with pytest.raises(NotFound):
        service.get_study(session, ANONYMOUS, study.id)
    assert service.get_study(session, principal(nation="BEL", user_id=7), study.id) is study


def test_list_is_filtered_by_access_sorted_and_paginated(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    bel = principal(nation="BEL")
    names = ["study c", "study a", "study b"]
    for name in names:
        submit(session, bel, name=name)
    submit(session, principal(nation="LUX"), name="study lux")
    submit(session, bel, name="study public", classification="PUBLIC")
    items, total = service.list_studies(session, principal(nation="NLD"), sort="name")
    seen = [s.name for s in items if s.name.startswith("study")]
    assert seen == ["study public"]
    items, total = service.list_studies(session, bel, sort="name", page_size=2)
    mine = [s.name for s in service.list_studies(session, bel, sort="name", page_size=200)[0]]
    assert [n for n in mine if n.startswith("study ")] == [
        "study a",
        "study b",
        "study c",
        "study public",
    ]
    assert len(items) == 2 and total >= 4
    public_only, _ = service.list_studies(session, ANONYMOUS)
    assert all(s.classification == "PUBLIC" for s in public_only)
    with pytest.raises(InvalidInput):
        service.list_studies(session, bel, sort="scenario_text")


def test_a_queued_study_cancels_at_once_and_a_finished_one_not_at_all(
    session: Session,
    principal,  # type: ignore[no-untyped-def]
) -> None:
    study = submit(session, principal())
    service.request_cancel(session, principal(), study.id)
    assert study.status == StudyStatus.CANCELLED and study.finished_at is not None
    assert audit_actions(session, study.id) == ["planning.study.submit", "planning.study.cancel"]
    with pytest.raises(IllegalTransition):
        service.request_cancel(session, principal(), study.id)


def test_only_the_owner_or_a_coordinator_cancels(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    study = submit(session, principal(user_id=1))
    with pytest.raises(NotPermitted):
        service.request_cancel(session, principal(user_id=2), study.id)
    coordinator = principal(user_id=3, roles=("viewer", "contributor", "coordinator"))
    assert service.request_cancel(session, coordinator, study.id).status == "cancelled"


def test_claim_takes_the_oldest_queued_study_once(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    first = submit(session, principal(), name="first")
    second = submit(session, principal(), name="second")
    claimed = [service.claim_next_study(session), service.claim_next_study(session)]
    ids = [c.id for c in claimed if c is not None]
    assert first.id in ids and second.id in ids and len(set(ids)) == 2
    session.expire_all()
    assert session.get(PlanningStudy, first.id).status == StudyStatus.RUNNING  # type: ignore[union-attr]
    assert session.get(PlanningStudy, first.id).started_at is not None  # type: ignore[union-attr]


def test_progress_is_written_and_answers_the_cancel_flag(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    study = submit(session, principal())
    assert service.claim_next_study(session) is not None
    assert not service.record_progress(
        session, study.id, fraction=0.4, message="pooled: plan 2", objective=10, bound=4
    )
    session.expire_all()
    stored = session.get(PlanningStudy, study.id)
    assert stored is not None and stored.progress_fraction == pytest.approx(0.4)
    assert (stored.progress_objective, stored.progress_bound) == (10, 4)
    stored.cancel_requested = True
    session.flush()
    assert service.record_progress(session, study.id, fraction=0.5, message="x")


def test_a_run_stores_validated_figures_charts_and_the_finish_event(
    session: Session,
    principal,  # type: ignore[no-untyped-def]
) -> None:
    study = submit(session, principal(), kind="run", policy="joint")
    claimed = service.claim_next_study(session)
    assert claimed is not None and claimed.id == study.id
    status = service.execute_study(claimed, lambda: same_session(session), tick=0.2)
    assert status == StudyStatus.DONE
    session.expire_all()
    stored = session.get(PlanningStudy, study.id)
    assert stored is not None and stored.status == "done" and stored.finished_at is not None
    (run,) = stored.result["runs"]  # type: ignore[index]
    assert run["policy"] == "joint" and run["validation"]["ok"] is True
    assert run["shortfall"] == run["solution"]["figures"]["shortfall"]
    assert run["gantt_svg"].startswith("<svg") and "<title" in run["load_svg"]
    assert set(run["availability"]) == {"BEL", "NLD"}
    assert audit_actions(session, study.id)[-1] == "planning.study.finish"
    csv_text = service.export_csv(stored)
    assert csv_text.splitlines()[0].startswith("policy,aircraft,")
    assert len(csv_text.splitlines()) == 1 + 4 * 12


def test_a_cancel_during_the_run_keeps_the_best_plan_found(session: Session, principal) -> None:  # type: ignore[no-untyped-def]
    study = submit(session, principal(), kind="compare", time_limit=30.0)
    claimed = service.claim_next_study(session)
    assert claimed is not None
    stored = session.get(PlanningStudy, study.id)
    assert stored is not None
    stored.cancel_requested = True
    session.flush()
    status = service.execute_study(claimed, lambda: same_session(session), tick=0.1)
    assert status == StudyStatus.CANCELLED
    session.expire_all()
    stored = session.get(PlanningStudy, study.id)
    assert stored is not None and stored.status == "cancelled"
    assert stored.result is not None and len(stored.result["runs"]) < 3


def test_a_server_stop_puts_the_running_study_back_in_the_queue(
    session: Session,
    principal,  # type: ignore[no-untyped-def]
) -> None:
    study = submit(session, principal(), kind="compare", time_limit=30.0)
    claimed = service.claim_next_study(session)
    assert claimed is not None
    stop = threading.Event()
    stop.set()
    assert (
        service.execute_study(claimed, lambda: same_session(session), stop=stop, tick=0.1) is None
    )
    session.expire_all()
    stored = session.get(PlanningStudy, study.id)
    assert stored is not None and stored.status == "queued" and stored.result is None


def test_the_reference_study_is_queued_once_public_and_illustrative(session: Session) -> None:
    first = list(reference.load(session))
    again = list(reference.load(session))
    assert "queued" in first[0] and "present" in again[0]
    studies = session.scalars(
        select(PlanningStudy).where(PlanningStudy.name == reference.NAME)
    ).all()
    assert len(studies) == 1
    (study,) = studies
    assert study.classification == "PUBLIC" and study.illustrative and study.kind == "compare"
    assert study.status == "queued" and study.result is None
