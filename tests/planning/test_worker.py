"""The study worker: the loop, the background thread of the web app, and atomic claims."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from bedeco.db import utcnow
from bedeco.planning import service
from bedeco.planning.model import PlanningStudy
from bedeco.planning.worker import run_pending
from bedeco.runtime import unit_of_work
from bedeco.security.logic import Classification, Nation, Principal, Role
from tests.factories import bearer, make_token, make_user
from tests.planning.tiny_study import TINY

ANNA = Principal(
    user_id=1,
    name="anna",
    nation=Nation.BEL,
    clearance=Classification.RESTRICTED,
    roles=frozenset({Role.VIEWER, Role.CONTRIBUTOR}),
)


def queue(engine: Engine, name: str, kind: str = "run") -> int:
    with unit_of_work(engine) as session:
        return service.submit_study(
            session,
            ANNA,
            data=service.StudyInput(
                name=name, scenario_text=TINY, kind=kind, time_limit=1.0, workers=1
            ),
            highest="RESTRICTED",
        ).id


def statuses(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as session:
        return dict(session.execute(select(PlanningStudy.name, PlanningStudy.status)).all())


def test_run_pending_once_runs_every_queued_study_then_returns(app_factory: Any) -> None:
    _app, engine = app_factory(planning_worker=False)
    queue(engine, "first")
    queue(engine, "second")
    assert run_pending(engine, once=True) == 2
    assert statuses(engine) == {"first": "done", "second": "done"}
    assert run_pending(engine, once=True) == 0


def test_a_study_that_cannot_be_planned_fails_naming_the_rule(app_factory: Any) -> None:
    _app, engine = app_factory(planning_worker=False)
    past_limit = TINY.replace(
        "{id: BEL-1, nation: BEL, type: H, hours_left: 60, months_left: 4}",
        "{id: BEL-1, nation: BEL, type: H, hours_left: 60, months_left: -3}",
    )
    with unit_of_work(engine) as session:
        study_id = service.submit_study(
            session,
            ANNA,
            data=service.StudyInput(name="late", scenario_text=past_limit, time_limit=1.0),
            highest="RESTRICTED",
        ).id
    run_pending(engine, once=True)
    with unit_of_work(engine) as session:
        study = session.get(PlanningStudy, study_id)
        assert study is not None and study.status == "failed"
        assert "BEL-1" in study.error and study.result is None


def test_the_web_app_runs_submitted_studies_in_its_background_thread(app_factory: Any) -> None:
    app, engine = app_factory()  # BEDECO_PLANNING_WORKER defaults to on
    make_user(engine, "anna")
    token = bearer(make_token(engine, "anna"))
    with TestClient(app) as client:
        study = client.post(
            "/api/v1/studies",
            json={"name": "bg", "scenario": TINY, "kind": "run", "time_limit": 1},
            headers=token,
        ).json()
        deadline = time.monotonic() + 60
        seen = set()
        while time.monotonic() < deadline:
            detail = client.get(f"/api/v1/studies/{study['id']}", headers=token).json()
            seen.add(detail["status"])
            if detail["status"] == "done":
                break
            time.sleep(0.2)
        assert detail["status"] == "done", detail
        assert detail["result"]["runs"][0]["validation"]["ok"]
    assert not app.state.planning_worker.thread.is_alive()


def test_the_setting_switches_the_background_thread_off(app_factory: Any) -> None:
    app, engine = app_factory(planning_worker=False)
    queue(engine, "waits")
    with TestClient(app):
        time.sleep(2.5)
        assert not hasattr(app.state, "planning_worker")
    assert statuses(engine) == {"waits": "queued"}


@pytest.mark.postgres
def test_two_workers_on_postgresql_never_claim_the_same_study(postgres_engine: Engine) -> None:
    names = ("skip-locked-1", "skip-locked-2")
    with unit_of_work(postgres_engine) as session:
        for name in names:
            study = PlanningStudy(
                name=name,
                scenario_text=TINY,
                scenario_format="yaml",
                scenario_file="tiny.yaml",
                illustrative=True,
                kind="run",
                policy="pooled",
                time_limit=1.0,
                workers=1,
                seed=0,
                status="queued",
                created_at=utcnow(),
                progress_fraction=0.0,
                progress_message="",
                cancel_requested=False,
                owner="anna",
                nation="BEL",
                error="",
            )
            study.set_marking("RESTRICTED", {"BEL"})
            session.add(study)
    first = Session(postgres_engine)
    second = Session(postgres_engine)
    try:
        claimed_first = service.claim_next_study(first)  # holds its row lock, uncommitted
        result: list[Any] = []
        worker = threading.Thread(target=lambda: result.append(service.claim_next_study(second)))
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "the second claim waited for the first one's lock"
        assert claimed_first is not None and result[0] is not None
        assert claimed_first.id != result[0].id
    finally:
        first.rollback()
        second.rollback()
        first.close()
        second.close()
        with unit_of_work(postgres_engine) as session:
            session.execute(delete(PlanningStudy).where(PlanningStudy.name.in_(names)))


def test_the_worker_command_runs_the_queue_once(app_factory: Any, tmp_path: Any) -> None:
    _app, engine = app_factory(planning_worker=False)
    queue(engine, "from the command")
    env = dict(os.environ, BEDECO_DATABASE_URL=str(engine.url), BEDECO_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "bedeco", "planning", "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "1 studies run" in done.stdout
    assert statuses(engine) == {"from the command": "done"}
