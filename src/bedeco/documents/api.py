"""The documents API: /api/v1/documents — upload, list, detail, Akoma Ntoso and Markdown.

An upload takes the text as a ``text/plain`` body, a multipart ``file`` (or
``text`` field), or JSON ``{"text": ...}``; ``?dry_run=true`` parses without
storing and answers the JSON (schema ``bedeco.documents/1.0``). A text the
engine cannot read is a 422 with ``field`` = ``text`` and a message naming
the line and what was expected there.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bedeco.documents import service
from bedeco.documents.model import Document
from bedeco.errors import InvalidInput
from bedeco.web.deps import CurrentPrincipal, DbSession, Paging, SignedIn

router = APIRouter(prefix="/documents", tags=["documents"])

DocumentKey = Annotated[
    str,
    Path(
        min_length=1,
        max_length=120,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="the document's key, e.g. be-chamber-56-0367",
    ),
]
Lang = Annotated[str, Path(pattern=r"^[a-z]{2}$", description="ISO 639-1 language, nl or fr")]
MAX_UPLOAD_BYTES = 4 * 1024 * 1024

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}, "filename": {"type": "string"}},
                    "required": ["text"],
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


class DocumentSummary(BaseModel):
    """A stored document in a list."""

    key: str
    kind: str
    languages: list[str]
    title: dict[str, str]
    document_number: str
    date: str | None
    filename: str
    provisions: int
    anomalies: int
    classification: str
    releasable_to: list[str]
    source_sha256: str
    created_at: str
    created_by: str
    links: dict[str, str]


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    total: int
    page: int
    page_size: int


class DocumentDetail(DocumentSummary):
    """A stored document with its parsed JSON (schema ``bedeco.documents/1.0``) under
    ``document``, its references' register instruments and its commitments."""

    document: dict[str, Any]
    instruments: dict[str, str] = Field(
        default_factory=dict, description="reference id -> register instrument key"
    )
    commitments: list[str] = []


class ImportAnswer(BaseModel):
    stored: list[DocumentSummary]
    replaced: list[str]
    commitments_created: list[str]
    commitments_updated: list[str]


def summary(document: Document) -> DocumentSummary:
    base = f"/api/v1/documents/{document.key}"
    links = {"self": base, "page": f"/documents/{document.key}", "json": f"{base}/json"}
    for lang in document.languages:
        links[f"akn_{lang}"] = f"{base}/akn/{lang}"
        links[f"markdown_{lang}"] = f"{base}/markdown/{lang}"
    return DocumentSummary(
        key=document.key,
        kind=document.kind,
        languages=list(document.languages),
        title=dict(document.title),
        document_number=document.document_number,
        date=document.document_date or None,
        filename=document.filename,
        provisions=document.provision_count,
        anomalies=document.anomaly_count,
        classification=document.classification,
        releasable_to=sorted(document.releasable_to),
        source_sha256=document.source_sha256,
        created_at=document.created_at.isoformat(),
        created_by=document.created_by,
        links=links,
    )


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"the text is larger than {MAX_UPLOAD_BYTES} bytes", field="text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"the text is not UTF-8 (byte {exc.start} cannot be read)", field="text"
        ) from None


async def read_upload(request: Request) -> tuple[str, str]:
    """The uploaded text and its file name, whichever of the three forms it came in."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        try:
            form = await request.form(max_part_size=MAX_UPLOAD_BYTES)
        except Exception:
            raise InvalidInput("the multipart body cannot be read", field="file") from None
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            return _decode(await upload.read()), str(upload.filename or "")
        if isinstance(form.get("text"), str):
            return str(form["text"]), ""
        raise InvalidInput("send the text as a multipart field named 'file'", field="file")
    raw = await request.body()
    if content_type == "application/json":
        try:
            data = json.loads(_decode(raw))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"the body is not JSON: {exc.msg}", field="text") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise InvalidInput('send {"text": "..."}', field="text")
        filename = data.get("filename")
        return data["text"], filename if isinstance(filename, str) else ""
    if content_type in ("text/plain", "text/markdown", ""):
        return _decode(raw), ""
    raise InvalidInput(
        "send text/plain, application/json or multipart/form-data", field="content-type"
    )


@router.post(
    "",
    status_code=201,
    openapi_extra=UPLOAD_BODY,
    responses={200: {"description": "dry run: the parsed JSON, nothing stored"}},
    response_model=None,
)
async def upload_document(
    request: Request,
    session: DbSession,
    principal: SignedIn,
    dry_run: Annotated[bool, Query(description="parse and answer the JSON; store nothing")] = False,
    replace: Annotated[bool, Query(description="overwrite a document already stored")] = False,
    classification: Annotated[str, Query(max_length=16)] = "PUBLIC",
    releasable_to: Annotated[list[str], Query(max_length=3)] = [],  # noqa: B006
    filename: Annotated[str, Query(max_length=255)] = "",
) -> Any:
    """Import a parliamentary text (contributors); ``dry_run`` only parses it."""
    text, uploaded_name = await read_upload(request)
    if dry_run:
        return JSONResponse(service.preview(text), status_code=200)
    result = service.import_document(
        session,
        principal,
        text=text,
        filename=filename or uploaded_name or None,
        classification=classification,
        releasable_to=releasable_to,
        replace=replace,
    )
    return ImportAnswer(
        stored=[summary(d) for d in result.documents],
        replaced=result.replaced,
        commitments_created=result.created,
        commitments_updated=result.updated,
    )


@router.get("", response_model=DocumentPage)
def list_documents(
    session: DbSession,
    principal: CurrentPrincipal,
    paging: Annotated[Paging, Depends()],
    sort: Annotated[
        Literal["key", "-key", "date", "-date", "kind", "-kind", "created", "-created"],
        Query(description="order; '-' for descending"),
    ] = "-date",
    kind: Annotated[Literal["resolution", "motion", "recommendation"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200, description="search key, number, file")] = None,
) -> DocumentPage:
    """Stored documents the reader may see, paginated."""
    page = service.list_documents(
        session,
        principal,
        page=paging.page,
        page_size=paging.page_size,
        sort=sort,
        kind=kind,
        q=q,
    )
    return DocumentPage(
        items=[summary(d) for d in page.items],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
    )


@router.get("/{key}", response_model=DocumentDetail)
def get_document(key: DocumentKey, session: DbSession, principal: CurrentPrincipal) -> Any:
    """One document: its summary and the parsed JSON in schema ``bedeco.documents/1.0``."""
    document = service.get_document(session, principal, key=key)
    instruments = {r.ref_id: r.instrument_key for r in document.references if r.instrument_key}
    commitments = [c.key for c in service.commitments_of(session, principal, key=document.key)]
    return DocumentDetail(
        **summary(document).model_dump(),
        document=document.parsed,
        instruments=instruments,
        commitments=commitments,
    )


@router.get(
    "/{key}/json",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def get_json(key: DocumentKey, session: DbSession, principal: CurrentPrincipal) -> Any:
    """The parsed document exactly as stored at import (schema ``bedeco.documents/1.0``)."""
    body = service.export_document(session, principal, key=key, fmt="json")
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'inline; filename="{key}.json"'},
    )


@router.get(
    "/{key}/akn/{lang}",
    response_class=Response,
    responses={200: {"content": {"application/akn+xml": {}}}},
)
def get_akn(key: DocumentKey, lang: Lang, session: DbSession, principal: CurrentPrincipal) -> Any:
    """The ``lang`` version as Akoma Ntoso 3.0 XML."""
    body = service.export_document(session, principal, key=key, fmt="akn", lang=lang)
    return Response(
        body,
        media_type="application/akn+xml",
        headers={"Content-Disposition": f'inline; filename="{key}.{lang}.akn.xml"'},
    )


@router.get(
    "/{key}/markdown/{lang}",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def get_markdown(
    key: DocumentKey, lang: Lang, session: DbSession, principal: CurrentPrincipal
) -> Any:
    """The ``lang`` version as readable Markdown."""
    body = service.export_document(session, principal, key=key, fmt="md", lang=lang)
    return Response(
        body,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{key}.{lang}.md"'},
    )
