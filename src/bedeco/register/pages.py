"""HTML pages of the register: lists with filters and search, details with history, forms,
instruments with the citation graph, initiatives and progress. They work without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from bedeco.errors import DomainError, NotAuthenticated
from bedeco.i18n import error_text
from bedeco.register import charts, logic
from bedeco.register import reporting as register_reporting
from bedeco.register import service as register
from bedeco.register.access import MAX_EVIDENCE_BYTES, EvidenceInput
from bedeco.security.logic import Action, may
from bedeco.web.csrf import check_csrf
from bedeco.web.deps import CurrentPrincipal, DbSession
from bedeco.web.templating import deployment_levels, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


def _common() -> dict[str, Any]:
    return {
        "statuses": list(logic.Status),
        "status_labels": logic.STATUS_LABELS,
        "domains": list(logic.Domain),
        "domain_labels": logic.DOMAIN_LABELS,
        "maturity_labels": logic.MATURITY_LABELS,
        "maturity_help": logic.MATURITY_HELP,
        "evidence_labels": logic.EVIDENCE_LABELS,
        "kind_labels": logic.INSTRUMENT_KIND_LABELS,
        "relation_labels": logic.RELATION_LABELS,
        "nations": ["BEL", "NLD", "LUX"],
        "colours": charts.STATUS_COLOURS,
        "today": dt.date.today(),
    }


def _error(request: Request, exc: DomainError) -> str:
    """The error in the reader's language (the API keeps the English text)."""
    return error_text(exc, getattr(request.state, "lang", "en"))


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 100_000))
    except ValueError:
        return default


@router.get("/commitments")
def commitments_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    domain: str = "",
    nation: str = "",
    status: str = "",
    instrument: str = "",
    overdue: str = "",
    q: str = "",
    sort: str = "key",
    page: str = "1",
) -> Response:
    filters = {"domain": domain, "nation": nation, "status": status, "instrument": instrument,
               "overdue": "1" if overdue else "", "q": q[:200], "sort": sort}  # fmt: skip
    query = register.CommitmentQuery(
        domain=domain if domain in {d.value for d in logic.Domain} else "",
        nation=nation if nation in ("BEL", "NLD", "LUX") else "",
        status=status if logic.parse_status(status) else "",
        instrument=instrument,
        overdue=bool(overdue),
        q=q[:200],
    )
    sort = sort if sort.lstrip("-") in register.SORTS else "key"
    number = _int(page)
    result = register.list_commitments(
        session, principal, query=query, sort=sort, page=number, page_size=PAGE_SIZE
    )
    pages = max(1, -(-result.total // PAGE_SIZE))
    kept = {k: v for k, v in filters.items() if v}

    def link(**changes: Any) -> str:
        return "/commitments?" + urlencode({**kept, **changes})

    return render(
        request,
        "register/commitments.html",
        {
            **_common(),
            "result": result,
            "filters": filters,
            "pages": pages,
            "link": link,
            "instruments": register.list_instruments(session, principal),
            "may_create": not principal.is_anonymous and bool(principal.roles),
        },
    )


def _evidence_from_form(
    request: Request,
    kind: str,
    reference: str,
    instrument_key: str,
    data: bytes | None,
    upload: UploadFile | None,
) -> list[EvidenceInput]:
    if kind == "file":
        if not data:
            from bedeco.errors import InvalidInput

            raise InvalidInput("choose a file to upload", field="evidence_file")
        return [
            register.store_evidence_file(
                request.app.state.settings.var_dir,
                data=data,
                file_name=(upload.filename if upload else "") or "evidence",
                media_type=(upload.content_type if upload else "") or "",
            )
        ]
    if kind == "instrument":
        return [EvidenceInput(kind=kind, instrument_key=instrument_key)]
    if kind in ("document", "link"):
        return [EvidenceInput(kind=kind, reference=reference)]
    return []


def _detail(
    request: Request,
    session: Any,
    principal: Any,
    commitment_id: int,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
    history = register.commitment_history(session, principal, commitment_id=commitment_id)
    initiatives = register.list_initiatives(
        session,
        principal,
        query=register.InitiativeQuery(commitment_id=commitment.id),
        page_size=50,
    ).items
    coordinator = may(principal, commitment.marking, Action.COORDINATE)
    allowed = sorted(
        logic.TRANSITIONS[logic.Status(commitment.status)], key=list(logic.Status).index
    )
    if not coordinator:
        allowed = [s for s in allowed if s not in logic.COORDINATOR_TARGETS]
    return render(
        request,
        "register/commitment.html",
        {
            **_common(),
            "c": commitment,
            "history": list(reversed(history)),
            "initiatives": initiatives,
            "overdue": register.is_overdue(commitment),
            "may_change": may(principal, commitment.marking, Action.CHANGE),
            "allowed": allowed,
            "instruments": register.list_instruments(session, principal),
            "errors": errors or {},
            "form": form or {},
            "max_mib": MAX_EVIDENCE_BYTES // (1024 * 1024),
        },
        status_code=status_code,
    )


@router.get("/commitments/{commitment_id}")
def commitment_page(
    request: Request, session: DbSession, principal: CurrentPrincipal, commitment_id: int
) -> Response:
    return _detail(request, session, principal, commitment_id)


@router.post("/commitments/{commitment_id}/status")
async def commitment_status(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    commitment_id: int,
    csrf_token: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
    evidence_kind: Annotated[str, Form()] = "",
    evidence_reference: Annotated[str, Form()] = "",
    evidence_instrument: Annotated[str, Form()] = "",
    evidence_file: Annotated[UploadFile | None, Form()] = None,
) -> Response:
    """Change the status (or, with status "note", only add a comment and evidence)."""
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated("sign in first")
    form = {"status": status, "comment": comment, "evidence_kind": evidence_kind,
            "evidence_reference": evidence_reference, "evidence_instrument": evidence_instrument}  # fmt: skip
    data = None
    if evidence_file is not None and evidence_file.filename:
        data = await evidence_file.read(MAX_EVIDENCE_BYTES + 1)
    try:
        if data is not None and len(data) > MAX_EVIDENCE_BYTES:
            raise register.EvidenceTooLarge(
                f"the evidence file is larger than {MAX_EVIDENCE_BYTES // 1048576} MiB",
                field="evidence_file",
            )
        evidence = _evidence_from_form(
            request, evidence_kind, evidence_reference, evidence_instrument, data, evidence_file
        )
        expected = int(version) if version.isdigit() else None
        if status == "note":
            register.add_note(
                session, principal, commitment_id=commitment_id, expected_version=expected,
                comment=comment, evidence=evidence,
            )  # fmt: skip
        else:
            register.change_status(
                session, principal, commitment_id=commitment_id, status=status,
                expected_version=expected, comment=comment, evidence=evidence,
            )  # fmt: skip
    except DomainError as exc:
        if exc.status_code in (401, 404):
            raise
        session.rollback()
        field = exc.field or "status"
        if field.startswith("evidence"):
            field = "evidence"
        return _detail(
            request, session, principal, commitment_id,
            errors={field: _error(request, exc)}, form=form, status_code=exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/commitments/{commitment_id}#history", status_code=303)


def _commitment_form(
    request: Request,
    session: Any,
    principal: Any,
    *,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    commitment: Any = None,
    status_code: int = 200,
) -> Response:
    """The new or edit form of a commitment (``commitment`` given: edit, marking for coordinators)."""
    ctx: dict[str, Any] = {
        **_common(),
        "levels": deployment_levels(request),
        "errors": errors or {},
        "form": form,
        "instruments": register.list_instruments(session, principal),
    }
    if commitment is not None:
        ctx["c"] = commitment
        ctx["may_mark"] = may(principal, commitment.marking, Action.COORDINATE)
    return render(request, "register/commitment_form.html", ctx, status_code=status_code)


@router.get("/commitment-new")
def commitment_new(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    if principal.is_anonymous:
        return RedirectResponse("/login?next=/commitment-new", status_code=303)
    return _commitment_form(request, session, principal, form={})


@router.post("/commitment-new")
def commitment_create(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Annotated[str, Form()] = "",
    title_en: Annotated[str, Form()] = "",
    title_nl: Annotated[str, Form()] = "",
    title_fr: Annotated[str, Form()] = "",
    description_en: Annotated[str, Form()] = "",
    source_key: Annotated[str, Form()] = "",
    nations: Annotated[list[str] | None, Form()] = None,
    domains: Annotated[list[str] | None, Form()] = None,
    target_on: Annotated[str, Form()] = "",
    classification: Annotated[str, Form()] = "RESTRICTED",
    releasable_to: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated("sign in first")
    form = {"title_en": title_en, "title_nl": title_nl, "title_fr": title_fr,
            "description_en": description_en, "source_key": source_key, "nations": nations or [],
            "domains": domains or [], "target_on": target_on, "classification": classification,
            "releasable_to": releasable_to or []}  # fmt: skip
    try:
        commitment = register.create_commitment(
            session,
            principal,
            title={"en": title_en, "nl": title_nl, "fr": title_fr},
            description={"en": description_en},
            source_key=source_key or None,
            nations=nations or [],
            domains=domains or [],
            target_on=target_on or None,
            classification=classification,
            releasable_to=releasable_to or [],
        )
    except DomainError as exc:
        session.rollback()
        errors = {exc.field or "title": _error(request, exc)}
        return _commitment_form(
            request, session, principal, form=form, errors=errors, status_code=exc.status_code
        )
    return RedirectResponse(f"/commitments/{commitment.id}", status_code=303)


@router.get("/instruments")
def instruments_page(request: Request, session: DbSession, principal: CurrentPrincipal) -> Response:
    lang = getattr(request.state, "lang", "en")
    from bedeco.i18n import localized

    graph = register.citation_graph(session, principal)
    nodes, edges, height = charts.graph_layout(
        [(n.key, n.identifier or n.key, n.kind, n.issued_on) for n in graph.nodes],
        [(e.source, e.target, e.kind) for e in graph.edges],
    )
    instruments = register.list_instruments(session, principal)
    relations = register.list_relations(session, principal)
    return render(
        request,
        "register/instruments.html",
        {
            **_common(),
            "instruments": instruments,
            "relations": relations,
            "nodes": nodes,
            "edges": edges,
            "height": height,
            "titles": {i.key: localized(i.title, lang).text for i in instruments},
            "cited_in": register.provision_citations(session, principal),
        },
    )


@router.get("/initiatives")
def initiatives_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    domain: str = "",
    nation: str = "",
    maturity: str = "",
    q: str = "",
    page: str = "1",
) -> Response:
    level = int(maturity) if maturity.isdigit() and int(maturity) <= 5 else None
    query = register.InitiativeQuery(
        domain=domain if domain in {d.value for d in logic.Domain} else "",
        nation=nation if nation in ("BEL", "NLD", "LUX") else "",
        maturity=level,
        q=q[:200],
    )
    number = _int(page)
    result = register.list_initiatives(
        session, principal, query=query, page=number, page_size=PAGE_SIZE
    )
    kept = {
        k: v
        for k, v in {"domain": domain, "nation": nation, "maturity": maturity, "q": q}.items()
        if v
    }
    return render(
        request,
        "register/initiatives.html",
        {
            **_common(),
            "result": result,
            "filters": {"domain": domain, "nation": nation, "maturity": maturity, "q": q},
            "pages": max(1, -(-result.total // PAGE_SIZE)),
            "link": lambda **changes: "/initiatives?" + urlencode({**kept, **changes}),
            "levels": list(logic.Maturity),
        },
    )


@router.get("/initiatives/{initiative_id}")
def initiative_page(
    request: Request, session: DbSession, principal: CurrentPrincipal, initiative_id: int
) -> Response:
    from bedeco.register.initiatives import initiative_commitment_keys

    initiative = register.get_initiative(session, principal, initiative_id=initiative_id)
    return render(
        request,
        "register/initiative.html",
        {
            **_common(),
            "n": initiative,
            "history": register.initiative_history(session, principal, initiative_id=initiative_id),
            "commitments": initiative_commitment_keys(session, principal, initiative=initiative),
            "levels": list(logic.Maturity),
            "may_change": may(principal, initiative.marking, Action.CHANGE),
            "errors": {},
        },
    )


@router.post("/initiatives/{initiative_id}/maturity")
def initiative_maturity(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    initiative_id: int,
    csrf_token: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    maturity: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated("sign in first")
    register.change_maturity(
        session,
        principal,
        initiative_id=initiative_id,
        maturity=int(maturity) if maturity.isdigit() else -1,
        expected_version=int(version) if version.isdigit() else None,
        comment=comment,
    )
    return RedirectResponse(f"/initiatives/{initiative_id}", status_code=303)


def _initiative_form(initiative: Any, commitment_keys: list[str]) -> dict[str, Any]:
    return {
        "name_en": initiative.name.get("en", ""),
        "name_nl": initiative.name.get("nl", ""),
        "name_fr": initiative.name.get("fr", ""),
        "description_en": initiative.description.get("en", ""),
        "nations": initiative.nations,
        "domains": initiative.domains,
        "commitments": "\n".join(commitment_keys),
        "comment": "",
        "version": initiative.version,
    }


@router.get("/initiatives/{initiative_id}/edit")
def initiative_edit(
    request: Request, session: DbSession, principal: CurrentPrincipal, initiative_id: int
) -> Response:
    from bedeco.register.initiatives import initiative_commitment_keys

    if principal.is_anonymous:
        return RedirectResponse(f"/login?next=/initiatives/{initiative_id}/edit", status_code=303)
    initiative = register.get_initiative(session, principal, initiative_id=initiative_id)
    keys = [c.key for c in initiative_commitment_keys(session, principal, initiative=initiative)]
    return render(
        request,
        "register/initiative_form.html",
        {**_common(), "n": initiative, "errors": {}, "form": _initiative_form(initiative, keys)},
    )


@router.post("/initiatives/{initiative_id}/edit")
def initiative_update(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    initiative_id: int,
    csrf_token: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    name_nl: Annotated[str, Form()] = "",
    name_fr: Annotated[str, Form()] = "",
    description_en: Annotated[str, Form()] = "",
    nations: Annotated[list[str] | None, Form()] = None,
    domains: Annotated[list[str] | None, Form()] = None,
    commitments: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> Response:
    """Save an initiative's fields; errors and a stale version show the form with the input."""
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated("sign in first")
    initiative = register.get_initiative(session, principal, initiative_id=initiative_id)
    keys = [line.strip() for line in commitments.replace(",", "\n").splitlines() if line.strip()]
    form = {"name_en": name_en, "name_nl": name_nl, "name_fr": name_fr,
            "description_en": description_en, "nations": nations or [], "domains": domains or [],
            "commitments": commitments, "comment": comment, "version": version}  # fmt: skip
    try:
        register.update_initiative(
            session,
            principal,
            initiative_id=initiative_id,
            expected_version=int(version) if version.isdigit() else None,
            changes={
                "name": {**initiative.name, "en": name_en, "nl": name_nl, "fr": name_fr},
                "description": {**initiative.description, "en": description_en},
                "nations": nations or [],
                "domains": domains or [],
                "commitments": keys,
            },
            comment=comment,
        )
    except DomainError as exc:
        if exc.status_code in (401, 404):
            raise
        session.rollback()
        initiative = register.get_initiative(session, principal, initiative_id=initiative_id)
        return render(
            request,
            "register/initiative_form.html",
            {
                **_common(),
                "n": initiative,
                "errors": {exc.field or "name": _error(request, exc)},
                "form": form,
            },
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/initiatives/{initiative_id}", status_code=303)


@router.get("/progress")
def progress_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    instrument: str = "",
    domain: str = "",
    nation: str = "",
    months: str = "",
) -> Response:
    window = None if months == "0" else register_reporting.TIMELINE_MONTHS
    query = register.CommitmentQuery(
        instrument=instrument,
        domain=domain if domain in {d.value for d in logic.Domain} else "",
        nation=nation if nation in ("BEL", "NLD", "LUX") else "",
    )
    report = register.progress(session, principal, query=query, months=window)
    points = [
        (p.month, p.total, p.counts.get(logic.Status.IMPLEMENTED.value, 0)) for p in report.timeline
    ]
    return render(
        request,
        "register/progress.html",
        {
            **_common(),
            "report": report,
            "segments": charts.status_bar(report.progress),
            "columns": charts.timeline_columns(points),
            "filters": {"instrument": instrument, "domain": domain, "nation": nation},
            "months": window,
            "instruments": register.list_instruments(session, principal),
            "changes": register.recent_changes(session, principal, limit=10, query=query),
        },
    )


@router.get("/progress/overview")
def progress_overview_page(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Progress per domain, per responsible nation and per source instrument."""
    breakdowns = {
        by: register.progress_breakdown(session, principal, by=by)
        for by in ("domain", "nation", "instrument")
    }
    return render(request, "register/overview.html", {**_common(), "breakdowns": breakdowns})


def _edit_form(commitment: Any) -> dict[str, Any]:
    return {
        "title_en": commitment.title.get("en", ""),
        "title_nl": commitment.title.get("nl", ""),
        "title_fr": commitment.title.get("fr", ""),
        "description_en": commitment.description.get("en", ""),
        "source_key": commitment.source.key if commitment.source else "",
        "nations": commitment.nations,
        "domains": commitment.domains,
        "target_on": commitment.target_on.isoformat() if commitment.target_on else "",
        "classification": commitment.classification,
        "releasable_to": sorted(commitment.releasable_to),
        "version": commitment.version,
    }


@router.get("/commitments/{commitment_id}/edit")
def commitment_edit(
    request: Request, session: DbSession, principal: CurrentPrincipal, commitment_id: int
) -> Response:
    if principal.is_anonymous:
        return RedirectResponse(f"/login?next=/commitments/{commitment_id}/edit", status_code=303)
    commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
    return _commitment_form(
        request, session, principal, form=_edit_form(commitment), commitment=commitment
    )


@router.post("/commitments/{commitment_id}/edit")
def commitment_update(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    commitment_id: int,
    csrf_token: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    title_en: Annotated[str, Form()] = "",
    title_nl: Annotated[str, Form()] = "",
    title_fr: Annotated[str, Form()] = "",
    description_en: Annotated[str, Form()] = "",
    source_key: Annotated[str, Form()] = "",
    nations: Annotated[list[str] | None, Form()] = None,
    domains: Annotated[list[str] | None, Form()] = None,
    target_on: Annotated[str, Form()] = "",
    classification: Annotated[str, Form()] = "",
    releasable_to: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Save the edited fields; a stale version shows the form again with the input kept.

    The marking fields are sent by coordinators only; a changed marking goes to the
    service, which checks the role again and records the change with an audit event.
    """
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated("sign in first")
    commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
    title = {**commitment.title, "en": title_en, "nl": title_nl, "fr": title_fr}
    description = {**commitment.description, "en": description_en}
    form = {"title_en": title_en, "title_nl": title_nl, "title_fr": title_fr,
            "description_en": description_en, "source_key": source_key, "nations": nations or [],
            "domains": domains or [], "target_on": target_on, "version": version,
            "classification": classification or commitment.classification,
            "releasable_to": releasable_to or []}  # fmt: skip
    changes: dict[str, Any] = {
        "title": title,
        "description": description,
        "source_key": source_key or None,
        "nations": nations or [],
        "domains": domains or [],
        "target_on": target_on or None,
    }
    wanted = (classification, frozenset(releasable_to or ()))
    if classification and wanted != (commitment.classification, commitment.releasable_to):
        changes["marking"] = {"classification": classification, "releasable_to": wanted[1]}
    try:
        register.update_commitment(
            session,
            principal,
            commitment_id=commitment_id,
            expected_version=int(version) if version.isdigit() else None,
            changes=changes,
        )
    except DomainError as exc:
        if exc.status_code in (401, 404):
            raise
        session.rollback()
        commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
        errors = {exc.field or "title": _error(request, exc)}
        return _commitment_form(
            request,
            session,
            principal,
            form=form,
            errors=errors,
            commitment=commitment,
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/commitments/{commitment_id}", status_code=303)
