"""The register's API: /instruments, /commitments, /initiatives, /progress, /register."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from bedeco.errors import InvalidInput, NotFound
from bedeco.register import logic
from bedeco.register import reporting as register_reporting
from bedeco.register import service as register
from bedeco.register.access import MAX_EVIDENCE_BYTES, EvidenceInput
from bedeco.register.model import Commitment, Evidence, Initiative, StatusEntry
from bedeco.web.deps import CurrentPrincipal, DbSession, Paging, SignedIn

router = APIRouter(tags=["register"])
Text = dict[str, str]


class EvidenceIn(BaseModel):
    kind: Literal["instrument", "document", "link", "file"]
    instrument_key: str = ""
    reference: str = Field("", max_length=1000)
    file_name: str = Field("", max_length=255)
    media_type: str = Field("", max_length=100)
    size: int | None = Field(None, ge=0)
    sha256: str = Field("", max_length=64)


class CommitmentCreate(BaseModel):
    title: Text
    key: str | None = None
    description: Text = {}
    source_key: str | None = None
    nations: list[str] = []
    domains: list[str] = []
    target_on: dt.date | None = None
    classification: str = "RESTRICTED"
    releasable_to: list[str] = ["BEL", "NLD", "LUX"]
    comment: str = Field("", max_length=5000)


class CommitmentUpdate(BaseModel):
    version: int | None = None
    title: Text | None = None
    description: Text | None = None
    nations: list[str] | None = None
    domains: list[str] | None = None
    target_on: dt.date | None = None
    source_key: str | None = None
    comment: str = Field("", max_length=5000)


class StatusChange(BaseModel):
    status: str
    version: int | None = None
    comment: str = Field("", max_length=5000)
    evidence: list[EvidenceIn] = []


class Note(BaseModel):
    version: int | None = None
    comment: str = Field("", max_length=5000)
    evidence: list[EvidenceIn] = []


class InitiativeCreate(BaseModel):
    key: str
    name: Text
    description: Text = {}
    maturity: int = Field(0, ge=0, le=5)
    nations: list[str] = []
    domains: list[str] = []
    commitments: list[str] = []
    classification: str = "RESTRICTED"
    releasable_to: list[str] = ["BEL", "NLD", "LUX"]


class MaturityChange(BaseModel):
    maturity: int = Field(..., ge=0, le=5)
    version: int | None = None
    comment: str = Field("", max_length=5000)
    evidence: list[EvidenceIn] = []


def _version(body_version: int | None, if_match: str | None) -> int | None:
    """The version the client edited: the body's field, else an If-Match header ("3" or W/"3")."""
    if body_version is not None:
        return body_version
    if if_match:
        raw = if_match.strip().removeprefix("W/").strip('"')
        if raw.isdigit():
            return int(raw)
        raise InvalidInput("If-Match must carry the record's version", field="If-Match")
    return None


def _evidence(items: list[EvidenceIn]) -> list[EvidenceInput]:
    return [EvidenceInput(**item.model_dump()) for item in items]


def _evidence_out(items: list[Evidence]) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "instrument_key": e.instrument_key or None,
            "reference": e.reference or None,
            "file_name": e.file_name or None,
            "media_type": e.media_type or None,
            "size": e.size,
            "sha256": e.sha256 or None,
        }
        for e in items
    ]


def _entry_out(entry: StatusEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "author": entry.author,
        "nation": entry.nation,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "comment": entry.comment,
        "changes": entry.changes,
        "evidence": _evidence_out(entry.evidence),
    }


def _commitment_out(c: Commitment, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": c.id,
        "key": c.key,
        "title": c.title,
        "description": c.description,
        "source": c.source.key if c.source else None,
        "status": c.status,
        "target_on": c.target_on.isoformat() if c.target_on else None,
        "overdue": register.is_overdue(c, today),
        "nations": c.nations,
        "domains": c.domains,
        "classification": c.classification,
        "releasable_to": sorted(c.releasable_to),
        "version": c.version,
        "updated_at": c.updated_at.isoformat(),
    }


def _initiative_out(n: Initiative) -> dict[str, Any]:
    return {
        "id": n.id,
        "key": n.key,
        "name": n.name,
        "description": n.description,
        "maturity": n.maturity,
        "maturity_label": logic.MATURITY_LABELS[logic.Maturity(n.maturity)],
        "nations": n.nations,
        "domains": n.domains,
        "illustrative": n.illustrative,
        "sources": n.sources,
        "classification": n.classification,
        "releasable_to": sorted(n.releasable_to),
        "version": n.version,
    }


@router.get("/instruments", summary="Instruments with their relations")
def api_instruments(
    session: DbSession, principal: CurrentPrincipal, kind: str | None = None
) -> dict[str, Any]:
    items = register.list_instruments(session, principal, kind=kind)
    relations = register.list_relations(session, principal)
    cited = register.provision_citations(session, principal)
    out = []
    for i in items:
        out.append(
            {
                "key": i.key,
                "kind": i.kind,
                "identifier": i.identifier,
                "issued_on": i.issued_on.isoformat() if i.issued_on else None,
                "date_text": i.date_text or None,
                "issuer": i.issuer,
                "title": i.title,
                "relations": [
                    {"kind": r.kind, "target": r.target.key}
                    for r in relations
                    if r.source_id == i.id
                ],
                "cited_in": [
                    {"document": document, "kind": kind, "label": label}
                    for document, kind, label in cited.get(i.key, [])
                ],
            }
        )
    return {"items": out, "total": len(out), "page": 1, "page_size": max(1, len(out))}


@router.get("/instruments/graph", summary="The citation graph as nodes and edges")
def api_graph(session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    graph: register_reporting.Graph = register.citation_graph(session, principal)
    return graph.as_dict()


@router.get("/commitments", summary="Commitments, filtered, searched, sorted and paginated")
def api_commitments(
    session: DbSession,
    principal: CurrentPrincipal,
    paging: Annotated[Paging, Depends()],
    domain: str = "",
    nation: str = "",
    status: str = "",
    instrument: str = "",
    overdue: bool = False,
    q: Annotated[str, Query(max_length=200)] = "",
    lang: Annotated[list[str], Query()] = [],  # noqa: B006
    sort: str = "key",
) -> dict[str, Any]:
    query = register.CommitmentQuery(
        domain=domain,
        nation=nation,
        status=status,
        instrument=instrument,
        overdue=overdue,
        q=q,
        langs=tuple(lang),
    )
    page = register.list_commitments(
        session, principal, query=query, sort=sort, page=paging.page, page_size=paging.page_size
    )
    return {
        "items": [_commitment_out(c) for c in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


@router.post("/commitments", status_code=201, summary="Enter a commitment")
def api_create_commitment(
    session: DbSession, principal: SignedIn, body: CommitmentCreate
) -> dict[str, Any]:
    values = body.model_dump()
    commitment = register.create_commitment(session, principal, **values)
    return _commitment_out(commitment)


@router.get("/commitments/changes", summary="Recent status changes, newest first")
def api_changes(
    session: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    changes = register.recent_changes(session, principal, limit=limit)
    items = [
        {"commitment": c.commitment_key, "title": c.commitment_title, **_entry_out(c.entry)}
        for c in changes
    ]
    return {"items": items, "total": len(items), "page": 1, "page_size": limit}


@router.get("/commitments/{commitment_id}", summary="A commitment with its history")
def api_commitment(session: DbSession, principal: CurrentPrincipal, commitment_id: int) -> Response:
    commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
    history = register.commitment_history(session, principal, commitment_id=commitment_id)
    from fastapi.responses import JSONResponse

    body = {**_commitment_out(commitment), "history": [_entry_out(e) for e in history]}
    return JSONResponse(body, headers={"ETag": f'"{commitment.version}"'})


@router.patch("/commitments/{commitment_id}", summary="Change a commitment's fields")
def api_update_commitment(
    session: DbSession,
    principal: SignedIn,
    commitment_id: int,
    body: CommitmentUpdate,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"version", "comment"})
    commitment = register.update_commitment(
        session,
        principal,
        commitment_id=commitment_id,
        expected_version=_version(body.version, if_match),
        changes=changes,
        comment=body.comment,
    )
    return _commitment_out(commitment)


@router.post("/commitments/{commitment_id}/status", summary="Move a commitment along the workflow")
def api_change_status(
    session: DbSession,
    principal: SignedIn,
    commitment_id: int,
    body: StatusChange,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    entry = register.change_status(
        session,
        principal,
        commitment_id=commitment_id,
        status=body.status,
        expected_version=_version(body.version, if_match),
        comment=body.comment,
        evidence=_evidence(body.evidence),
    )
    commitment = register.get_commitment(session, principal, commitment_id=commitment_id)
    return {**_commitment_out(commitment), "entry": _entry_out(entry)}


@router.post("/commitments/{commitment_id}/notes", summary="Record progress or evidence")
def api_add_note(
    session: DbSession,
    principal: SignedIn,
    commitment_id: int,
    body: Note,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    entry = register.add_note(
        session,
        principal,
        commitment_id=commitment_id,
        expected_version=_version(body.version, if_match),
        comment=body.comment,
        evidence=_evidence(body.evidence),
    )
    return _entry_out(entry)


async def read_upload(upload: UploadFile) -> bytes:
    """The upload's bytes, refusing more than ``MAX_EVIDENCE_BYTES`` without reading it all."""
    data = await upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise register.EvidenceTooLarge(
            f"the evidence file is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MiB",
            field="file",
        )
    return data


@router.post("/evidence-files", status_code=201, summary="Upload an evidence file")
async def api_upload_evidence(
    request: Request, principal: SignedIn, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    data = await read_upload(file)
    item = register.store_evidence_file(
        request.app.state.settings.var_dir,
        data=data,
        file_name=file.filename or "evidence",
        media_type=file.content_type or "",
    )
    return {**item.__dict__}


@router.get("/evidence-files/{sha256}", summary="Download an evidence file")
def api_download_evidence(
    request: Request, session: DbSession, principal: CurrentPrincipal, sha256: str
) -> FileResponse:
    """Served only when a record the principal may see cites it as evidence."""
    evidence = session.scalars(select(Evidence).where(Evidence.sha256 == sha256)).all()
    for item in evidence:
        try:
            if item.entry_id is not None:
                entry = session.get(StatusEntry, item.entry_id)
                if entry is not None:
                    register.get_commitment(session, principal, commitment_id=entry.commitment_id)
            else:
                from bedeco.register.model import InitiativeEntry

                ientry = session.get(InitiativeEntry, item.initiative_entry_id)
                if ientry is None:
                    continue
                register.get_initiative(session, principal, initiative_id=ientry.initiative_id)
        except NotFound:
            continue
        path = register.evidence_file_path(request.app.state.settings.var_dir, sha256)
        return FileResponse(
            path,
            media_type=item.media_type or "application/octet-stream",
            filename=item.file_name or sha256,
        )
    raise NotFound("no such evidence file")


@router.get("/initiatives", summary="Initiatives with their maturity")
def api_initiatives(
    session: DbSession,
    principal: CurrentPrincipal,
    paging: Annotated[Paging, Depends()],
    domain: str = "",
    nation: str = "",
    maturity: Annotated[int | None, Query(ge=0, le=5)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: str = "key",
) -> dict[str, Any]:
    query = register.InitiativeQuery(domain=domain, nation=nation, maturity=maturity, q=q)
    page = register.list_initiatives(
        session, principal, query=query, sort=sort, page=paging.page, page_size=paging.page_size
    )
    return {
        "items": [_initiative_out(n) for n in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
    }


@router.post("/initiatives", status_code=201, summary="Enter an initiative")
def api_create_initiative(
    session: DbSession, principal: SignedIn, body: InitiativeCreate
) -> dict[str, Any]:
    return _initiative_out(register.create_initiative(session, principal, **body.model_dump()))


@router.get("/initiatives/{initiative_id}", summary="An initiative with its history")
def api_initiative(
    session: DbSession, principal: CurrentPrincipal, initiative_id: int
) -> dict[str, Any]:
    initiative = register.get_initiative(session, principal, initiative_id=initiative_id)
    history = register.initiative_history(session, principal, initiative_id=initiative_id)
    return {
        **_initiative_out(initiative),
        "history": [
            {
                "at": e.at.isoformat(),
                "author": e.author,
                "nation": e.nation,
                "from_maturity": e.from_maturity,
                "to_maturity": e.to_maturity,
                "comment": e.comment,
                "evidence": _evidence_out(e.evidence),
            }
            for e in history
        ],
    }


@router.post("/initiatives/{initiative_id}/maturity", summary="Change an initiative's maturity")
def api_change_maturity(
    session: DbSession,
    principal: SignedIn,
    initiative_id: int,
    body: MaturityChange,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    register.change_maturity(
        session,
        principal,
        initiative_id=initiative_id,
        maturity=body.maturity,
        expected_version=_version(body.version, if_match),
        comment=body.comment,
        evidence=_evidence(body.evidence),
    )
    return _initiative_out(register.get_initiative(session, principal, initiative_id=initiative_id))


@router.get("/progress", summary="Progress of a resolution, declaration, domain or nation")
def api_progress(
    session: DbSession,
    principal: CurrentPrincipal,
    instrument: str = "",
    domain: str = "",
    nation: str = "",
) -> dict[str, Any]:
    query = register.CommitmentQuery(instrument=instrument, domain=domain, nation=nation)
    report = register.progress(session, principal, query=query)
    return {"instrument": instrument or None, "domain": domain or None, "nation": nation or None,
            **report.as_dict()}  # fmt: skip


@router.get("/progress/breakdown", summary="Progress per domain, nation or instrument")
def api_breakdown(
    session: DbSession,
    principal: CurrentPrincipal,
    by: Literal["domain", "nation", "instrument"] = "domain",
) -> dict[str, Any]:
    rows = register.progress_breakdown(session, principal, by=by)
    items = [{"key": key, **p.as_dict()} for key, p in rows]
    return {"items": items, "total": len(items), "page": 1, "page_size": max(1, len(items))}


@router.get("/register/export", summary="Export the register (YAML, or CSV tables in a ZIP)")
def api_export(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    format: Literal["yaml", "csv"] = "yaml",
) -> Response:
    """YAML carries the evidence files' checksums; the ZIP also carries the files."""
    data = register.export_data(session, principal)
    if format == "csv":
        evidence = register.evidence_dir(request.app.state.settings.var_dir)
        return Response(
            register.to_csv_zip(data, evidence),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="register.zip"'},
        )
    return Response(
        register.to_yaml(data),
        media_type="application/yaml",
        headers={"Content-Disposition": 'attachment; filename="register.yaml"'},
    )


@router.post("/register/import", summary="Import a register export (coordinators)")
async def api_import(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    file: Annotated[UploadFile, File()],
) -> dict[str, Any]:
    content = await file.read(50 * 1024 * 1024 + 1)
    if len(content) > 50 * 1024 * 1024:
        raise register.EvidenceTooLarge("the import file is larger than 50 MiB", field="file")
    files: dict[str, bytes] = {}
    if content[:2] == b"PK":
        data = register.from_csv_zip(content)
        files = register.evidence_files_of(content, register.cited_files(data))
    else:
        try:
            data = register.from_yaml(content.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidInput("the file must be UTF-8 YAML or a ZIP", field="file") from None
    imported = register.import_data(session, principal, data)
    imported["evidence_files"] = register.keep_evidence_files(
        request.app.state.settings.var_dir, files
    )
    return {"imported": imported}
