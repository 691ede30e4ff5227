"""HTML pages of planning studies: the list, the submit form, a study's progress and its results.

A study page refreshes itself (``<meta http-equiv="refresh">``) while the
study is queued or running, so progress shows without JavaScript; the
cancel button is a form with its CSRF token. When done it shows the
comparison table, the Gantt chart and the facility load chart of each
policy (SVG drawn on the server by the engine's renderers) and the exports.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from bedeco.errors import ClassificationAboveDeployment, DomainError, InvalidInput
from bedeco.i18n import N_, template_text
from bedeco.planning import service
from bedeco.planning.model import (
    KIND_LABELS,
    POLICY_LABELS,
    STATUS_LABELS,
    PlanningStudy,
    StudyStatus,
)
from bedeco.security.logic import Nation
from bedeco.web.csrf import check_csrf
from bedeco.web.deps import CurrentPrincipal, DbSession, RecordId
from bedeco.web.templating import deployment_levels, render

router = APIRouter(include_in_schema=False)

REFRESH_SECONDS = 3
PAGE_SIZE = 25
SORT_LABELS = {
    "-created_at": N_("Newest first"),
    "created_at": N_("Oldest first"),
    "name": N_("Name"),
    "status": N_("Status"),
}
FIELD_MESSAGES = {
    "name": N_("Name the study (1 to 200 characters)."),
    "kind": N_("Choose what the study runs."),
    "policy": N_("Choose a policy."),
    "time_limit": N_("Give the seconds of search per policy, from 1 to {limit}."),
    "workers": N_("Give the number of solver threads, from 1 to {limit}."),
    "seed": N_("Give a whole number from 0 to 2147483647."),
    "classification": N_("Choose a classification this deployment may hold."),
    "releasable_to": N_("Choose among Belgium, the Netherlands and Luxembourg."),
    "scenario": N_("Paste a scenario or choose a file."),
}
SCENARIO_PROBLEMS = N_("The scenario has problems; each names the file, the line and the field:")
NOT_PERMITTED = N_("You may not submit a study with this marking.")


def _login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(path, safe='')}", status_code=303)


@router.get("/planning")
def studies_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    page: int = 1,
    sort: str = "-created_at",
    status: str = "",
) -> Response:
    """The studies the reader may see, newest first, with their status."""
    sort = sort if sort in SORT_LABELS else "-created_at"
    status = status if status in STATUS_LABELS else ""
    page = max(1, min(page, 100_000))
    items, total = service.list_studies(
        session,
        principal,
        page=page,
        page_size=PAGE_SIZE,
        sort=sort,
        status=status or None,
    )
    return render(
        request,
        "planning/list.html",
        {
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, math.ceil(total / PAGE_SIZE)),
            "sort": sort,
            "status": status,
            "sort_labels": SORT_LABELS,
            "status_labels": STATUS_LABELS,
            "kind_labels": KIND_LABELS,
            "may_submit": not principal.is_anonymous,
        },
    )


def _form_context(
    request: Request, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "problems": values.get("problems", []),
        "kind_labels": KIND_LABELS,
        "policy_labels": POLICY_LABELS,
        "levels": deployment_levels(request),
        "nations": [n.value for n in Nation],
        "max_time_limit": int(service.MAX_TIME_LIMIT),
        "max_workers": service.MAX_WORKERS,
    }


DEFAULTS: dict[str, Any] = {
    "name": "",
    "kind": "compare",
    "policy": "pooled",
    "time_limit": "10",
    "workers": "2",
    "seed": "0",
    "classification": "UNCLASSIFIED",
    "releasable_to": [],
    "scenario": "",
}


@router.get("/planning/new")
def new_study_page(request: Request, principal: CurrentPrincipal) -> Response:
    """The submit form: a scenario pasted or uploaded, what to run and with what budget."""
    if principal.is_anonymous:
        return _login_redirect("/planning/new")
    values = dict(DEFAULTS, releasable_to=[principal.nation.value] if principal.nation else [])
    return render(request, "planning/new.html", _form_context(request, values, {}))


def _number(raw: str, kind: type, field: str, errors: dict[str, str]) -> Any:
    try:
        value = kind(raw)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
        return value
    except (TypeError, ValueError):
        errors[field] = FIELD_MESSAGES[field]
        return None


@router.post("/planning/new")
async def submit_study_page(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Queue the study and show its page, or show the form again with each error at its field."""
    if principal.is_anonymous:
        return _login_redirect("/planning/new")
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = {key: str(form.get(key) or "") for key in DEFAULTS if key != "releasable_to"}
    values["releasable_to"] = [str(n) for n in form.getlist("releasable_to")]
    text = values["scenario"]
    file_name = "scenario.yaml"
    upload = form.get("scenario_file")
    errors: dict[str, str] = {}
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(service.MAX_SCENARIO_CHARS + 1)
        try:
            text = raw.decode("utf-8")
            file_name = upload.filename[-200:]
        except UnicodeDecodeError:
            errors["scenario"] = FIELD_MESSAGES["scenario"]
    time_limit = _number(values["time_limit"], float, "time_limit", errors)
    workers = _number(values["workers"], int, "workers", errors)
    seed = _number(values["seed"], int, "seed", errors)
    if not errors:
        try:
            study = service.submit_study(
                session,
                principal,
                highest=request.app.state.settings.max_classification,
                data=service.StudyInput(
                    name=values["name"],
                    scenario_text=text,
                    scenario_file=file_name,
                    kind=values["kind"],
                    policy=values["policy"] or None,
                    time_limit=time_limit,
                    workers=workers,
                    seed=seed,
                    classification=values["classification"],
                    releasable_to=frozenset(values["releasable_to"]),
                ),
            )
        except service.ScenarioRejected as error:
            errors["scenario"] = SCENARIO_PROBLEMS
            lang = getattr(request.state, "lang", "en")
            values["problems"] = [
                f"{p.file}:{p.line}: {p.field}: {template_text(p.template, p.values, lang)}"
                for p in error.problems
            ]
        except (InvalidInput, ClassificationAboveDeployment) as error:
            errors[error.field or "name"] = FIELD_MESSAGES.get(error.field or "", error.message)
        except DomainError:
            errors["classification"] = NOT_PERMITTED
        else:
            return RedirectResponse(f"/planning/{study.id}", status_code=303)
    context = _form_context(request, values, errors)
    return render(request, "planning/new.html", context, status_code=422)


def _chart(svg: str, policy: str) -> Markup:
    """An engine-drawn SVG with its ids made unique on a page that shows several policies."""
    for name in ("gantt-title", "gantt-desc", "load-title"):
        svg = svg.replace(name, f"{name}-{policy}")
    return Markup(svg)  # drawn by the engine's renderers, which escape every text they write


def _study_context(study: PlanningStudy, principal: Any) -> dict[str, Any]:
    result = study.result or {}
    runs = result.get("runs", [])
    charts = {
        run["policy"]: (
            _chart(run["gantt_svg"], run["policy"]),
            _chart(run["load_svg"], run["policy"]),
        )
        for run in runs
        if run.get("gantt_svg")
    }
    status = StudyStatus(study.status)
    return {
        "study": study,
        "result": result,
        "runs": runs,
        "planned": [r for r in runs if r.get("has_plan")],
        "charts": charts,
        "nations": result.get("nations", []),
        "facilities": result.get("facilities", []),
        "percent": round(100 * (study.progress_fraction or 0)),
        "refresh": REFRESH_SECONDS if not status.final else None,
        "may_cancel": service.may_cancel(principal, study),
        "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "policy_labels": POLICY_LABELS,
    }


@router.get("/planning/{study_id}")
def study_page(
    request: Request, study_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """A study's progress while it runs; its comparison, charts and exports when it is done."""
    study = service.get_study(session, principal, study_id)
    return render(request, "planning/study.html", _study_context(study, principal))


@router.post("/planning/{study_id}/cancel")
async def cancel_study_page(
    request: Request, study_id: RecordId, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Cancel (queued) or stop (running) the study, then show its page."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    if principal.is_anonymous:
        return _login_redirect(f"/planning/{study_id}")
    service.request_cancel(session, principal, study_id)
    return RedirectResponse(f"/planning/{study_id}", status_code=303)
