"""Tell Dutch blocks from French ones.

Why our own method: lingua-language-detector, restricted to Dutch and French,
needs about 20 ms for the seed's ~110 blocks once warm (and 0.75 s for its
first call), which alone would spend the whole 20 ms budget of a parse. The
two languages are easy to tell apart by their function words, elisions
(``l'``, ``qu'``) and diacritics, so a word count does the job in well under a
millisecond; the tests check it agrees with lingua on every block of every
fixture that lingua is sure about.

Blocks without evidence (``RESOLUTIE``, ``Peter De Roover``, ``- 002:
Verslag.``) take the language of the block before them, as a reader would:
in a two-column conversion such blocks sit inside a run of their language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DUTCH = _words(
    """
    het een van op te dat die voor met zijn aan door als bij naar om tot ook niet er
    wordt werd worden deze dit over uit zoals tussen heeft hebben hun zich nog maar meer
    waar wel kan moet moeten zal zullen was waren na onder tegen binnen hierbij daarbij
    ervan eraan erop alsook evenals zowel welke wie wat wij kamer regering senaat
    verzoekt vraagt overwegende gelet constaterende aangezien verslag zie resolutie
    motie aanbeveling tekst aangenomen vergadering voorstel januari februari maart april
    mei juni juli augustus september oktober november december voorzitter griffier heer
    mevrouw
    """
)
_FRENCH = _words(
    """
    le la les des du un une et à au aux que qui dans pour par sur est sont ce cette ces
    son sa ses leur leurs il elle ils elles pas ne plus avec été a ont être comme mais
    où dont lors entre vers sans sous chez afin ainsi tant chambre gouvernement sénat
    demande considérant vu attendu voir aussi rapport texte adopté séance proposition
    résolution recommandation janvier février mars avril mai juin juillet août septembre
    octobre novembre décembre président présidente greffier greffière mme
    """
)
# Words both languages use ("de", "en", "in") are in neither list:
# each word votes only for the language it belongs to alone.
_WORD = re.compile(r"[a-zà-ÿœ]+")
_SAMPLE = 240
_ELIDING_WORDS = ("jusqu", "lorsqu", "puisqu", "qu")
_ELIDING_LETTERS = frozenset("ldsnjc")
_FRENCH_MARKS = ("é", "è", "ê", "à", "ù", "ç", "œ", "â", "î", "ô", "û")
_DUTCH_MARKS = ("ij", "aa", "uu", "ë")
_NAME_PARTICLES = frozenset(
    {"de", "van", "der", "den", "le", "la", "du", "von", "ten", "ter", "d'"}
)


def looks_like_names(text: str) -> bool:
    """True for a short run of capitalised words such as ``Peter De Roover``.

    Names carry particles (``De``, ``Van``, ``Le``) that would otherwise vote
    for a language, so they are kept out of the vote.
    """
    words = text.split()
    if text.isupper() or not 1 <= len(words) <= 8 or any(mark in text for mark in ",;:."):
        return False
    capitalised = [w for w in words if w[:1].isupper()]
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words) and len(
        capitalised
    ) >= max(1, len(words) - 2)


# Compounds and word orders that give a language away even in a heading.
_DUTCH_CUES = ("benelux-parlement", "beneluxparlement", "-landen", "staten-generaal")
_FRENCH_CUES = ("parlement benelux", "n°")


def _elisions(sample: str) -> int:
    """French elisions (``l'``, ``d'``, ``qu'``) in a lower-case sample.

    A scan from each apostrophe: a regex over every position cost more than
    all the rest of the language vote together.
    """
    count = 0
    for mark in ("'", "’"):
        index = sample.find(mark)
        while index > 0:
            if index + 1 < len(sample) and sample[index + 1].isalpha():
                before = sample[max(0, index - 6) : index]
                letter_alone = before[-1] in _ELIDING_LETTERS and (
                    len(before) < 2 or not before[-2].isalpha()
                )
                if letter_alone or before.endswith(_ELIDING_WORDS):
                    count += 1
            index = sample.find(mark, index + 1)
    return count


def score(text: str) -> int:
    """Evidence for Dutch (positive) against French (negative).

    Only the first ``_SAMPLE`` characters are read: a paragraph's language is
    settled long before its end, and the parse budget is 20 ms.
    """
    sample = text[:_SAMPLE].lower()
    total = 0
    for word in _WORD.findall(sample):
        if word in _DUTCH:
            total += 1
        elif word in _FRENCH:
            total -= 1
    total -= 2 * _elisions(sample)
    total -= min(3, sum(map(sample.count, _FRENCH_MARKS)))
    total += min(3, sum(map(sample.count, _DUTCH_MARKS)))
    total += 2 * sum(map(sample.__contains__, _DUTCH_CUES))
    total -= 2 * sum(map(sample.__contains__, _FRENCH_CUES))
    return total


def detect(text: str) -> str | None:
    """``"nl"``, ``"fr"`` or ``None`` when the block gives no clear evidence."""
    if looks_like_names(text):
        return None
    value = score(text)
    if value > 0:
        return "nl"
    if value < 0:
        return "fr"
    return None


def assign_languages(texts: Sequence[str]) -> list[str]:
    """The language of every block; blocks without evidence follow their neighbours.

    A block with no evidence takes the language of the closest block before
    it that has some, or, at the very start, of the first one after it.
    A text without any evidence at all is read as Dutch.
    """
    detected = [detect(text) for text in texts]
    first_known = next((lang for lang in detected if lang is not None), "nl")
    result: list[str] = []
    previous = first_known
    for lang in detected:
        previous = lang or previous
        result.append(previous)
    return result
