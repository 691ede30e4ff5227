"""Read dates written out in Dutch and French as ISO 8601.

Parliamentary texts write dates in words (``18 april 2012``, ``le 1er mars
2015``) and name two consecutive sitting days at once (``12 en 13 mei 2026``,
``des 29 et 30 juin 2022``). A pair of days is a range, given as an ISO 8601
interval ``2026-05-12/2026-05-13``; a single day is a plain ISO date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    # Dutch
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    # French, with and without accents as conversions drop them
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:er|e)?"
DATE_PATTERN = re.compile(
    rf"\b(?P<first>{_DAY})(?:\s*(?:en|et|tot|au|à|-|–)\s*(?P<last>{_DAY}))?"
    rf"\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date or a range of days found in a text, with its span."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date | None

    @property
    def iso(self) -> str:
        """``YYYY-MM-DD``, or ``YYYY-MM-DD/YYYY-MM-DD`` for a range."""
        if self.last is None:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"

    def days(self) -> tuple[dt.date, ...]:
        """Every day the match names (both ends of a range and those between)."""
        if self.last is None:
            return (self.first,)
        count = (self.last - self.first).days
        return tuple(self.first + dt.timedelta(days=n) for n in range(count + 1))


def _day(value: str) -> int:
    return int(value.lower().removesuffix("er").removesuffix("e"))


def find_dates(text: str) -> Iterator[DateMatch]:
    """Every valid date or day range in ``text``, in order; impossible dates
    (``31 februari``) and backwards ranges are skipped, not guessed."""
    for match in DATE_PATTERN.finditer(text):
        month = MONTHS[match.group("month").lower()]
        year = int(match.group("year"))
        try:
            first = dt.date(year, month, _day(match.group("first")))
            last_text = match.group("last")
            last = dt.date(year, month, _day(last_text)) if last_text else None
        except ValueError:
            continue
        if last is not None and last <= first:
            continue
        yield DateMatch(match.start(), match.end(), match.group(0), first, last)


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``, or ``None``."""
    for match in find_dates(text):
        return match.first
    return None
