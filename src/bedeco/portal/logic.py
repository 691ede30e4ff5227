"""Pure rules of the portal: languages in URLs, conditional requests, open-data schemas, charts.

Read this first. Nothing here touches the database or the web framework.

- Request 16 (visibility "to the broad public and to partners"): every page
  exists in nl, fr, de and en at a URL that carries the language
  (``/fr/initiatives``), so it can be linked and indexed; ``alternates`` gives
  the ``hreflang`` set of a page.
- Open data: each public list has a schema (``SCHEMAS``) naming and
  describing its fields, the same for CSV and JSON, under one licence
  (``LICENCE``). CSV cells that a spreadsheet would run as a formula are
  quoted (``csv_safe``).
- Caching (``not_modified``): a response is fresh for the reader when its
  ``ETag`` matches ``If-None-Match``, or, without that header, when it has not
  changed since ``If-Modified-Since`` (RFC 9110, 13.1).
- Charts are geometry only (numbers in, shapes out); templates draw them
  with a ``<title>``, a ``<desc>`` and the same figures in a table.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime

from bedeco.i18n import N_

LANGS = ("nl", "fr", "de", "en")
DEFAULT_LANG = "en"
LANG_PATTERN = "nl|fr|de|en"

LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
"""The licence of the portal's public data (stated on the pages, in the docs and in the JSON)."""

SEED_DOCUMENT = "be-chamber-56-0367"
"""The resolution the portal tracks first (Belgian Chamber, 13 May 2026)."""


# --- languages in URLs ---------------------------------------------------------------------


def split_lang(path: str) -> tuple[str | None, str]:
    """``/fr/initiatives`` → ``("fr", "/initiatives")``; a path without a language → ``(None, path)``."""
    parts = path.split("/", 2)
    if len(parts) >= 2 and parts[1] in LANGS:
        rest = "/" + parts[2] if len(parts) == 3 else "/"
        return parts[1], rest
    return None, path


def localized_path(lang: str, rest: str) -> str:
    """The same page in ``lang``: ``("nl", "/initiatives")`` → ``/nl/initiatives``."""
    if lang not in LANGS:
        raise ValueError(lang)
    return f"/{lang}{rest if rest.startswith('/') else '/' + rest}"


@dataclass(frozen=True)
class Alternate:
    """One ``<link rel="alternate" hreflang>`` of a page."""

    hreflang: str
    href: str


def alternates(
    rest: str, langs: Sequence[str] = LANGS, default: str = DEFAULT_LANG
) -> list[Alternate]:
    """The page in every language, plus ``x-default`` pointing at the default language."""
    links = [Alternate(lang, localized_path(lang, rest)) for lang in langs]
    links.append(
        Alternate("x-default", localized_path(default if default in langs else langs[0], rest))
    )
    return links


# --- conditional requests ------------------------------------------------------------------


def etag_of(body: bytes) -> str:
    """A strong validator: the first 32 hex digits of the body's SHA-256, quoted."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: dt.datetime) -> str:
    """An IMF-fixdate (``Sun, 29 Nov 2026 20:15:00 GMT``), to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment.astimezone(dt.UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(value: str | None) -> dt.datetime | None:
    """The moment an HTTP date names, or None when missing or malformed."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _etags(header: str) -> list[str]:
    return [part.strip().removeprefix("W/") for part in header.split(",") if part.strip()]


def not_modified(
    *,
    etag: str,
    last_modified: dt.datetime,
    if_none_match: str | None,
    if_modified_since: str | None,
) -> bool:
    """Whether a GET may answer 304: ``If-None-Match`` decides when present (weak comparison,
    ``*`` matches), else the resource must not have changed after ``If-Modified-Since``."""
    if if_none_match is not None and if_none_match.strip():
        tags = _etags(if_none_match)
        return "*" in tags or etag.removeprefix("W/") in tags
    since = parse_http_date(if_modified_since)
    if since is None:
        return False
    return last_modified.replace(microsecond=0) <= since


# --- open data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column of a data set: its name, JSON type and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Schema:
    """A data set of the portal: its name, what one row is, and its fields."""

    name: str
    title: str
    row: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def as_dict(self) -> dict[str, object]:
        """Frictionless-style table schema, embedded in every JSON download."""
        return {
            "name": self.name,
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description} for f in self.fields
            ],
        }


_TEXT_LANG = Field("text_lang", "string", "ISO 639-1 language the text fields are in")
_FALLBACK = Field(
    "fallback", "boolean", "true when the text is not in the requested language but a fallback"
)

SCHEMAS: dict[str, Schema] = {
    "commitments": Schema(
        "commitments",
        N_("Commitments of a resolution"),
        N_("one request of the resolution"),
        (
            Field("key", "string", "stable identifier of the commitment"),
            Field("label", "string", "number of the request in the resolution"),
            Field("title", "string", "text of the request"),
            _TEXT_LANG,
            _FALLBACK,
            Field(
                "status",
                "string",
                "proposed, under_study, decided, in_progress, implemented or dropped",
            ),
            Field("status_label", "string", "the status in the requested language"),
            Field("target_on", "date", "target date (ISO 8601), empty when none"),
            Field("overdue", "boolean", "past its target date and not closed"),
            Field("nations", "string", "responsible nations, ISO 3166-1 alpha-3, space-separated"),
            Field("domains", "string", "domains of the taxonomy, space-separated codes"),
            Field("changes", "integer", "number of dated status changes"),
            Field("updated_at", "datetime", "last change (ISO 8601, UTC)"),
            Field("url", "string", "page of the commitment on the portal"),
        ),
    ),
    "initiatives": Schema(
        "initiatives",
        N_("Initiatives"),
        N_("one cooperation project"),
        (
            Field("key", "string", "stable identifier of the initiative"),
            Field("name", "string", "name of the initiative"),
            Field("description", "string", "what it is"),
            Field("text_lang", "string", "ISO 639-1 language the name is in"),
            _FALLBACK,
            Field("description_lang", "string", "ISO 639-1 language the description is in"),
            Field("maturity", "integer", "maturity level, 0 (idea) to 5 (integrated)"),
            Field("maturity_label", "string", "the maturity level in the requested language"),
            Field(
                "nations", "string", "participating nations, ISO 3166-1 alpha-3, space-separated"
            ),
            Field("domains", "string", "domains of the taxonomy, space-separated codes"),
            Field("illustrative", "boolean", "true when the record is illustrative data"),
            Field("updated_at", "datetime", "last change (ISO 8601, UTC)"),
            Field("url", "string", "page of the initiative on the portal"),
        ),
    ),
    "instruments": Schema(
        "instruments",
        N_("Instruments"),
        N_("one declaration, recommendation, agreement, strategy or resolution"),
        (
            Field("key", "string", "stable identifier of the instrument"),
            Field(
                "kind",
                "string",
                "declaration, recommendation, answer, agreement, strategy, debate, resolution, parliamentary-document or other",
            ),
            Field("identifier", "string", "official number, empty when none"),
            Field("issued_on", "date", "date of issue (ISO 8601), empty when unknown"),
            Field("title", "string", "title of the instrument"),
            _TEXT_LANG,
            _FALLBACK,
            Field("issuer", "string", "who issued it"),
            Field("cites", "string", "keys of the instruments it relates to, space-separated"),
            Field("url", "string", "page of the instrument on the portal"),
        ),
    ),
    "relations": Schema(
        "relations",
        N_("Relations between instruments"),
        N_(
            "one instrument citing, answering, implementing, superseding or forming part of another"
        ),
        (
            Field("source", "string", "key of the instrument that relates"),
            Field("kind", "string", "cites, answers, implements, supersedes or part_of"),
            Field("target", "string", "key of the instrument related to"),
        ),
    ),
    "changes": Schema(
        "changes",
        N_("Status changes"),
        N_("one dated status change of a commitment"),
        (
            Field("at", "datetime", "when the change was recorded (ISO 8601, UTC)"),
            Field("commitment", "string", "key of the commitment"),
            Field("title", "string", "text of the commitment"),
            _TEXT_LANG,
            _FALLBACK,
            Field("from_status", "string", "status before, empty at creation"),
            Field("to_status", "string", "status after"),
            Field("nation", "string", "nation of who recorded it, empty for set-up"),
            Field("comment", "string", "the comment given with the change"),
            Field("evidence", "integer", "number of pieces of evidence"),
        ),
    ),
}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(schema: Schema, rows: Iterable[Mapping[str, object]]) -> str:
    """RFC 4180 CSV with a header row of the schema's field names, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(schema.names)
    for row in rows:
        writer.writerow([csv_safe(row.get(name)) for name in schema.names])
    return buffer.getvalue()


def json_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# --- charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """A labelled horizontal bar or bar segment, in SVG user units."""

    key: str
    count: int
    x: float
    y: float
    width: float
    height: float


def stacked_bar(
    counts: Sequence[tuple[str, int]], width: float = 600.0, height: float = 28.0
) -> list[Bar]:
    """One bar split in segments proportional to the counts, in the given order; zeros left out."""
    total = sum(count for _key, count in counts)
    bars: list[Bar] = []
    x = 0.0
    for key, count in counts:
        if count <= 0 or total <= 0:
            continue
        w = width * count / total
        bars.append(Bar(key, count, round(x, 2), 0.0, round(w, 2), height))
        x += w
    return bars


def bar_rows(
    counts: Sequence[tuple[str, int]], width: float = 400.0, row: float = 26.0, gap: float = 8.0
) -> list[Bar]:
    """One horizontal bar per item, scaled to the largest count (at least one unit wide)."""
    most = max((count for _key, count in counts), default=0) or 1
    return [
        Bar(key, count, 0.0, round(i * (row + gap), 2), round(width * count / most, 2), row)
        for i, (key, count) in enumerate(counts)
    ]


@dataclass(frozen=True)
class Column:
    """A month of status changes: its height and the part that reached "implemented"."""

    label: str
    count: int
    x: float
    width: float
    height: float


def month_columns(
    points: Sequence[tuple[str, int]], width: float = 600.0, height: float = 120.0
) -> list[Column]:
    """Columns per month scaled to the busiest month; the step leaves a gap between columns."""
    if not points:
        return []
    most = max(count for _m, count in points) or 1
    step = width / len(points)
    return [
        Column(
            month, count, round(i * step, 2), round(step * 0.8, 2), round(height * count / most, 2)
        )
        for i, (month, count) in enumerate(points)
    ]


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    year: str
    x: float
    y: float


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


def graph_layout(
    nodes: Sequence[tuple[str, str, dt.date | None]],
    edges: Sequence[tuple[str, str, str]],
    width: float = 900.0,
    row: float = 38.0,
) -> tuple[list[Node], list[Link], float]:
    """Instruments in date order, one per row, on a time axis (x by date, undated at the end);
    returns nodes, links and the drawing's height. One row each keeps labels from overlapping."""
    dated = [d for _k, _kind, d in nodes if d is not None]
    first = min(dated) if dated else dt.date(2000, 1, 1)
    last = max(dated) if dated else first
    span = max((last - first).days, 1)
    left, right = 20.0, 20.0
    usable = width - left - right
    ordered = sorted(nodes, key=lambda n: (n[2] is None, n[2] or dt.date.max, n[0]))
    placed: dict[str, Node] = {}
    for i, (key, kind, date) in enumerate(ordered):
        x = left + (usable * 0.6 * (date - first).days / span if date else usable * 0.65)
        placed[key] = Node(
            key, kind, str(date.year) if date else "", round(x, 1), round(20 + i * row, 1)
        )
    links = [
        Link(s, t, kind, placed[s].x, placed[s].y, placed[t].x, placed[t].y)
        for s, t, kind in edges
        if s in placed and t in placed
    ]
    return list(placed.values()), links, 20 + max(len(placed), 1) * row
