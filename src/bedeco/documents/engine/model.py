"""The plain, frozen records the parser produces.

Everything a service needs to store a parsed text lives here, and nothing
else: no database types, no web types. A ``ParsedDocument`` holds one
``Version`` per language (header, recitals, requests, closing), the
``AlignedPair`` list that ties the languages together by label, the
``Reference`` list (instruments and dates, with the span they came from) and
every ``Anomaly`` found on the way, reported as data rather than raised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

#: Languages the engine reads, in the canonical order outputs use.
LANGUAGES: tuple[str, ...] = ("nl", "fr")

#: ISO 639-2/T codes that Akoma Ntoso FRBR metadata wants.
ISO_639_2: dict[str, str] = {"nl": "nld", "fr": "fra"}


class DocumentKind(StrEnum):
    """What the text is; the value doubles as the Akoma Ntoso ``name``."""

    RESOLUTION = "resolution"
    MOTION = "motion"
    RECOMMENDATION = "recommendation"


class ClauseKind(StrEnum):
    """Recitals state grounds (preamble); requests are the operative part."""

    RECITAL = "recital"
    REQUEST = "request"


class RefKind(StrEnum):
    """Types of reference the extractor recognises."""

    DATE = "date"
    PARLIAMENTARY_DOCUMENT = "parliamentary-document"
    COUNCIL_DOCUMENT = "council-document"
    DECLARATION = "declaration"
    AGREEMENT = "agreement"
    STRATEGY = "strategy"
    TREATY = "treaty"
    RESOLUTION = "resolution"
    GOALS = "goals"
    PROGRAMME = "programme"


class AnomalyCode(StrEnum):
    """Everything odd the parser saw but did not stop for."""

    MISSING_LABEL = "missing-label"
    DUPLICATE_LABEL = "duplicate-label"
    ORDER_BREAK = "order-break"
    COUNT_MISMATCH = "count-mismatch"
    CARRIED_NAME = "carried-name"
    SIGNATORY_MISMATCH = "signatory-mismatch"
    DOCUMENT_COUNT_MISMATCH = "document-count-mismatch"
    UNRECOGNISED_BLOCK = "unrecognised-block"
    FOREIGN_BLOCK = "foreign-block"


@dataclass(frozen=True, slots=True)
class SubDocument:
    """One numbered piece of the parliamentary file (``001: Voorstel ...``)."""

    number: str
    title: str
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Header:
    """The cover of one language version, every field optional.

    ``document_number`` is as printed (``Doc 56 0367``, ``Stuk 8-112``);
    ``document_id`` is the same number in a form that does not depend on the
    language (``be:chamber:doc:56-0367``), fit to recognise a re-import.
    """

    chamber: str | None = None
    date: dt.date | None = None
    kind_label: str | None = None
    title: str | None = None
    status: str | None = None
    document_number: str | None = None
    document_id: str | None = None
    legislature: int | None = None
    session: str | None = None
    subdocuments: tuple[SubDocument, ...] = ()
    plenary_dates: tuple[dt.date, ...] = ()
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Clause:
    """A recital or a request, with its printed label (or an ordinal if none).

    ``text`` is the clean text without the label; ``opening`` is its leading
    phrase (``considérant que``, ``gelet op``, ``veroordeelt``). ``eid`` is the
    language-independent identifier that pairs it with its translation.
    """

    kind: ClauseKind
    label: str
    text: str
    opening: str
    eid: str
    line: int
    printed_label: bool = True


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signed, and in what function; ``name_carried_from`` says whether the
    name was read in this language or copied from another one that carries it."""

    function: str | None
    name: str | None
    name_carried_from: str | None = None


@dataclass(frozen=True, slots=True)
class Version:
    """One language's text of one document, rebuilt in order.

    ``text`` is the whole version, blocks separated by blank lines; ``preface``
    is its cover (the blocks before the enacting formula, one per line), the
    text that references with ``provision == "preface"`` point into.
    """

    lang: str
    header: Header
    enacting_formula: str | None
    recitals: tuple[Clause, ...]
    operative_formula: str | None
    requests: tuple[Clause, ...]
    closing_formula: str | None
    place: str | None
    date: dt.date | None
    signatories: tuple[Signatory, ...]
    text: str
    preface: str = ""

    def clauses(self) -> tuple[Clause, ...]:
        """Recitals then requests, in document order."""
        return self.recitals + self.requests


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """A label present in at least one language, with where it was found."""

    kind: ClauseKind
    label: str
    eid: str
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Provision:
    """One recital or request across languages: what a service stores as a row
    with a multilingual text (``{"nl": ..., "fr": ...}``)."""

    kind: ClauseKind
    label: str
    eid: str
    texts: dict[str, str]
    openings: dict[str, str]


@dataclass(frozen=True, slots=True)
class Reference:
    """An instrument or a date named in a provision.

    ``start``/``end`` are character offsets into the clean text of the
    provision named by ``provision`` (a clause eId, or ``"preface"`` for
    ``Version.preface``), so that ``provision_text[start:end] == text``. ``value`` is the
    ISO 8601 date or interval for dates, else ``None``.
    """

    kind: RefKind
    id: str
    lang: str
    text: str
    provision: str
    start: int
    end: int
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something the reader should know; never an exception."""

    code: AnomalyCode
    message: str
    lang: str | None = None
    kind: ClauseKind | None = None
    label: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """One resolution, motion or recommendation in one or more languages."""

    kind: DocumentKind
    languages: tuple[str, ...]
    versions: tuple[Version, ...]
    alignment: tuple[AlignedPair, ...]
    references: tuple[Reference, ...]
    anomalies: tuple[Anomaly, ...]

    def version(self, lang: str) -> Version:
        """The version in ``lang``; ``KeyError`` if the text lacks it."""
        for version in self.versions:
            if version.lang == lang:
                return version
        raise KeyError(lang)

    @property
    def header(self) -> Header:
        """The first language's header, enriched by the others (see parser)."""
        return self.versions[0].header

    @property
    def document_id(self) -> str | None:
        """The language-independent number (``be:chamber:doc:56-0367``), if printed."""
        return self.header.document_id

    def provisions(self) -> tuple[Provision, ...]:
        """Recitals then requests, each with its text in every language, joined by eId."""
        order: list[str] = []
        found: dict[str, list[tuple[str, Clause]]] = {}
        for pair in self.alignment:
            order.append(pair.eid)
            found[pair.eid] = []
        for version in self.versions:
            for clause in version.clauses():
                found.setdefault(clause.eid, []).append((version.lang, clause))
        result = []
        for eid in order:
            first = found[eid][0][1]
            result.append(
                Provision(
                    kind=first.kind,
                    label=first.label,
                    eid=eid,
                    texts={lang: clause.text for lang, clause in found[eid]},
                    openings={lang: clause.opening for lang, clause in found[eid]},
                )
            )
        return tuple(result)

    def titles(self) -> dict[str, str]:
        """Title per language, ready for a multilingual column."""
        return {v.lang: v.header.title for v in self.versions if v.header.title is not None}


class ParseError(ValueError):
    """The text is not a document the engine can read.

    Carries the 1-based ``line`` where reading stopped and what was
    ``expected`` there, so a clerk can look at the right place.
    """

    def __init__(self, line: int, expected: str, found: str = "") -> None:
        self.line = line
        self.expected = expected
        self.found = found
        detail = f"; found {found!r}" if found else ""
        super().__init__(f"line {line}: expected {expected}{detail}")
