"""Reading the exchange's HTML forms into domain values, with an error per field.

Pure: takes the submitted fields as a mapping of lists, returns content and
field errors (translatable messages with their values). No web framework here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bedeco.exchange.logic import (
    MAX_LINES,
    AnswerContent,
    ContributionLine,
    NoticeContent,
    Problem,
)
from bedeco.i18n import N_

LINE_ROWS = 5
"""Blank line rows offered by the forms (rows left empty are ignored)."""

Fields = Mapping[str, Sequence[str]]

REQUIRED = {
    "operation": N_("Name the operation (1 to 200 characters)."),
    "area": N_("Name the area (1 to 200 characters)."),
    "contact": N_("Give a point of contact (1 to 200 characters)."),
}
"""Text fields checked even when the dates cannot be read, so every missing field shows at once."""


@dataclass
class Parsed:
    """What a form gave: the values to show again, and the errors by field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def add(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            self.errors.setdefault(problem.field, (problem.message, dict(problem.values)))


def first(fields: Fields, name: str) -> str:
    values = fields.get(name) or [""]
    return str(values[0]).strip()


def _date(fields: Fields, name: str, parsed: Parsed) -> date | None:
    raw = first(fields, name)
    parsed.values[name] = raw
    if not raw:
        parsed.errors[name] = (N_("Enter a date."), {})
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        parsed.errors[name] = (N_("Enter a date as YYYY-MM-DD."), {})
        return None


def _lines(fields: Fields, parsed: Parsed) -> tuple[ContributionLine, ...]:
    lines: list[ContributionLine] = []
    rows: list[dict[str, str]] = []
    for index in range(MAX_LINES + LINE_ROWS):
        row = {
            key: first(fields, f"line-{index}-{key}")
            for key in ("category", "quantity", "start_on", "end_on")
        }
        if not any(row.values()):
            continue
        rows.append(row)
        where = f"lines.{len(lines)}"
        try:
            quantity = int(row["quantity"])
        except ValueError:
            parsed.errors[f"{where}.quantity"] = (N_("Enter a whole number."), {})
            continue
        try:
            start, end = date.fromisoformat(row["start_on"]), date.fromisoformat(row["end_on"])
        except ValueError:
            parsed.errors[f"{where}.start_on"] = (N_("Enter a date as YYYY-MM-DD."), {})
            continue
        lines.append(ContributionLine(row["category"], quantity, start, end))
    parsed.values["line_rows"] = padded(rows)
    return tuple(lines)


def parse_notice(fields: Fields) -> tuple[NoticeContent | None, Parsed]:
    """The notice content a drafting form describes, or None with the errors by field."""
    parsed = Parsed()
    for name in ("operation", "framework", "area", "contact", "classification"):
        parsed.values[name] = first(fields, name)
    parsed.values["text"] = str((fields.get("text") or [""])[0])
    nations = sorted({str(n).upper() for n in fields.get("releasable_to", [])})
    parsed.values["releasable_to"] = nations
    start = _date(fields, "period_start", parsed)
    end = _date(fields, "period_end", parsed)
    answer_by = _date(fields, "answer_by", parsed)
    lines = _lines(fields, parsed)
    if start is None or end is None or answer_by is None or parsed.errors:
        for name, message in REQUIRED.items():
            if not parsed.values[name]:
                parsed.errors.setdefault(name, (message, {}))
        return None, parsed
    content = NoticeContent(
        operation=parsed.values["operation"],
        framework=parsed.values["framework"],
        area=parsed.values["area"],
        period_start=start,
        period_end=end,
        answer_by=answer_by,
        contact=parsed.values["contact"],
        text=parsed.values["text"],
        classification=parsed.values["classification"].upper(),
        releasable_to=frozenset(nations),
        lines=lines,
    )
    return content, parsed


def parse_answer(fields: Fields) -> tuple[AnswerContent | None, Parsed]:
    """The answer an answering form describes, or None with the errors by field."""
    parsed = Parsed()
    for name in ("kind", "question", "comment"):
        parsed.values[name] = first(fields, name)
    lines = _lines(fields, parsed)
    if not parsed.values["kind"]:
        parsed.errors["kind"] = (N_("Choose an answer."), {})
    if parsed.errors:
        return None, parsed
    return (
        AnswerContent(
            kind=parsed.values["kind"],
            lines=lines,
            question=parsed.values["question"],
            comment=parsed.values["comment"],
        ),
        parsed,
    )


def padded(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The given line rows and enough blank ones to add more (at least two, five in all)."""
    blank = {"category": "", "quantity": "", "start_on": "", "end_on": ""}
    return rows + [dict(blank) for _ in range(max(2, LINE_ROWS - len(rows)))]


def values_of(content: NoticeContent) -> dict[str, Any]:
    """Form values showing a stored notice's content (for the edit form)."""
    rows = [{k: str(v) for k, v in line.as_dict().items()} for line in content.lines]
    return {
        "operation": content.operation,
        "framework": content.framework,
        "area": content.area,
        "period_start": content.period_start.isoformat(),
        "period_end": content.period_end.isoformat(),
        "answer_by": content.answer_by.isoformat(),
        "contact": content.contact,
        "text": content.text,
        "classification": content.classification,
        "releasable_to": sorted(content.releasable_to),
        "line_rows": padded(rows),
    }
