"""Pure rules of the documents capability, read first: keys, the instrument table, stored JSON.

No database, no web. Three things live here:

- ``document_key``: the key a stored document gets. A document that prints its
  number (``be:chamber:doc:56-0367``) is keyed by it (``be-chamber-56-0367``,
  the register's key for the seed resolution), so importing the same text
  twice is recognised; one that prints none is keyed by kind, date and the
  SHA-256 of the text.
- ``INSTRUMENT_KEYS`` and ``instrument_key``: the one table from the engine's
  reference ids (``benelux:declaration:2012-04-18``, ``eu:strategic-compass``)
  to the register's instrument keys (``benelux-decl-2012``,
  ``eu-compass-2022``). The seed's recitals A–K cite these instruments
  (recital B the 2012 Declaration, request 1 asks to implement it in full).
- ``document_from_data``: the inverse of the engine's JSON (schema
  ``bedeco.documents/1.0``), so Akoma Ntoso and Markdown exports are rebuilt
  from the JSON stored at import and stay the same whatever later parser
  versions would read from the source text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bedeco.documents.engine.formats.json import SCHEMA
from bedeco.documents.engine.model import (
    AlignedPair,
    Anomaly,
    AnomalyCode,
    Clause,
    ClauseKind,
    DocumentKind,
    Header,
    ParsedDocument,
    Reference,
    RefKind,
    Signatory,
    SubDocument,
    Version,
)
from bedeco.i18n import N_

#: Largest text accepted for parsing or import (characters); the seed is about 25 000.
MAX_TEXT_CHARS = 2_000_000

#: Engine reference id -> register instrument key. Every instrument the seed cites by name
#: or number; the two the seed names only by their date (recital I: the Benelux ministers'
#: declaration of 6 April 2022; recital J: the thematic debate of 3 June 2022) are listed
#: under the date id the engine gives them, as the register reads the seed the same way.
INSTRUMENT_KEYS: dict[str, str] = {
    "benelux:declaration:2012-04-18": "benelux-decl-2012",
    "benelux-parliament:doc:855-2": "rec-855-2",
    "benelux:agreement:airspace:2015-03-04": "airspace-2015",
    "benelux-parliament:doc:878-1": "rec-878-1",
    "benelux-parliament:doc:878-2": "ans-878-2",
    "eu:strategic-compass": "eu-compass-2022",
    "eu:council:7371/22": "eu-compass-2022",
    "2022-04-06": "benelux-compass-2022",
    "2022-06-03": "benelux-debate-2022",
    "nato:strategic-concept": "nato-sc-2022",
    "benelux-parliament:doc:936-2": "rec-936-2",
    "be:chamber:doc:56-0367": "be-chamber-56-0367",
}

_DATE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: Reader's names of the document kinds (the engine's ``DocumentKind``).
KIND_LABELS: dict[str, str] = {
    DocumentKind.RESOLUTION: N_("Resolution"),
    DocumentKind.MOTION: N_("Motion"),
    DocumentKind.RECOMMENDATION: N_("Recommendation"),
}

#: Reader's names of the reference kinds the engine produces.
REFERENCE_LABELS: dict[str, str] = {
    RefKind.DATE: N_("Date"),
    RefKind.PARLIAMENTARY_DOCUMENT: N_("Parliamentary document"),
    RefKind.COUNCIL_DOCUMENT: N_("Council document"),
    RefKind.DECLARATION: N_("Declaration"),
    RefKind.AGREEMENT: N_("Agreement"),
    RefKind.STRATEGY: N_("Strategy"),
    RefKind.TREATY: N_("Treaty"),
    RefKind.RESOLUTION: N_("Resolution"),
    RefKind.GOALS: N_("Goals"),
    RefKind.PROGRAMME: N_("Programme"),
}

LANGUAGE_LABELS: dict[str, str] = {"nl": N_("Dutch"), "fr": N_("French")}


def instrument_key(reference_id: str, *, kind: str = "", provision: str = "") -> str | None:
    """The register instrument a reference names, or ``None``.

    A date resolves only in a recital: the seed names two instruments only by their date,
    and a date in a request is a deadline, not a citation.
    """
    if _DATE_ID.match(reference_id) and (
        kind not in ("", RefKind.DATE.value) or not provision.startswith("recital_")
    ):
        return None
    return INSTRUMENT_KEYS.get(reference_id)


def sha256(text: str) -> str:
    """The SHA-256 of the text as UTF-8, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def document_key(
    document_id: str | None,
    *,
    kind: str,
    date: dt.date | None,
    digest: str,
    index: int = 0,
    count: int = 1,
) -> str:
    """The stored key: from the printed number when there is one, else kind, date and hash.

    ``be:chamber:doc:56-0367`` gives ``be-chamber-56-0367``; a text holding ``count`` > 1
    motions gives each a ``-m<n>`` suffix (they share the file's number).
    """
    if document_id:
        base = _slug(document_id.replace(":doc:", ":"))[:100]
    else:
        base = "-".join(p for p in (kind, date.isoformat() if date else "", digest[:12]) if p)
    return f"{base}-m{index + 1}" if count > 1 else base


@dataclass(frozen=True)
class Side:
    """One language of one row of the side-by-side view: the text or ``None`` if missing."""

    lang: str
    text: str | None
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Row:
    """One recital or request, aligned by eId across languages."""

    kind: str
    label: str
    eid: str
    sides: tuple[Side, ...]


def aligned_rows(document: ParsedDocument) -> list[Row]:
    """Recitals then requests, one row per eId, each language's text or ``None``."""
    by_eid: dict[tuple[str, str], Clause] = {}
    for version in document.versions:
        for clause in version.clauses():
            by_eid[(version.lang, clause.eid)] = clause
    refs: dict[tuple[str, str], list[Reference]] = {}
    for reference in document.references:
        refs.setdefault((reference.lang, reference.provision), []).append(reference)
    rows = []
    for pair in document.alignment:
        sides = []
        for lang in document.languages:
            found_clause = by_eid.get((lang, pair.eid))
            found = sorted(refs.get((lang, pair.eid), []), key=lambda r: (r.start, -r.end))
            sides.append(Side(lang, found_clause.text if found_clause else None, tuple(found)))
        rows.append(Row(pair.kind.value, pair.label, pair.eid, tuple(sides)))
    return rows


@dataclass(frozen=True)
class Segment:
    """A piece of a clause's text: plain, or a reference (outermost only) to highlight."""

    text: str
    reference: Reference | None = None


def segments(text: str, references: Sequence[Reference]) -> list[Segment]:
    """Cut ``text`` into plain pieces and the outermost, non-overlapping references."""
    out: list[Segment] = []
    cursor = 0
    for reference in sorted(references, key=lambda r: (r.start, -r.end)):
        if (
            reference.start < cursor
            or reference.end > len(text)
            or reference.start >= reference.end
        ):
            continue
        if reference.start > cursor:
            out.append(Segment(text[cursor : reference.start]))
        out.append(Segment(text[reference.start : reference.end], reference))
        cursor = reference.end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out


# --- stored JSON back to the engine's records -------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _header(data: Mapping[str, Any]) -> Header:
    return Header(
        chamber=data.get("chamber"),
        date=_date(data.get("date")),
        kind_label=data.get("kind_label"),
        title=data.get("title"),
        status=data.get("status"),
        document_number=data.get("document_number"),
        document_id=data.get("document_id"),
        legislature=data.get("legislature"),
        session=data.get("session"),
        subdocuments=tuple(
            SubDocument(s["number"], s["title"], tuple(s.get("authors", ())))
            for s in data.get("subdocuments", ())
        ),
        plenary_dates=tuple(dt.date.fromisoformat(d) for d in data.get("plenary_dates", ())),
    )


def _clauses(kind: ClauseKind, items: Sequence[Mapping[str, Any]]) -> tuple[Clause, ...]:
    return tuple(
        Clause(
            kind=kind,
            label=c["label"],
            text=c["text"],
            opening=c.get("opening", ""),
            eid=c["eid"],
            line=c.get("line", 0),
            printed_label=c.get("printed_label", True),
        )
        for c in items
    )


def document_from_data(data: Mapping[str, Any]) -> ParsedDocument:
    """Rebuild the engine's ``ParsedDocument`` from its stored JSON (schema 1.x).

    ``Version.text`` is not part of the schema and comes back empty; every export reads the
    clauses, header and references, which are.
    """
    schema = str(data.get("schema", ""))
    if not schema.startswith(SCHEMA.rsplit(".", 1)[0] + "."):
        raise ValueError(f"unsupported schema {schema!r}; this version reads {SCHEMA}")
    by_language = data["header"]["by_language"]
    versions = []
    for lang in data["languages"]:
        v = data["versions"][lang]
        versions.append(
            Version(
                lang=lang,
                header=_header(by_language[lang]),
                enacting_formula=v.get("enacting_formula"),
                recitals=_clauses(ClauseKind.RECITAL, v.get("recitals", ())),
                operative_formula=v.get("operative_formula"),
                requests=_clauses(ClauseKind.REQUEST, v.get("requests", ())),
                closing_formula=v.get("closing_formula"),
                place=v.get("place"),
                date=_date(v.get("date")),
                signatories=tuple(
                    Signatory(s.get("function"), s.get("name"), s.get("name_carried_from"))
                    for s in v.get("signatories", ())
                ),
                text="",
                preface=v.get("preface", ""),
            )
        )
    return ParsedDocument(
        kind=DocumentKind(data["kind"]),
        languages=tuple(data["languages"]),
        versions=tuple(versions),
        alignment=tuple(
            AlignedPair(ClauseKind(a["kind"]), a["label"], a["eid"], tuple(a["languages"]))
            for a in data.get("alignment", ())
        ),
        references=tuple(
            Reference(
                kind=RefKind(r["kind"]),
                id=r["id"],
                lang=r["lang"],
                text=r["text"],
                provision=r["provision"],
                start=r["span"][0],
                end=r["span"][1],
                value=r.get("value"),
            )
            for r in data.get("references", ())
        ),
        anomalies=tuple(
            Anomaly(
                code=AnomalyCode(a["code"]),
                message=a["message"],
                lang=a.get("lang"),
                kind=ClauseKind(a["kind"]) if a.get("kind") else None,
                label=a.get("label"),
                line=a.get("line"),
            )
            for a in data.get("anomalies", ())
        ),
    )
