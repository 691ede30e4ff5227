"""HTML pages of the documents capability: the list, the upload form, the document itself.

The document page shows the languages side by side, one row per recital or
request aligned by eId, references highlighted and linked to their register
instrument when the register holds it. Everything works without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from bedeco.documents import logic, service
from bedeco.errors import DomainError, NotAuthenticated
from bedeco.i18n import N_, error_text
from bedeco.security.logic import Action, Marking, may
from bedeco.web.csrf import check_csrf
from bedeco.web.deps import CurrentPrincipal, DbSession
from bedeco.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
SORT_CHOICES = [
    ("-date", N_("Newest first")),
    ("date", N_("Oldest first")),
    ("key", N_("Key")),
    ("-created", N_("Last imported")),
]
CLASSIFICATIONS = ("PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 100_000))
    except ValueError:
        return default


def _may_upload(principal: Any) -> bool:
    return not principal.is_anonymous and may(principal, Marking.of("PUBLIC"), Action.CHANGE)


@router.get("/documents")
def documents_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    kind: str = "",
    q: str = "",
    sort: str = "-date",
    page: str = "1",
) -> Response:
    """Stored documents the reader may see, with filters, sorting and pages."""
    if kind not in logic.KIND_LABELS:
        kind = ""
    if sort not in dict(SORT_CHOICES):
        sort = "-date"
    result = service.list_documents(
        session,
        principal,
        page=_int(page),
        page_size=PAGE_SIZE,
        sort=sort,
        kind=kind or None,
        q=q[:200] or None,
    )
    pages = max(1, -(-result.total // PAGE_SIZE))
    filters = {"kind": kind, "q": q[:200], "sort": sort}

    def link(**change: Any) -> str:
        params = {k: v for k, v in {**filters, **change}.items() if v}
        return "/documents?" + urlencode(params)

    return render(
        request,
        "documents/list.html",
        {
            "result": result,
            "pages": pages,
            "filters": filters,
            "link": link,
            "kind_labels": logic.KIND_LABELS,
            "sort_choices": SORT_CHOICES,
            "may_upload": _may_upload(principal),
        },
    )


def _upload_form(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    error_line: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "documents/upload.html",
        {
            "errors": errors or {},
            "form": form or {"classification": "PUBLIC", "releasable_to": []},
            "error_line": error_line,
            "classifications": CLASSIFICATIONS,
            "nations": ("BEL", "NLD", "LUX"),
        },
        status_code=status_code,
    )


@router.get("/documents/new")
def upload_page(request: Request, principal: CurrentPrincipal) -> Response:
    """The upload form (contributors); the public is sent to sign in."""
    if principal.is_anonymous:
        return RedirectResponse("/login?next=/documents/new", status_code=303)
    return _upload_form(request)


@router.post("/documents/new")
async def upload_submit(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | str | None, Form()] = None,
    classification: Annotated[str, Form()] = "PUBLIC",
    releasable_to: Annotated[list[str] | None, Form()] = None,
    replace: Annotated[str, Form()] = "",
) -> Response:
    """Parse and import the pasted or uploaded text; errors are shown beside their field."""
    check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise NotAuthenticated(N_("Sign in first."))
    form = {
        "text": text,
        "classification": classification,
        "releasable_to": releasable_to or [],
        "replace": bool(replace),
    }
    filename = ""
    source = text
    if file is not None and not isinstance(file, str) and file.filename:
        raw = await file.read(logic.MAX_TEXT_CHARS * 4 + 1)
        filename = file.filename
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _upload_form(
                request,
                errors={"file": N_("The file is not UTF-8 text.")},
                form=form,
                status_code=422,
            )
        form["text"] = ""
    try:
        result = service.import_document(
            session,
            principal,
            text=source,
            filename=filename or None,
            classification=classification,
            releasable_to=releasable_to or [],
            replace=bool(replace),
        )
    except service.DocumentUnreadable as exc:
        session.rollback()
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        shown = lines[exc.line - 1] if 1 <= exc.line <= len(lines) else ""
        field = "file" if filename else "text"
        return _upload_form(
            request,
            errors={field: exc.message},
            form=form,
            error_line={"line": exc.line, "expected": exc.expected, "text": shown},
            status_code=422,
        )
    except DomainError as exc:
        session.rollback()
        field = exc.field if exc.field in ("classification", "releasable_to") else "text"
        if field == "text" and filename:
            field = "file"
        message = error_text(exc, getattr(request.state, "lang", "en"))
        return _upload_form(
            request, errors={field: message}, form=form, status_code=exc.status_code
        )
    return RedirectResponse(f"/documents/{result.documents[0].key}", status_code=303)


DocumentKey = Annotated[str, Path(min_length=1, max_length=120)]


@router.get("/documents/{key}")
def document_page(
    request: Request, key: DocumentKey, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """The document: languages side by side by eId, references linked, anomalies, downloads."""
    document = service.get_document(session, principal, key=key)
    parsed = service.parsed_of(document)
    resolved = {
        (r.lang, r.provision_eid, r.span_start, r.span_end): r.instrument_key
        for r in document.references
        if r.instrument_key
    }
    linked = service.visible_instruments(session, principal, set(resolved.values()))
    commitments = {
        c.key.rsplit("/request-", 1)[-1].lstrip("0"): c
        for c in service.commitments_of(session, principal, key=document.key)
    }
    rows = logic.aligned_rows(parsed)
    cells = {
        (row.eid, side.lang): logic.segments(side.text, side.references)
        for row in rows
        for side in row.sides
        if side.text is not None
    }
    lang = getattr(request.state, "lang", "en")
    from bedeco.i18n import localized

    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "parsed": parsed,
            "title": localized(document.title, lang),
            "recitals": [r for r in rows if r.kind == "recital"],
            "requests": [r for r in rows if r.kind == "request"],
            "cells": cells,
            "resolved": resolved,
            "linked": linked,
            "commitments": commitments,
            "kind_labels": logic.KIND_LABELS,
            "reference_labels": logic.REFERENCE_LABELS,
            "language_labels": logic.LANGUAGE_LABELS,
        },
    )


@router.get("/documents/{key}/source")
def document_source(key: DocumentKey, session: DbSession, principal: CurrentPrincipal) -> Response:
    """The source text exactly as imported."""
    document = service.get_document(session, principal, key=key)
    return Response(
        document.source_text,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{document.key}.txt"'},
    )
