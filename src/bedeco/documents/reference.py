"""The documents capability's share of the reference data: the seed resolution, stored.

``bedeco init --with-reference`` (and ``make run``) import the shipped seed
(Belgian Chamber, Doc 56 0367) as a PUBLIC stored document. It runs after the
register's loader (see ``bedeco.capabilities``), which enters the cited
instruments and the 16 commitments with their domains; this import then finds
those commitments and only refreshes their provisions, so they exist once
whichever order runs. Loading again replaces the stored document only when the
shipped text changed.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bedeco.audit.service import SYSTEM
from bedeco.documents import logic, service
from bedeco.documents.model import Document
from bedeco.reference import SEED_RESOLUTION


def load(session: Session) -> Iterator[str]:
    """Import the seed resolution unless the same text is stored already."""
    text = SEED_RESOLUTION.read_text(encoding="utf-8")
    digest = logic.sha256(text)
    stored = session.scalar(
        select(Document).where(Document.key == service.keys_for(service.parse_text(text), text)[0])
    )
    if stored is not None and stored.source_sha256 == digest:
        yield f"{stored.key}: unchanged"
        return
    result = service.import_document(
        session,
        SYSTEM,
        text=text,
        filename=SEED_RESOLUTION.name,
        classification="PUBLIC",
        replace=stored is not None,
    )
    for document in result.documents:
        yield (
            f"{document.key}: {document.provision_count} provisions, "
            f"{len(document.references)} references, {document.anomaly_count} anomalies; "
            f"{len(result.created)} commitments created, {len(result.updated)} updated"
        )
