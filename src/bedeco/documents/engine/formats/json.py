"""JSON out: the documented, versioned exchange form of a parsed text.

The schema is named by ``SCHEMA`` and described field by field in
``docs/documents.md``; a change that removes or renames a field raises the
major version. ``to_data`` gives plain dicts (for an API response or a JSON
column), ``to_json`` the serialised text. A text holding several motions
answers ``{"schema": ..., "documents": [...]}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import Anomaly, Clause, Header, ParsedDocument, Reference, Signatory, Version

SCHEMA = "bedeco.documents/1.0"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _header(header: Header) -> dict[str, Any]:
    return {
        "chamber": header.chamber,
        "date": _iso(header.date),
        "kind_label": header.kind_label,
        "title": header.title,
        "status": header.status,
        "document_number": header.document_number,
        "document_id": header.document_id,
        "legislature": header.legislature,
        "session": header.session,
        "subdocuments": [
            {"number": sub.number, "title": sub.title, "authors": list(sub.authors)}
            for sub in header.subdocuments
        ],
        "plenary_dates": [day.isoformat() for day in header.plenary_dates],
    }


def _clause(clause: Clause) -> dict[str, Any]:
    return {
        "label": clause.label,
        "text": clause.text,
        "eid": clause.eid,
        "opening": clause.opening,
        "printed_label": clause.printed_label,
        "line": clause.line,
    }


def _signatory(signatory: Signatory) -> dict[str, Any]:
    return {
        "function": signatory.function,
        "name": signatory.name,
        "name_carried_from": signatory.name_carried_from,
    }


def _version(version: Version) -> dict[str, Any]:
    return {
        "title": version.header.title,
        "preface": version.preface,
        "enacting_formula": version.enacting_formula,
        "recitals": [_clause(clause) for clause in version.recitals],
        "operative_formula": version.operative_formula,
        "requests": [_clause(clause) for clause in version.requests],
        "closing_formula": version.closing_formula,
        "place": version.place,
        "date": _iso(version.date),
        "signatories": [_signatory(signatory) for signatory in version.signatories],
    }


def _reference(reference: Reference) -> dict[str, Any]:
    return {
        "kind": reference.kind.value,
        "id": reference.id,
        "lang": reference.lang,
        "text": reference.text,
        "provision": reference.provision,
        "span": [reference.start, reference.end],
        "value": reference.value,
    }


def _anomaly(anomaly: Anomaly) -> dict[str, Any]:
    return {
        "code": anomaly.code.value,
        "message": anomaly.message,
        "lang": anomaly.lang,
        "kind": anomaly.kind.value if anomaly.kind else None,
        "label": anomaly.label,
        "line": anomaly.line,
    }


def document_data(document: ParsedDocument) -> dict[str, Any]:
    """One document as plain JSON-ready data, with the ``schema`` key."""
    first = document.header
    return {
        "schema": SCHEMA,
        "kind": document.kind.value,
        "languages": list(document.languages),
        "header": {
            "document_number": first.document_number,
            "document_id": first.document_id,
            "legislature": first.legislature,
            "session": first.session,
            "date": _iso(first.date),
            "plenary_dates": [day.isoformat() for day in first.plenary_dates],
            "by_language": {version.lang: _header(version.header) for version in document.versions},
        },
        "versions": {version.lang: _version(version) for version in document.versions},
        "alignment": [
            {
                "kind": pair.kind.value,
                "label": pair.label,
                "eid": pair.eid,
                "languages": list(pair.languages),
            }
            for pair in document.alignment
        ],
        "references": [_reference(reference) for reference in document.references],
        "anomalies": [_anomaly(anomaly) for anomaly in document.anomalies],
    }


def to_data(documents: ParsedDocument | Sequence[ParsedDocument]) -> dict[str, Any]:
    """One document's object, or ``{"schema", "documents"}`` for several."""
    if isinstance(documents, ParsedDocument):
        return document_data(documents)
    if len(documents) == 1:
        return document_data(documents[0])
    return {"schema": SCHEMA, "documents": [document_data(document) for document in documents]}


def to_json(documents: ParsedDocument | Sequence[ParsedDocument], *, indent: int | None = 2) -> str:
    """``to_data`` serialised; non-ASCII letters are kept as they are."""
    return json.dumps(to_data(documents), ensure_ascii=False, indent=indent)
