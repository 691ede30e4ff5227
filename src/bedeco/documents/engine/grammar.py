"""The fixed phrases of the genre, in Dutch and French.

A clerk recognises a resolution by its formulas: the body that speaks
(``DE KAMER VAN VOLKSVERTEGENWOORDIGERS,``), the grounds it states
(``overwegende dat``, ``vu``), the verb that turns to the government
(``VERZOEKT DE FEDERALE REGERING:``, ``recommande au gouvernement``), the
closing (``en gaat over tot de orde van de dag``), place and date, and the
functions of those who sign. Each is a pattern here, so the parser reads
like the structure it follows.
"""

from __future__ import annotations

import re

from .dates import find_dates
from .model import DocumentKind

LETTER_LABEL = re.compile(r"^(?P<label>[A-Z]{1,2})[.)]\s+(?P<rest>\S.*)$")
NUMBER_LABEL = re.compile(r"^(?P<label>\d{1,3})[.)]\s+(?P<rest>\S.*)$")
DASH_ITEM = re.compile(r"^[-–—•]\s+(?P<rest>\S.*)$")

# The body that adopts the text, standing alone and ending in a comma.
ENACTING = re.compile(
    r"^(?:de|het|la|le|l['’])\s*(?:tweede\s+|eerste\s+)?"
    r"(?:kamer|chambre|senaat|sénat|benelux-?parlement|parlement\s+benelux|beneluxparlement"
    r"|interparlementaire|assemblée|raadgevende)\b[^;:.]{0,80},"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
# What may follow the body in the enacting formula itself.
ENACTING_CONTINUATION = re.compile(
    r"^(?:gehoord|entendu|ayant\s+entendu|na\s+beraadslaging|après\s+délibération)\b",
    re.IGNORECASE,
)

_GOVERNMENT = (
    r"(?:regering(?:en)?|gouvernements?|comité\s+van\s+ministers|comité\s+de\s+ministres"
    r"|ministerraad|conseil\s+des\s+ministres)"
)
OPERATIVE = re.compile(
    r"^(?P<formula>(?:en\s+|et\s+)?"
    r"(?:verzoekt|vraagt|beveelt|roept|geeft|doet|demande|recommande|invite|prie|exhorte)"
    r"(?:\s+de\s+aanbeveling)?(?:\s+(?:aan|au|aux|à))?"
    r"\s+(?:de\s+|het\s+|le\s+|la\s+|les\s+|l['’])?(?:federale\s+|belgische\s+|nederlandse\s+)?"
    rf"{_GOVERNMENT}"
    r"(?:\s+(?:fédéral|fédéraux|belge|des\s+trois\s+pays|van\s+de\s+drie\s+landen))?"
    r"(?:\s+(?:de\s+aanbeveling|aan|op))?)"
    r"\s*(?P<sep>[:,])?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
CLOSING_FORMULA = re.compile(
    r"(?P<formula>(?:en\s+|et\s+)?(?:gaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag"
    r"|passe\s+à\s+l['’]ordre\s+du\s+jour))\.?$",
    re.IGNORECASE,
)
RECITAL_OPENERS = re.compile(
    r"^(?:overwegende|overwegend|gelet|gezien|aangezien|constaterende|constaterend"
    r"|van\s+oordeel|herinnerend|eraan\s+herinnerend|wijzend|benadrukkend|betreurend"
    r"|verwijzend|considérant|vu|attendu|constatant|rappelant|soulignant|notant"
    r"|tenant\s+compte|eu\s+égard|regrettant|se\s+référant|estimant|van\s+mening)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"^(?i:(?:aldus\s+|ainsi\s+)?(?:aangenomen|adopté|adoptée|gedaan|fait)\s+(?:te|à)\s+)?"
    r"(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ý][\w'’.-]*){0,3})\s*,?\s*(?:le|op|den)?\s*$"
)
FUNCTION_WORDS = re.compile(
    r"\b(?:voorzitter|voorzitster|ondervoorzitter|griffier|secretaris|rapporteur"
    r"|président|présidente|vice-président|greffier|greffière|secrétaire|rapporteuse)\b",
    re.IGNORECASE,
)
KIND_LABEL = re.compile(
    r"^(?:nr\.\s*\d+\s+)?(?P<kind>voorstel\s+van\s+resolutie|proposition\s+de\s+résolution"
    r"|resolutie|résolution|motie\s+van\s+aanbeveling|motion\s+de\s+recommandation"
    r"|moties|motions|motie|motion|aanbeveling|recommandation)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Page header of a Chamber or Senate print: "DOC 56 0367/003", "CRIV 56 PLEN 045 12".
RUNNING_HEADER = re.compile(
    r"^(?:DOC|CRIV|CRABV|CRIV\s+\d+\s+PLEN)\s+\d{1,2}\s+\d{3,4}(?:/\d{3})?(?:\s+\d{1,4})?$"
    r"|^\d{1,2}-\d{1,4}/\d{1,3}\s*-\s*\d{4}/\d{4}$"
)
SUBMITTED_BY = re.compile(
    r"^(?P<function>ingediend\s+door|déposée?s?\s+par|voorgesteld\s+door)\s*:?\s*$", re.IGNORECASE
)
# Verbs that lead a request when the text has no operative formula.
REQUEST_VERB = re.compile(
    r"^(?:veroordeelt|eist|vraagt|verzoekt|roept|dringt|steunt|beveelt|betreurt|verwelkomt"
    r"|condamne|exige|demande|invite|appelle|soutient|recommande|déplore|salue|insiste)\b",
    re.IGNORECASE,
)
_OPENING_CONJUNCTION = re.compile(r"^(?:dat|que|qu['’]\S*)$", re.IGNORECASE)
_OPENING_PREPOSITION = re.compile(r"^(?:op|van|door|naar|aan|à|sur)$", re.IGNORECASE)


def kind_of(label: str) -> DocumentKind:
    """The document kind a printed kind label (``RESOLUTIE``, ``Motie``) names."""
    lowered = label.lower()
    if "motie" in lowered or "motion" in lowered:
        return DocumentKind.MOTION
    if "aanbeveling" in lowered or "recommandation" in lowered:
        return DocumentKind.RECOMMENDATION
    return DocumentKind.RESOLUTION


def opening_phrase(text: str) -> str:
    """The leading phrase of a clause: up to ``dat``/``que`` within five words,
    else up to a preposition within three, else the first word."""
    words = text.split()
    for index, word in enumerate(words[:5]):
        if _OPENING_CONJUNCTION.match(word.rstrip(",")):
            if "'" in word or "’" in word:
                apostrophe = max(word.find("'"), word.find("’"))
                return " ".join([*words[:index], word[: apostrophe + 1]])
            return " ".join(words[: index + 1]).rstrip(",")
    for index, word in enumerate(words[1:3], start=1):
        if _OPENING_PREPOSITION.match(word):
            return " ".join(words[: index + 1])
    return words[0].rstrip(",;:") if words else ""


_FRENCH_INFINITIVE = re.compile(r"^(?:de|à)\s+\S+|^d['’]\S+", re.IGNORECASE)
_DUTCH_INFINITIVE = re.compile(r"\bte\s+[a-zà-ÿ]+", re.IGNORECASE)


def request_opening(text: str, lang: str) -> str:
    """The phrase that says what a request asks: its own verb when it leads
    (``eist dat``, ``condamne``), else the infinitive the operative formula
    governs (``d'examiner``, ``de prolonger``; Dutch puts it later:
    ``te onderzoeken``). Falls back to the first word."""
    if REQUEST_VERB.match(text):
        return opening_phrase(text)
    pattern = _FRENCH_INFINITIVE if lang == "fr" else _DUTCH_INFINITIVE
    match = pattern.search(text[:200])
    if match:
        return match.group(0).rstrip(",;:.")
    return opening_phrase(text)


def place_and_date(text: str) -> tuple[str, str] | None:
    """``("Brussel", "13 mei 2026")`` for a closing line such as
    ``Brussel, 13 mei 2026.``, else ``None``."""
    dates = list(find_dates(text))
    if len(dates) != 1 or len(text) - dates[0].end > 1:
        return None
    match = _PLACE.match(text[: dates[0].start])
    if not match:
        return None
    return match.group("place"), dates[0].text


def is_function(text: str) -> bool:
    """A signatory's function line, such as ``De griffier van de Kamer,``."""
    return len(text.split()) <= 16 and bool(FUNCTION_WORDS.search(text))


def is_recital_start(text: str) -> bool:
    """An unlabelled block that reads as a ground (``overwegende dat``, ``vu``)."""
    return bool(RECITAL_OPENERS.match(text))
