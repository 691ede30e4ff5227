"""REST API of planning studies: /studies (submit as JSON or upload, list, detail, cancel, export).

Submitting stores the study queued and answers at once (202); the worker runs
it. The router's lifespan starts the background worker when the setting
``BEDECO_PLANNING_WORKER`` is on, so ``bedeco serve`` runs studies itself.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bedeco.errors import InvalidInput
from bedeco.planning import service
from bedeco.planning.model import PlanningStudy
from bedeco.security.logic import Principal
from bedeco.web.deps import CurrentPrincipal, DbSession, Paging, RecordId, SignedIn


@asynccontextmanager
async def planning_worker(app: FastAPI) -> AsyncIterator[None]:
    """Run queued studies in a background thread while the app serves (unless switched off)."""
    settings = getattr(app.state, "settings", None)
    engine = getattr(app.state, "engine", None)
    background = None
    if settings is not None and engine is not None and settings.planning_worker:
        from bedeco.planning.worker import BackgroundWorker

        background = BackgroundWorker(engine).start()
        app.state.planning_worker = background
    try:
        yield
    finally:
        if background is not None:
            background.stop()


router = APIRouter(prefix="/studies", tags=["planning"], lifespan=planning_worker)

Kind = Annotated[
    str, Field(pattern="^(run|compare|capacity)$", description="run, compare or capacity")
]
PolicyName = Annotated[str, Field(pattern="^(national|pooled|joint)$")]


class StudyCreate(BaseModel):
    """A study to run: the scenario text (YAML or JSON, see docs/planning.md) and the budget."""

    name: str = Field(min_length=1, max_length=200)
    scenario: str = Field(
        min_length=1, max_length=service.MAX_SCENARIO_CHARS, description="scenario YAML or JSON"
    )
    scenario_file: str = Field(
        default="scenario.yaml", min_length=1, max_length=200, description="named in messages"
    )
    kind: Kind = "compare"
    policy: PolicyName | None = Field(default=None, description="for kind run; default pooled")
    time_limit: float = Field(
        default=10.0, ge=1, le=service.MAX_TIME_LIMIT, description="seconds of search per policy"
    )
    workers: int = Field(default=2, ge=1, le=service.MAX_WORKERS)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    classification: str = Field(default="UNCLASSIFIED", max_length=16)
    releasable_to: list[str] = Field(
        default_factory=list, max_length=3, description="BEL, NLD, LUX; your nation is added"
    )


class ProgressRead(BaseModel):
    fraction: float
    best_objective: int | None
    bound: int | None
    message: str
    at: datetime | None


class StudyRead(BaseModel):
    id: int
    name: str
    kind: str
    policy: str | None
    status: str
    illustrative: bool
    time_limit: float
    workers: int
    seed: int
    owner: str
    nation: str
    classification: str
    releasable_to: list[str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    progress: ProgressRead
    error: str


class StudyDetail(StudyRead):
    result: dict[str, Any] | None = Field(
        description="figures per policy run, significance and capacity (plans in export.json)"
    )


class StudyList(BaseModel):
    items: list[StudyRead]
    total: int
    page: int
    page_size: int


def _read(study: PlanningStudy) -> dict[str, Any]:
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
        "owner": study.owner,
        "nation": study.nation,
        "classification": study.classification,
        "releasable_to": sorted(study.releasable_to),
        "created_at": study.created_at,
        "started_at": study.started_at,
        "finished_at": study.finished_at,
        "cancel_requested": study.cancel_requested,
        "progress": {
            "fraction": study.progress_fraction,
            "best_objective": study.progress_objective,
            "bound": study.progress_bound,
            "message": study.progress_message,
            "at": study.progress_at,
        },
        "error": study.error,
    }


def _summary(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if not result:
        return None
    keep = dict(result)
    keep["runs"] = [
        {k: v for k, v in run.items() if k not in ("solution", "gantt_svg", "load_svg")}
        for run in result.get("runs", [])
    ]
    return keep


def _submit(
    request: Request, session: Session, principal: Principal, body: StudyCreate
) -> StudyDetail:
    study = service.submit_study(
        session,
        principal,
        highest=request.app.state.settings.max_classification,
        data=service.StudyInput(
            name=body.name,
            scenario_text=body.scenario,
            scenario_file=body.scenario_file,
            kind=body.kind,
            policy=body.policy,
            time_limit=body.time_limit,
            workers=body.workers,
            seed=body.seed,
            classification=body.classification,
            releasable_to=frozenset(body.releasable_to),
        ),
    )
    return StudyDetail(**_read(study), result=None)


@router.post("", status_code=202, response_model=StudyDetail, summary="Submit a study")
def submit_study(
    request: Request, body: StudyCreate, session: DbSession, principal: SignedIn
) -> StudyDetail:
    """Validate the scenario and queue the study; a worker runs it (poll the detail)."""
    return _submit(request, session, principal, body)


@router.post("/upload", status_code=202, response_model=StudyDetail, summary="Submit a study file")
def upload_study(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    file: Annotated[UploadFile, File(description="scenario YAML or JSON")],
    name: Annotated[str, Form(min_length=1, max_length=200)],
    kind: Annotated[str, Form(pattern="^(run|compare|capacity)$")] = "compare",
    policy: Annotated[str | None, Form(pattern="^(national|pooled|joint)$")] = None,
    time_limit: Annotated[float, Form(ge=1, le=service.MAX_TIME_LIMIT)] = 10.0,
    workers: Annotated[int, Form(ge=1, le=service.MAX_WORKERS)] = 2,
    seed: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    classification: Annotated[str, Form(max_length=16)] = "UNCLASSIFIED",
    releasable_to: Annotated[list[str] | None, Form(max_length=3)] = None,
) -> StudyDetail:
    """The same as POST /studies with the scenario as an uploaded file."""
    raw = file.file.read(service.MAX_SCENARIO_CHARS + 1)
    if len(raw) > service.MAX_SCENARIO_CHARS:
        raise InvalidInput("the file is too large", field="file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", field="file") from None
    body = StudyCreate(
        name=name,
        scenario=text or " ",
        scenario_file=(file.filename or "scenario.yaml")[-200:] or "scenario.yaml",
        kind=kind,
        policy=policy,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        classification=classification,
        releasable_to=releasable_to or [],
    )
    return _submit(request, session, principal, body)


@router.get("", response_model=StudyList, summary="List studies")
def list_studies(
    session: DbSession,
    principal: CurrentPrincipal,
    paging: Annotated[Paging, Depends()],
    sort: Annotated[
        str,
        Query(
            max_length=20,
            description="created_at, name, status, kind or id; prefix - for descending",
        ),
    ] = "-created_at",
    status: Annotated[str | None, Query(pattern="^(queued|running|done|failed|cancelled)$")] = None,
    kind: Annotated[str | None, Query(pattern="^(run|compare|capacity)$")] = None,
) -> StudyList:
    """The studies you may see, newest first unless sorted otherwise."""
    items, total = service.list_studies(
        session,
        principal,
        page=paging.page,
        page_size=paging.page_size,
        sort=sort,
        status=status,
        kind=kind,
    )
    return StudyList(
        items=[StudyRead(**_read(s)) for s in items],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
    )


@router.get("/{study_id}", response_model=StudyDetail, summary="A study with its progress")
def get_study(study_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> StudyDetail:
    study = service.get_study(session, principal, study_id)
    return StudyDetail(**_read(study), result=_summary(study.result))


@router.post("/{study_id}/cancel", response_model=StudyRead, summary="Cancel a study")
def cancel_study(study_id: RecordId, session: DbSession, principal: SignedIn) -> StudyRead:
    """A queued study is cancelled at once; a running one stops and keeps its best plan."""
    return StudyRead(**_read(service.request_cancel(session, principal, study_id)))


@router.get("/{study_id}/export.json", summary="The study and its plans as JSON")
def export_json(study_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> Response:
    study = service.get_study(session, principal, study_id)
    return Response(
        json.dumps(service.export_json(study), indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="study-{study.id}.json"'},
    )


@router.get("/{study_id}/export.csv", summary="The plans as CSV, one row per aircraft and period")
def export_csv(study_id: RecordId, session: DbSession, principal: CurrentPrincipal) -> Response:
    study = service.get_study(session, principal, study_id)
    return Response(
        service.export_csv(study),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="study-{study.id}.csv"'},
    )
