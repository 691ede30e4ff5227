"""Use cases of planning studies: submit, list, read, cancel; and the worker's side of a run.

A study is submitted with its scenario text, validated at once (a bad file is
refused naming file, line and field) and stored *queued*; it never runs in
the web request. A worker claims the next queued study atomically, runs the
engine with progress written in short transactions of their own and a cancel
flag polled while the search runs, then stores the result and marks the study
done, failed or cancelled. Submit, cancel and finish are audit events.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer

from bedeco.audit.service import SYSTEM, record_event
from bedeco.config import get_settings
from bedeco.db import utcnow
from bedeco.errors import (
    ClassificationAboveDeployment,
    IllegalTransition,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from bedeco.i18n import N_
from bedeco.planning.engine.scenario import Problem, Scenario, ScenarioInvalid, parse_scenario
from bedeco.planning.model import PlanningStudy, StudyKind, StudyStatus
from bedeco.security.logic import (
    Action,
    Classification,
    Marking,
    Nation,
    Principal,
    Role,
    may,
    parse_classification,
    within_deployment,
)
from bedeco.security.restrict import restrict

MAX_TIME_LIMIT = 600.0
"""Seconds of search per policy a submitted study may ask for."""
MAX_WORKERS = 8
MAX_SCENARIO_CHARS = 2_000_000
POLICIES = ("national", "pooled", "joint")
SORTS = {
    "created_at": PlanningStudy.created_at,
    "name": PlanningStudy.name,
    "status": PlanningStudy.status,
    "kind": PlanningStudy.kind,
    "id": PlanningStudy.id,
}
WORKER = Principal(user_id=0, name="planning-worker", nation=None, clearance=Classification.PUBLIC)
"""The principal of the worker's audit events (finish)."""


class ScenarioRejected(InvalidInput):
    """The scenario cannot be read or planned as written; ``problems`` names file, line, field."""

    code = "invalid_scenario"

    def __init__(self, problems: list[Problem]) -> None:
        problems = problems or [Problem("<scenario>", 1, "(document)", N_("invalid"))]
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{shown}{more}", field="scenario")
        self.problems = problems


@dataclass(frozen=True)
class StudyInput:
    """What a person submits."""

    name: str
    scenario_text: str
    scenario_file: str = "scenario.yaml"
    kind: str = StudyKind.COMPARE
    policy: str | None = None
    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    classification: str = Classification.UNCLASSIFIED
    releasable_to: frozenset[str] = field(default_factory=frozenset)


def check_scenario(text: str, file: str) -> Scenario:
    """The scenario of ``text``, or :class:`ScenarioRejected` naming file, line and field."""
    if len(text) > MAX_SCENARIO_CHARS:
        raise InvalidInput(
            f"the scenario is longer than {MAX_SCENARIO_CHARS} characters", field="scenario"
        )
    if not text.strip():
        raise InvalidInput("the scenario is empty", field="scenario")
    try:
        return parse_scenario(text, file)
    except ScenarioInvalid as error:
        raise ScenarioRejected(error.problems) from None
    except Exception as error:  # whatever the reader trips on is the file's fault, not a crash
        kind = {"kind": type(error).__name__}
        problem = Problem(file, 1, "(document)", N_("cannot be read ({kind})"), kind)
        raise ScenarioRejected([problem]) from None


def _marking(
    principal: Principal, classification: str, releasable_to: frozenset[str], highest: str | None
) -> tuple[Classification, frozenset[str]]:
    level = parse_classification(str(classification).upper())
    if level is None:
        raise InvalidInput(
            "classification must be one of " + ", ".join(c.value for c in Classification),
            field="classification",
        )
    deployment = Classification(highest or get_settings().max_classification)
    if not within_deployment(level, deployment):
        raise ClassificationAboveDeployment(
            f"this deployment holds nothing above {deployment.value}", field="classification"
        )
    known = {n.value for n in Nation}
    nations = frozenset(str(n).upper() for n in releasable_to)
    if nations - known:
        raise InvalidInput("releasable_to may hold only BEL, NLD and LUX", field="releasable_to")
    if level is not Classification.PUBLIC and principal.nation is not None:
        nations |= {principal.nation.value}
    return level, nations


def submit_study(
    session: Session,
    principal: Principal,
    *,
    data: StudyInput,
    highest: str | None = None,
    audit: bool = True,
) -> PlanningStudy:
    """Validate the scenario and the request, store the study queued, record the event.

    The set-up principal ``SYSTEM`` submits without a role, and the reference
    data goes in without an audit event (``audit=False``), as every
    capability's reference data does.
    """
    if principal.is_anonymous:
        raise NotPermitted("sign in to submit a study")
    name = data.name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("name the study (1 to 200 characters)", field="name")
    if data.kind not in {k.value for k in StudyKind}:
        raise InvalidInput("kind must be run, compare or capacity", field="kind")
    policy = data.policy or None
    if data.kind == StudyKind.RUN:
        policy = policy or "pooled"
    if policy is not None and policy not in POLICIES:
        raise InvalidInput("policy must be national, pooled or joint", field="policy")
    if not 1 <= data.time_limit <= MAX_TIME_LIMIT:
        raise InvalidInput(
            f"time_limit must lie between 1 and {MAX_TIME_LIMIT:g} seconds", field="time_limit"
        )
    if not 1 <= data.workers <= MAX_WORKERS:
        raise InvalidInput(f"workers must lie between 1 and {MAX_WORKERS}", field="workers")
    if not 0 <= data.seed <= 2**31 - 1:
        raise InvalidInput("seed must lie between 0 and 2147483647", field="seed")
    level, nations = _marking(principal, data.classification, data.releasable_to, highest)
    if principal != SYSTEM and not may(principal, Marking.of(level.value, nations), Action.CHANGE):
        raise NotPermitted("you may not submit a study with this marking")
    file = (data.scenario_file or "scenario.yaml").strip()[-200:] or "scenario.yaml"
    scenario = check_scenario(data.scenario_text, file)
    study = PlanningStudy(
        name=name,
        scenario_text=data.scenario_text,
        scenario_format="json" if data.scenario_text.lstrip().startswith("{") else "yaml",
        scenario_file=file,
        illustrative=scenario.illustrative,
        kind=data.kind,
        policy=policy if data.kind == StudyKind.RUN else None,
        time_limit=float(data.time_limit),
        workers=int(data.workers),
        seed=int(data.seed),
        status=StudyStatus.QUEUED,
        created_at=utcnow(),
        progress_fraction=0.0,
        progress_message="",
        cancel_requested=False,
        owner=principal.name,
        owner_user_id=principal.user_id,
        nation=principal.nation.value if principal.nation else "",
        error="",
    )
    study.set_marking(level.value, nations)
    session.add(study)
    session.flush()
    if not audit:
        return study
    record_event(
        session,
        principal,
        action="planning.study.submit",
        object_type="planning_study",
        object_id=str(study.id),
        change={
            "name": name,
            "kind": study.kind,
            "policy": study.policy,
            "time_limit": study.time_limit,
            "classification": level.value,
            "releasable_to": sorted(nations),
        },
    )
    return study


def list_studies(
    session: Session,
    principal: Principal,
    *,
    page: int = 1,
    page_size: int = 25,
    sort: str = "-created_at",
    status: str | None = None,
    kind: str | None = None,
) -> tuple[list[PlanningStudy], int]:
    """The studies the principal may see, filtered, sorted and paginated, with the total."""
    key = sort.lstrip("-")
    if key not in SORTS:
        raise InvalidInput(
            "sort must be one of " + ", ".join(sorted(SORTS)) + " (prefix - for descending)",
            field="sort",
        )
    statement = restrict(select(PlanningStudy), PlanningStudy, principal, Action.VIEW)
    if status:
        statement = statement.where(PlanningStudy.status == status)
    if kind:
        statement = statement.where(PlanningStudy.kind == kind)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    column = SORTS[key]
    order = [column.desc() if sort.startswith("-") else column.asc()]
    if key != "id":
        order.append(PlanningStudy.id.desc() if sort.startswith("-") else PlanningStudy.id.asc())
    rows = session.scalars(
        statement.options(defer(PlanningStudy.result), defer(PlanningStudy.scenario_text))
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), total


def get_study(session: Session, principal: Principal, study_id: int) -> PlanningStudy:
    """One study, or ``NotFound`` when it does not exist or the principal may not see it."""
    study = session.get(PlanningStudy, study_id)
    if study is None or not may(principal, study.marking, Action.VIEW):
        raise NotFound(f"no study {study_id}")
    return study


def may_cancel(principal: Principal, study: PlanningStudy) -> bool:
    """The owner, or a coordinator who may change it, cancels a study that has not finished."""
    if StudyStatus(study.status).final or not may(principal, study.marking, Action.CHANGE):
        return False
    return principal.user_id == study.owner_user_id or principal.has_role(Role.COORDINATOR)


def request_cancel(session: Session, principal: Principal, study_id: int) -> PlanningStudy:
    """Cancel a queued study at once; ask a running one to stop (the worker keeps its best plan)."""
    study = get_study(session, principal, study_id)
    if StudyStatus(study.status).final:
        raise IllegalTransition(f"study {study_id} is {study.status} already")
    if not may_cancel(principal, study):
        raise NotPermitted("only the owner or a coordinator cancels a study")
    before = study.status
    study.cancel_requested = True
    if study.status == StudyStatus.QUEUED:
        study.status = StudyStatus.CANCELLED
        study.finished_at = utcnow()
        study.progress_message = "cancelled before it started"
    session.flush()
    record_event(
        session,
        principal,
        action="planning.study.cancel",
        object_type="planning_study",
        object_id=str(study.id),
        change={"status_before": before, "status": study.status},
    )
    return study


# The worker's side ---------------------------------------------------------


@dataclass(frozen=True)
class ClaimedStudy:
    """What a worker needs to run a study, read when it claimed it."""

    id: int
    kind: str
    policy: str | None
    time_limit: float
    workers: int
    seed: int
    scenario_text: str
    scenario_file: str


def claim_next_study(session: Session) -> ClaimedStudy | None:
    """Mark the oldest queued study running and return it; None when nothing waits.

    One UPDATE picks and marks the row, so two workers never claim the same
    study: on PostgreSQL the inner SELECT takes ``FOR UPDATE SKIP LOCKED``;
    on SQLite the statement takes the write lock before it reads.
    """
    pick = (
        select(PlanningStudy.id)
        .where(PlanningStudy.status == StudyStatus.QUEUED)
        .order_by(PlanningStudy.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    now = utcnow()
    claimed = session.execute(
        update(PlanningStudy)
        .where(PlanningStudy.id == pick.scalar_subquery())
        .where(PlanningStudy.status == StudyStatus.QUEUED)
        .values(
            status=StudyStatus.RUNNING,
            started_at=now,
            progress_at=now,
            progress_fraction=0.0,
            progress_message="started",
        )
        .returning(
            PlanningStudy.id,
            PlanningStudy.kind,
            PlanningStudy.policy,
            PlanningStudy.time_limit,
            PlanningStudy.workers,
            PlanningStudy.seed,
            PlanningStudy.scenario_text,
            PlanningStudy.scenario_file,
        )
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        return None
    return ClaimedStudy(*claimed)


def record_progress(
    session: Session,
    study_id: int,
    *,
    fraction: float,
    message: str,
    objective: int | None = None,
    bound: int | None = None,
) -> bool:
    """Write a running study's progress; answer whether a cancel was requested meanwhile."""
    row = session.execute(
        update(PlanningStudy)
        .where(PlanningStudy.id == study_id)
        .values(
            progress_fraction=max(0.0, min(1.0, fraction)),
            progress_message=message[:400],
            progress_objective=objective,
            progress_bound=bound,
            progress_at=utcnow(),
        )
        .returning(PlanningStudy.cancel_requested)
        .execution_options(synchronize_session=False)
    ).first()
    return bool(row[0]) if row is not None else True


def cancel_wanted(session: Session, study_id: int) -> bool:
    """Whether someone asked to cancel the study (a missing study counts as cancelled)."""
    wanted = session.scalar(
        select(PlanningStudy.cancel_requested).where(PlanningStudy.id == study_id)
    )
    return True if wanted is None else bool(wanted)


def finish_study(
    session: Session,
    study_id: int,
    *,
    status: StudyStatus,
    result: dict[str, Any] | None = None,
    error: str = "",
) -> None:
    """Store the result (or the error), mark the study final, record the event."""
    session.execute(
        update(PlanningStudy)
        .where(PlanningStudy.id == study_id)
        .values(
            status=status,
            result=result,
            error=error,
            finished_at=utcnow(),
            progress_fraction=1.0
            if status == StudyStatus.DONE
            else PlanningStudy.progress_fraction,
            progress_message=str(status),
        )
        .execution_options(synchronize_session=False)
    )
    summary: dict[str, Any] = {"status": str(status)}
    if result:
        summary["runs"] = {
            r["policy"]: {"shortfall": r.get("shortfall"), "gap": r.get("gap")}
            for r in result.get("runs", [])
        }
    if error:
        summary["error"] = error[:500]
    record_event(
        session,
        WORKER,
        action="planning.study.finish",
        object_type="planning_study",
        object_id=str(study_id),
        change=summary,
    )


def requeue_study(session: Session, study_id: int) -> None:
    """Put a study the worker could not finish (the server stopped) back in the queue."""
    session.execute(
        update(PlanningStudy)
        .where(PlanningStudy.id == study_id, PlanningStudy.status == StudyStatus.RUNNING)
        .values(
            status=StudyStatus.QUEUED,
            started_at=None,
            progress_fraction=0.0,
            progress_message="interrupted; queued again",
        )
        .execution_options(synchronize_session=False)
    )


UnitOfWork = Callable[[], AbstractContextManager[Session]]


@dataclass
class _Tracker:
    """The search's latest state, shared by the engine's callbacks and the progress writer.

    The study runs in ``steps`` (a policy search, a capacity bisection); the
    fraction is the steps done plus the share of the current step's expected
    time (its time limit and the model building around it) already spent.
    """

    step_time: float
    steps: int = 1
    step: int = 0
    step_began: float = field(default_factory=time.monotonic)
    message: str = "reading the scenario"
    objective: int | None = None
    bound: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fraction(self) -> float:
        within = min(0.95, (time.monotonic() - self.step_began) / max(1.0, self.step_time))
        return min(0.99, (self.step + within) / max(1, self.steps))


def execute_study(
    claimed: ClaimedStudy,
    unit: UnitOfWork,
    *,
    stop: threading.Event | None = None,
    read_unit: UnitOfWork | None = None,
    tick: float = 1.0,
    progress_every: float = 3.0,
) -> StudyStatus | None:
    """Run a claimed study with the engine and store how it ended.

    Every ``tick`` seconds the cancel flag is read (in ``read_unit``, a read
    only session); progress is written in a short transaction of its own
    (``unit``) when the search reports something new, or every
    ``progress_every`` seconds. A cancel stops the search, which keeps the
    best plan found. ``stop`` (the server shutting down) stops the
    search too, but the study goes back to the queue. Returns the final
    status, or None when requeued.
    """
    from bedeco.planning import results

    cancel = threading.Event()
    policies = 1 if claimed.kind == StudyKind.RUN else len(POLICIES)
    rounds = 2 if claimed.kind == StudyKind.CAPACITY else 1
    tracker = _Tracker(step_time=claimed.time_limit * 1.3 + 5, steps=rounds * policies)
    finished = threading.Event()
    cancelled_by_user = threading.Event()

    def write_progress() -> None:
        written: tuple[object, ...] = ()
        last = 0.0

        def poll() -> None:
            nonlocal written, last
            if stop is not None and stop.is_set():
                cancel.set()
            with tracker.lock:
                news = (tracker.message, tracker.objective, tracker.bound)
                fraction = tracker.fraction()
            try:
                if news != written or time.monotonic() - last >= progress_every:
                    with unit() as session:
                        wanted = record_progress(
                            session,
                            claimed.id,
                            fraction=fraction,
                            message=news[0],
                            objective=news[1],
                            bound=news[2],
                        )
                    written, last = news, time.monotonic()
                else:
                    with (read_unit or unit)() as session:
                        wanted = cancel_wanted(session, claimed.id)
            except Exception:  # a busy database skips one tick; the search goes on
                return
            if wanted:
                cancelled_by_user.set()
                cancel.set()

        # The first look is at once: a cancel asked for before the run began stops it
        # at its first plan, however fast the search.
        poll()
        while not finished.wait(tick):
            poll()

    def on_progress(policy: str, elapsed: float, objective: int, bound: int, plans: int) -> None:
        gap = 0.0 if objective <= 0 else max(0.0, (objective - bound) / objective)
        with tracker.lock:
            tracker.message = f"{policy}: plan {plans}, gap {gap:.1%}"
            tracker.objective, tracker.bound = objective, bound

    def on_phase(message: str, step: int, steps: int) -> None:
        with tracker.lock:
            tracker.message, tracker.step, tracker.steps = message, step, steps
            tracker.step_began = time.monotonic()
            tracker.objective = tracker.bound = None

    writer = threading.Thread(target=write_progress, name=f"study-{claimed.id}-progress")
    writer.daemon = True
    writer.start()
    try:
        outcome = results.compute(
            claimed, on_progress=on_progress, on_phase=on_phase, cancel=cancel
        )
    except Exception as error:  # the engine failed: the study fails with the reason, not the worker
        outcome = results.Outcome(None, f"{type(error).__name__}: {error}")
    finally:
        finished.set()
        writer.join(timeout=5)
    if stop is not None and stop.is_set() and not cancelled_by_user.is_set():
        with unit() as session:
            requeue_study(session, claimed.id)
        return None
    if outcome.result is None:
        status = StudyStatus.FAILED
    elif cancelled_by_user.is_set():
        status = StudyStatus.CANCELLED
    else:
        status = StudyStatus.DONE
    with unit() as session:
        finish_study(session, claimed.id, status=status, result=outcome.result, error=outcome.error)
    return status


def export_json(study: PlanningStudy) -> dict[str, Any]:
    """The study and its result as JSON-ready data, without the drawn charts."""
    result = json.loads(json.dumps(study.result)) if study.result else None
    if result:
        for run in result.get("runs", []):
            run.pop("gantt_svg", None)
            run.pop("load_svg", None)
    return {
        "id": study.id,
        "name": study.name,
        "kind": study.kind,
        "policy": study.policy,
        "status": study.status,
        "illustrative": study.illustrative,
        "time_limit": study.time_limit,
        "workers": study.workers,
        "seed": study.seed,
        "classification": study.classification,
        "releasable_to": sorted(study.releasable_to),
        "created_at": study.created_at.isoformat() if study.created_at else None,
        "started_at": study.started_at.isoformat() if study.started_at else None,
        "finished_at": study.finished_at.isoformat() if study.finished_at else None,
        "error": study.error,
        "result": result,
    }


def export_csv(study: PlanningStudy) -> str:
    """Every stored plan, one row per policy, aircraft and period (the engine's CSV)."""
    from bedeco.planning import results

    if not study.result or not study.result.get("runs"):
        raise NotFound(f"study {study.id} has no plan to export yet")
    return results.plans_csv(study.scenario_text, study.scenario_file, study.result)
