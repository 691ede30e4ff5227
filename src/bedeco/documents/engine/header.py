"""Read the cover of one language version: who, when, what, which file.

The cover is everything before the enacting formula. Its parts come in a
loose order and any may be missing (a Tweede Kamer motion has no sub-document
list, a Benelux recommendation no legislature), so each part is recognised by
its own shape rather than by position, except the title, which is the block
right after the kind label (``RESOLUTIE`` then ``tot versterking van ...``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .blocks import Block
from .dates import find_dates
from .grammar import KIND_LABEL, kind_of
from .model import DocumentKind, Header, SubDocument

_CHAMBER = re.compile(
    r"\b(?:kamer|chambre|senaat|sénat|parlement|parliament|assemblee|assemblée|raad|conseil)\b"
    r"|benelux-?parlement|beneluxparlement",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"^(?:tekst\s+aangenomen|texte\s+adopté|aangenomen\s+tekst|voorgesteld|proposée?|ingediend"
    r"|déposée?)\b",
    re.IGNORECASE,
)
_DOC_NUMBER = re.compile(
    r"\b(?:doc|stuk|document)\.?\s*(?P<legislature>\d{1,2})[\s-]+(?P<number>\d{1,4})"
    r"(?:\s*/\s*(?P<sub>\d{1,3}))?",
    re.IGNORECASE,
)
_BENELUX_DOC = re.compile(r"\bdoc\.?\s*(?P<number>\d{3,4}/\d{1,2})\b", re.IGNORECASE)
_DOSSIER = re.compile(r"^(?P<dossier>\d{2}\s?\d{3}(?:-[\w]+)?)\b")
_SESSION = re.compile(
    r"\b(?:vergaderjaar\s+|session\s+|zitting\s+)?\(?(?P<first>\d{4})\s*[/–-]\s*(?P<second>\d{4})\)?",
    re.IGNORECASE,
)
_NR = re.compile(r"^nr\.\s*(?P<nr>\d+)\b", re.IGNORECASE)
_SUBDOCUMENT = re.compile(
    r"^[-–—•]?\s*(?:nr\.\s*|n°\s*)?(?P<number>\d{1,3})\s*:\s*(?P<title>.+?)\.?$", re.IGNORECASE
)
_NEXT_SUBDOCUMENT = re.compile(r"\s+(?=[-–—•]\s*\d{3}\s*:|(?:nr\.|n°)\s*\d{1,3}\s*:)", re.I)
_AUTHORS = re.compile(
    r"\b(?:van|de|door|par)\s+(?P<authors>(?:de\s+heer|de\s+heren|mevrouw|mevrouwen|M\.|MM\.|Mme"
    r"|Mmes|het\s+lid|les\s+membres)(?=\s).*)$",
)
_HONORIFIC = re.compile(
    r"^(?:de\s+heer|de\s+heren|mevrouw|mevrouwen|het\s+lid|M\.|MM\.|Mme|Mmes|les\s+membres)\s+",
)
_PLENARY = re.compile(r"integraal\s+verslag|compte\s+rendu\s+intégral", re.IGNORECASE)
_SEE = re.compile(r"^(?:zie|voir)(?:\s+(?:ook|aussi))?\s*:?$", re.IGNORECASE)


def _authors(title: str) -> tuple[str, ...]:
    match = _AUTHORS.search(title)
    if not match:
        return ()
    names = re.split(r",\s*|\s+(?:en|et)\s+", match.group("authors"))
    return tuple(_HONORIFIC.sub("", name).strip() for name in names if name.strip())


def _only_date(text: str) -> bool:
    dates = list(find_dates(text))
    if len(dates) != 1:
        return False
    rest = (text[: dates[0].start] + text[dates[0].end :]).strip(" .,")
    return len(rest.split()) <= 1


def read_header(blocks: Sequence[Block]) -> tuple[Header, DocumentKind | None]:
    """The header of one version and, if a kind label was printed, its kind."""
    chamber: str | None = None
    date = None
    kind_label: str | None = None
    kind: DocumentKind | None = None
    title: str | None = None
    status: str | None = None
    document_number: str | None = None
    document_id: str | None = None
    legislature: int | None = None
    session: str | None = None
    subdocuments: list[SubDocument] = []
    plenary: list[dt.date] = []
    expect_title = False
    expect_plenary = False
    for block in blocks:
        text = block.text
        kind_match = KIND_LABEL.match(text)
        if expect_plenary or _PLENARY.search(text):
            days = [day for found in find_dates(text) for day in found.days()]
            plenary.extend(days)
            expect_plenary = not days
            expect_title = False
            continue
        if kind_label is None and kind_match and len(text.split()) <= 14:
            kind_label = text
            kind = kind_of(kind_match.group("kind"))
            rest = kind_match.group("rest").strip()
            if rest and not rest.upper().startswith(("VAN HET LID", "VAN DE LEDEN")):
                kind_label = kind_match.group(0)[: kind_match.start("rest")].strip()
                title = rest
            nr_in_label = _NR.match(text)
            if nr_in_label and document_number and " nr. " not in document_number:
                document_number = f"{document_number} nr. {nr_in_label.group('nr')}"
                document_id = f"{document_id}:{nr_in_label.group('nr')}"
            expect_title = title is None
            continue
        if date is None and _only_date(text):
            date = next(find_dates(text)).first
            if _STATUS.match(text) and status is None:
                status = text
            continue
        if _STATUS.match(text):
            status = text
            expect_title = False
            continue
        if _SUBDOCUMENT.match(text):
            # Re-wrapped lists put several items on one line: "- 001: ... - 002: ...".
            for item in _NEXT_SUBDOCUMENT.split(text):
                subdocument = _SUBDOCUMENT.match(item)
                if subdocument:
                    title_text = subdocument.group("title")
                    subdocuments.append(
                        SubDocument(subdocument.group("number"), title_text, _authors(title_text))
                    )
            continue
        number = _DOC_NUMBER.search(text) or _BENELUX_DOC.search(text)
        if number and document_number is None:
            if "legislature" in number.groupdict():
                legislature = int(number.group("legislature"))
                printed = number.group(0)[: number.start("number") - number.start()]
                document_number = " ".join(f"{printed}{number.group('number')}".split())
                document_id = f"doc:{legislature}-{number.group('number')}"
            else:
                document_number = f"Doc. {number.group('number')}"
                document_id = f"benelux-parliament:doc:{number.group('number').replace('/', '-')}"
        dossier = _DOSSIER.match(text)
        if dossier and document_number is None and not _only_date(text):
            document_number = f"Kamerstuk {dossier.group('dossier')}"
            document_id = f"nl:tweede-kamer:kamerstuk:{dossier.group('dossier').replace(' ', '')}"
            title = title or text[dossier.end() :].strip() or None
        nr = _NR.match(text)
        if nr and document_number and " nr. " not in document_number:
            document_number = f"{document_number} nr. {nr.group('nr')}"
            document_id = f"{document_id}:{nr.group('nr')}"
            if kind_label is None and kind_match is None:
                kind_label = text[nr.end() :].strip() or None
        sessions = _SESSION.search(text)
        if (
            sessions
            and session is None
            and int(sessions.group("second")) - int(sessions.group("first")) in (0, 1)
        ):
            session = f"{sessions.group('first')}/{sessions.group('second')}"
        if number or dossier or nr or sessions or _SEE.match(text):
            expect_title = False
            continue
        if expect_title:
            title = text
            expect_title = False
            continue
        if chamber is None and _CHAMBER.search(text) and len(text.split()) <= 8:
            chamber = text
    if document_id and document_id.startswith("doc:"):
        body = (
            "senate" if chamber and re.search(r"sena|séna", chamber, re.IGNORECASE) else "chamber"
        )
        document_id = f"be:{body}:{document_id}"
    header = Header(
        chamber=chamber,
        date=date,
        kind_label=kind_label,
        title=title,
        status=status,
        document_number=document_number,
        document_id=document_id,
        legislature=legislature,
        session=session,
        subdocuments=tuple(subdocuments),
        plenary_dates=tuple(plenary),
        line=blocks[0].line if blocks else None,
    )
    return header, kind
