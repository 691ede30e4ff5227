"""Find the instruments and dates a provision cites, as typed identifiers.

The platform's register links commitments to the instruments a resolution
invokes (recitals B, H, K, R; requests 1, 13, 14), so a citation must resolve
to one identifier whatever language names it: ``Benelux-verklaring van
18 april 2012`` and ``Déclaration Benelux du 18 avril 2012`` are both
``benelux:declaration:2012-04-18``. Each pattern below names one family of
instrument in both languages; spans are offsets into the provision's clean
text, so the Akoma Ntoso writer can mark them up in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .dates import DATE_PATTERN, find_dates
from .model import Reference, RefKind, Version

_DATE = DATE_PATTERN.pattern
_NUMBER_PIECE = re.compile(r"\d[\d ./-]*\d")
_NEAR = r"[^;]{0,160}?"


@dataclass(frozen=True, slots=True)
class _Rule:
    """One family of instrument; ``cues`` are lower-case words one of which
    must occur before the (slower) pattern is tried."""

    kind: RefKind
    pattern: re.Pattern[str]
    identify: Callable[[re.Match[str]], str | None]
    cues: tuple[str, ...]


def _iso_of(match: re.Match[str]) -> str | None:
    found = next(find_dates(match.group(0)), None)
    return found.first.isoformat() if found else None


def _fixed(identifier: str) -> Callable[[re.Match[str]], str | None]:
    return lambda _match: identifier


def _dated(prefix: str) -> Callable[[re.Match[str]], str | None]:
    def identify(match: re.Match[str]) -> str | None:
        iso = _iso_of(match)
        return f"{prefix}:{iso}" if iso else None

    return identify


_RULES: tuple[_Rule, ...] = (
    _Rule(
        RefKind.PARLIAMENTARY_DOCUMENT,
        re.compile(
            r"(?<=\()\d{3,4}-\d{1,2}(?=\))"
            r"|(?<=aanbeveling\s)\d{3,4}-\d{1,2}\b|(?<=recommandation\s)\d{3,4}-\d{1,2}\b",
            re.IGNORECASE,
        ),
        lambda match: f"benelux-parliament:doc:{match.group(0)}",
        ("(", "aanbeveling", "recommandation"),
    ),
    _Rule(
        RefKind.COUNCIL_DOCUMENT,
        re.compile(r"(?<=\()\d{4,5}/\d{2}(?=\))|\b\d{4,5}/\d{2}\b(?!/)"),
        lambda match: f"eu:council:{match.group(0)}",
        ("/",),
    ),
    _Rule(
        RefKind.DECLARATION,
        re.compile(
            rf"(?:Benelux-?verklaring|Benelux\s+Declaration|Déclaration\s+Benelux){_NEAR}(?:{_DATE})",
            re.IGNORECASE,
        ),
        _dated("benelux:declaration"),
        ("verklaring", "declaration", "déclaration"),
    ),
    _Rule(
        RefKind.AGREEMENT,
        re.compile(
            rf"\b(?:akkoord|overeenkomst|accord){_NEAR}(?:lucht-?ruim\w*|aérien\w*|espace\s+aérien)"
            rf"{_NEAR}(?:{_DATE})",
            re.IGNORECASE,
        ),
        _dated("benelux:agreement:airspace"),
        ("akkoord", "overeenkomst", "accord"),
    ),
    _Rule(
        RefKind.STRATEGY,
        re.compile(
            r"\b(?:EU-)?Strategisch\s+Kompas\b|\bBoussole\s+stratégique(?:\s+de\s+l['’]UE)?",
            re.IGNORECASE,
        ),
        _fixed("eu:strategic-compass"),
        ("kompas", "boussole"),
    ),
    _Rule(
        RefKind.STRATEGY,
        re.compile(
            r"\b(?:NAVO-)?Strategisch\s+Concept\b|\bConcept\s+stratégique\s+de\s+l['’]OTAN",
            re.IGNORECASE,
        ),
        _fixed("nato:strategic-concept"),
        ("concept",),
    ),
    _Rule(
        RefKind.TREATY,
        re.compile(
            r"\bartikel\s+5\s+van\s+het\s+Noord-Atlantisch\s+Verdrag"
            r"|\barticle\s+5\s+du\s+Traité\s+de\s+l['’]Atlantique\s+Nord",
            re.IGNORECASE,
        ),
        _fixed("nato:north-atlantic-treaty:art-5"),
        ("artikel 5", "article 5"),
    ),
    _Rule(
        RefKind.TREATY,
        re.compile(
            r"(?<!artikel 5 van het )\bNoord-Atlantisch\s+Verdrag\b"
            r"|(?<!article 5 du )\bTraité\s+de\s+l['’]Atlantique\s+Nord\b",
        ),
        _fixed("nato:north-atlantic-treaty"),
        ("atlantisch", "atlantique"),
    ),
    _Rule(
        RefKind.GOALS,
        re.compile(
            r"\bduurzame[- ]ontwikkelingsdoelen(?:\s+van\s+de\s+Verenigde\s+Naties)?"
            r"|\bobjectifs\s+de\s+développement\s+durable(?:\s+des\s+Nations\s+Unies)?",
            re.IGNORECASE,
        ),
        _fixed("un:sdg"),
        ("ontwikkelingsdoelen", "développement durable"),
    ),
    _Rule(
        RefKind.RESOLUTION,
        re.compile(
            r"\b[Rr]esolutie\s+(?P<n>\d{3,4})\s+van\s+de\s+(?:VN-)?Veiligheidsraad"
            r"|\b[Rr]ésolution\s+(?P<m>\d{3,4})\s+du\s+Conseil\s+de\s+sécurité",
        ),
        lambda match: f"un:security-council:resolution:{match.group('n') or match.group('m')}",
        ("veiligheidsraad", "conseil de sécurité"),
    ),
    _Rule(RefKind.PROGRAMME, re.compile(r"\bPESCO\b"), _fixed("eu:pesco"), ("pesco",)),
)


_CUES = re.compile(
    "|".join(re.escape(cue) for cue in sorted({c for r in _RULES for c in r.cues}, key=len)[::-1])
)
_DIGIT = re.compile(r"\d")


def find_references(text: str, lang: str, provision: str) -> Iterator[Reference]:
    """Every instrument and date cited in ``text``, ordered by position."""
    found: list[Reference] = []
    # One pass finds which cues occur; only their rules run their patterns.
    present = set(_CUES.findall(text.lower()))
    for rule in _RULES:
        if present.isdisjoint(rule.cues):
            continue
        for match in rule.pattern.finditer(text):
            identifier = rule.identify(match)
            if identifier is None:
                continue
            found.append(
                Reference(
                    rule.kind,
                    identifier,
                    lang,
                    match.group(0),
                    provision,
                    match.start(),
                    match.end(),
                )
            )
    for date in find_dates(text) if _DIGIT.search(text) else ():
        found.append(
            Reference(
                RefKind.DATE, date.iso, lang, date.text, provision, date.start, date.end, date.iso
            )
        )
    found.sort(key=lambda ref: (ref.start, -ref.end))
    yield from found


def _number_reference(version: Version) -> Iterator[Reference]:
    """The text's own number, where the cover prints it."""
    header, preface = version.header, version.preface
    if not (header.document_number and header.document_id):
        return
    start = preface.find(header.document_number)
    text = header.document_number
    if start < 0:
        # Normalised or composed numbers (Tweede Kamer "Kamerstuk 21 501-28 nr. 287"):
        # point at the first printed piece of it.
        piece = _NUMBER_PIECE.search(header.document_number)
        start = preface.find(piece.group(0)) if piece else -1
        text = piece.group(0) if piece else ""
    if start >= 0:
        end = start + len(text)
        yield Reference(
            RefKind.PARLIAMENTARY_DOCUMENT,
            header.document_id,
            version.lang,
            text,
            "preface",
            start,
            end,
        )


def version_references(version: Version) -> tuple[Reference, ...]:
    """References of the cover and of every recital and request of ``version``."""
    refs: list[Reference] = list(_number_reference(version))
    refs.extend(find_references(version.preface, version.lang, "preface"))
    for clause in version.clauses():
        refs.extend(find_references(clause.text, version.lang, clause.eid))
    return tuple(refs)
