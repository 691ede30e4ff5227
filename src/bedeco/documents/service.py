"""Use cases of the documents capability: parse, import, list, read and export stored texts.

Every function takes ``(session, principal, *, ...)``, checks access with the
foundation's rule, records an audit event for every change and flushes
without committing. An import is all-or-nothing: it runs inside a savepoint,
so a text that does not parse, a document already stored, or any failure on
the way (the register refusing a provision) leaves nothing written. Requests
feed the register through ``bedeco.register.service.record_provisions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM, record_event
from bedeco.config import get_settings
from bedeco.documents import logic
from bedeco.documents.engine import ParsedDocument, ParseError, parse_all
from bedeco.documents.engine.formats.akn import to_akn
from bedeco.documents.engine.formats.json import SCHEMA, document_data
from bedeco.documents.engine.formats.markdown import to_markdown
from bedeco.documents.model import Document, DocumentAnomaly, DocumentProvision, DocumentReference
from bedeco.errors import (
    ClassificationAboveDeployment,
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotPermitted,
)
from bedeco.i18n import N_
from bedeco.security.logic import (
    Action,
    Classification,
    Marking,
    Nation,
    Principal,
    may,
    parse_classification,
    within_deployment,
)
from bedeco.security.restrict import restrict

INSTRUMENT_KEYS = logic.INSTRUMENT_KEYS
instrument_key = logic.instrument_key
"""Re-exported: other capabilities reach the engine-id table through this service."""

SORTS: dict[str, Any] = {
    "key": Document.key,
    "date": Document.document_date,
    "kind": Document.kind,
    "created": Document.created_at,
}
FORMATS = ("json", "akn", "md")


class DocumentUnreadable(InvalidInput):
    """The text is not a resolution, motion or recommendation the engine can read.

    ``line`` and ``expected`` come from the engine's ``ParseError``; ``field`` is ``text``.
    """

    code = "unreadable_document"

    def __init__(self, error: ParseError) -> None:
        super().__init__(str(error), field="text")
        self.line = error.line
        self.expected = error.expected
        self.found = error.found


class DocumentAlreadyImported(Conflict):
    """A document with the same key (the same printed number, or the same text) is stored."""

    code = "document_already_imported"

    def __init__(self, key: str) -> None:
        super().__init__(
            N_("document {key} is already imported; import it with replace to overwrite it"),
            field="text",
            values={"key": key},
        )
        self.key = key


@dataclass(frozen=True)
class ProvisionInput:
    """A labelled clause as ``bedeco.register.service.record_provisions`` takes it: ``text``
    per language, ``cites`` the register instrument keys it cites, ``domains`` taxonomy codes."""

    label: str
    text: dict[str, str]
    cites: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One page of a list: the items, the total across pages, and where the page is."""

    items: Sequence[Document]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class ImportResult:
    """What an import stored: the documents, and the register commitments it created or
    found (``created`` lists the new keys; the rest existed and had their provisions updated)."""

    documents: list[Document]
    commitments: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    @property
    def updated(self) -> list[str]:
        return [key for key in self.commitments if key not in self.created]


# --- parsing ---------------------------------------------------------------------------------


def check_text(text: str | None) -> str:
    """The text to parse, or ``InvalidInput`` on ``text`` when it is empty or too long."""
    if text is None or not text.strip():
        raise InvalidInput(N_("The text is empty."), field="text")
    if len(text) > logic.MAX_TEXT_CHARS:
        raise InvalidInput(
            N_("the text is longer than {most} characters"),
            field="text",
            values={"most": logic.MAX_TEXT_CHARS},
        )
    return text


def parse_text(text: str) -> list[ParsedDocument]:
    """Every document the text holds (usually one); ``DocumentUnreadable`` if none can be read."""
    text = check_text(text)
    try:
        return list(parse_all(text))
    except ParseError as error:
        raise DocumentUnreadable(error) from None


def preview(text: str) -> dict[str, Any]:
    """The JSON (schema ``bedeco.documents/1.0``) a text would be stored as, without storing."""
    documents = parse_text(text)
    if len(documents) == 1:
        return document_data(documents[0])
    return {"schema": SCHEMA, "documents": [document_data(d) for d in documents]}


def keys_for(documents: Sequence[ParsedDocument], text: str) -> list[str]:
    """The key each document of ``text`` is stored under."""
    digest = logic.sha256(text)
    return [
        logic.document_key(
            d.document_id,
            kind=d.kind.value,
            date=d.header.date,
            digest=digest,
            index=i,
            count=len(documents),
        )
        for i, d in enumerate(documents)
    ]


# --- import ----------------------------------------------------------------------------------


def _check_marking(classification: str, releasable_to: Iterable[str]) -> Marking:
    level = parse_classification(classification)
    if level is None:
        allowed = ", ".join(c.value for c in Classification)
        raise InvalidInput(
            N_("classification must be one of {allowed}"),
            field="classification",
            values={"allowed": allowed},
        )
    highest = get_settings().max_classification
    if not within_deployment(level, highest):
        raise ClassificationAboveDeployment(
            N_("This deployment holds nothing above {level}."),
            field="classification",
            values={"level": highest.value},
        )
    nations = {str(n).strip().upper() for n in releasable_to if n and str(n).strip()}
    unknown = nations - {n.value for n in Nation}
    if unknown:
        raise InvalidInput(
            N_("releasability names unknown nations: {nations}"),
            field="releasable_to",
            values={"nations": ", ".join(sorted(unknown))},
        )
    if level is not Classification.PUBLIC and not nations:
        raise InvalidInput(
            N_("a document that is not PUBLIC must be releasable to at least one nation"),
            field="releasable_to",
        )
    return Marking.of(level.value, nations)


def _require_change(principal: Principal, marking: Marking) -> None:
    """Contributors import; so does set-up work (``SYSTEM``, loading the reference data)."""
    if principal == SYSTEM:
        return
    if principal.is_anonymous:
        raise NotAuthenticated(N_("Sign in first."))
    if not may(principal, marking, Action.CHANGE):
        raise NotPermitted(N_("Only contributors may import documents."))


def _store(
    session: Session,
    principal: Principal,
    *,
    parsed: ParsedDocument,
    key: str,
    text: str,
    digest: str,
    filename: str,
    marking: Marking,
) -> Document:
    header = parsed.header
    data = document_data(parsed)
    document = Document(
        key=key,
        kind=parsed.kind.value,
        languages=list(parsed.languages),
        title=parsed.titles(),
        header=data["header"],
        document_number=header.document_number or "",
        document_date=header.date.isoformat() if header.date else "",
        filename=filename[:255],
        source_text=text,
        source_sha256=digest,
        schema=SCHEMA,
        parsed=data,
        created_at=dt.datetime.now(dt.UTC),
        created_by=principal.name[:120],
    )
    document.set_marking(str(marking.classification), marking.releasable_to)
    provisions = parsed.provisions()
    document.provisions = [
        DocumentProvision(
            position=i, kind=p.kind.value, label=p.label, eid=p.eid, texts=dict(p.texts)
        )
        for i, p in enumerate(provisions)
    ]
    document.references = [
        DocumentReference(
            position=i,
            kind=r.kind.value,
            ref_id=r.id[:200],
            lang=r.lang,
            text=r.text,
            provision_eid=r.provision,
            span_start=r.start,
            span_end=r.end,
            value=r.value,
            instrument_key=logic.instrument_key(r.id, kind=r.kind.value, provision=r.provision),
        )
        for i, r in enumerate(parsed.references)
    ]
    document.anomalies = [
        DocumentAnomaly(
            position=i,
            code=a.code.value,
            message=a.message,
            lang=a.lang,
            kind=a.kind.value if a.kind else None,
            label=a.label,
            line=a.line,
        )
        for i, a in enumerate(parsed.anomalies)
    ]
    document.provision_count = len(provisions)
    document.anomaly_count = len(parsed.anomalies)
    session.add(document)
    session.flush()
    return document


def _feed_register(
    session: Session, principal: Principal, *, document: Document, parsed: ParsedDocument
) -> tuple[list[str], list[str]]:
    """Record the document's provisions in the register; its requests become commitments.

    Returns the commitment keys and those of them that are new.
    """
    from bedeco.register import service as register

    provisions = parsed.provisions()
    requests = [p for p in provisions if p.kind.value == "request"]
    if not requests:
        return [], []
    cites: dict[str, list[str]] = {}
    for ref in document.references:
        if ref.instrument_key and ref.instrument_key != document.key:
            found = cites.setdefault(ref.provision_eid, [])
            if ref.instrument_key not in found:
                found.append(ref.instrument_key)
    cited = sorted({k for keys in cites.values() for k in keys})
    before = set()
    for request in requests:
        key = f"{document.key}/request-{request.label.zfill(2)}"
        try:
            register.get_commitment_by_key(session, principal, key=key)
            before.add(key)
        except NotFound:
            pass
    # ProvisionInput above has the fields the register reads (label, text, cites, domains);
    # the register's own class is not part of its service module.
    recital_inputs: list[Any] = [
        ProvisionInput(label=p.label, text=dict(p.texts), cites=cites.get(p.eid, []))
        for p in provisions
        if p.kind.value == "recital"
    ]
    request_inputs: list[Any] = [
        ProvisionInput(label=p.label, text=dict(p.texts)) for p in requests
    ]
    commitments = register.record_provisions(  # type: ignore[attr-defined]
        session,
        principal,
        document_key=document.key,
        recitals=recital_inputs,
        requests=request_inputs,
        cited_instruments=cited,
        classification=document.classification,
        releasable_to=document.releasable_to,
    )
    keys = [c.key for c in commitments]
    return keys, [k for k in keys if k not in before]


def import_document(
    session: Session,
    principal: Principal,
    *,
    text: str,
    filename: str | None = None,
    classification: str = Classification.PUBLIC.value,
    releasable_to: Iterable[str] = (),
    replace: bool = False,
) -> ImportResult:
    """Parse ``text`` and store every document it holds with its provisions, references and
    anomalies; feed the requests to the register as commitments.

    All or nothing: a ``DocumentUnreadable`` text, a ``DocumentAlreadyImported`` key (unless
    ``replace``) or any later failure leaves nothing written. Imported parliamentary texts
    are PUBLIC unless marked otherwise.
    """
    marking = _check_marking(classification, releasable_to)
    _require_change(principal, marking)
    parsed_documents = parse_text(text)
    digest = logic.sha256(text)
    keys = keys_for(parsed_documents, text)
    existing = {d.key: d for d in session.scalars(select(Document).where(Document.key.in_(keys)))}
    if existing and not replace:
        raise DocumentAlreadyImported(sorted(existing)[0])
    for old in existing.values():
        if principal != SYSTEM and not may(principal, old.marking, Action.CHANGE):
            raise DocumentAlreadyImported(old.key)
    result = ImportResult(documents=[])
    with session.begin_nested():
        for old in existing.values():
            record_event(
                session,
                principal,
                action="document.replace",
                object_type="documents_document",
                object_id=str(old.id),
                change={"key": old.key, "sha256": old.source_sha256},
            )
            session.delete(old)
            result.replaced.append(old.key)
        session.flush()
        for parsed, key in zip(parsed_documents, keys, strict=True):
            document = _store(
                session,
                principal,
                parsed=parsed,
                key=key,
                text=text,
                digest=digest,
                filename=filename or "",
                marking=marking,
            )
            commitments, created = _feed_register(
                session, principal, document=document, parsed=parsed
            )
            record_event(
                session,
                principal,
                action="document.import",
                object_type="documents_document",
                object_id=str(document.id),
                change={
                    "key": key,
                    "sha256": digest,
                    "filename": filename or "",
                    "provisions": document.provision_count,
                    "references": len(document.references),
                    "anomalies": document.anomaly_count,
                    "commitments_created": created,
                    "classification": document.classification,
                },
            )
            result.documents.append(document)
            result.commitments.extend(commitments)
            result.created.extend(created)
    return result


# --- reading ---------------------------------------------------------------------------------


def list_documents(
    session: Session,
    principal: Principal,
    *,
    page: int = 1,
    page_size: int = 25,
    sort: str = "-date",
    kind: str | None = None,
    q: str | None = None,
) -> Page:
    """Documents the principal may see, filtered by kind and a search in key, number and file
    name, sorted by ``key``, ``date``, ``kind`` or ``created`` (``-`` for descending)."""
    descending = sort.startswith("-")
    column = SORTS.get(sort.lstrip("-"))
    if column is None:
        raise InvalidInput(
            "sort must be one of " + ", ".join(f"{s}, -{s}" for s in SORTS), field="sort"
        )
    statement = restrict(select(Document), Document, principal)
    if kind:
        statement = statement.where(Document.kind == kind)
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("%", "").replace("_", "") + "%"
        statement = statement.where(
            or_(
                func.lower(Document.key).like(pattern),
                func.lower(Document.document_number).like(pattern),
                func.lower(Document.filename).like(pattern),
            )
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = column.desc() if descending else column.asc()
    items = list(
        session.scalars(
            statement.order_by(order, Document.id.desc() if descending else Document.id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
    )
    return Page(items=items, total=total, page=page, page_size=page_size)


def get_document(session: Session, principal: Principal, *, key: str) -> Document:
    """The stored document ``key``; ``NotFound`` if there is none the principal may see."""
    document = session.scalar(
        restrict(select(Document), Document, principal).where(Document.key == key)
    )
    if document is None:
        raise NotFound(N_("No such document."), field="key")
    return document


def parsed_of(document: Document) -> ParsedDocument:
    """The engine's records rebuilt from the JSON stored at import."""
    return logic.document_from_data(document.parsed)


def export_document(
    session: Session, principal: Principal, *, key: str, fmt: str, lang: str | None = None
) -> str | bytes:
    """The stored document as JSON (``dict`` serialised), AKN bytes or Markdown for ``lang``."""
    document = get_document(session, principal, key=key)
    if fmt == "json":
        import json

        return json.dumps(document.parsed, ensure_ascii=False, indent=2)
    if fmt not in FORMATS:
        raise InvalidInput("format must be one of " + ", ".join(FORMATS), field="format")
    if lang not in document.languages:
        raise NotFound(
            f"document {key!r} has no version in {lang!r}; it has " + ", ".join(document.languages),
            field="lang",
        )
    parsed = parsed_of(document)
    return to_akn(parsed, lang) if fmt == "akn" else to_markdown(parsed, lang)


def visible_instruments(session: Session, principal: Principal, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` name a register instrument the principal may see (for links)."""
    from bedeco.register import service as register

    wanted = set(keys)
    if not wanted:
        return set()
    instruments = register.list_instruments(session, principal)  # type: ignore[attr-defined]
    return {i.key for i in instruments if i.key in wanted}


def commitments_of(session: Session, principal: Principal, *, key: str) -> list[Any]:
    """The register commitments recorded from the document's requests, in order."""
    from bedeco.register import service as register

    return [
        d.commitment
        for d in register.commitments_for_document(session, principal, document_key=key)
    ]
