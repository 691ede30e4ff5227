"""Builders shared by the exchange tests: notice content and principals."""

from __future__ import annotations

from datetime import date
from typing import Any

from bedeco.exchange.logic import AnswerContent, ContributionLine, NoticeContent
from bedeco.security.logic import Classification, Nation, Principal, Role

START = date(2027, 3, 1)
END = date(2027, 9, 30)


def content(**overrides: Any) -> NoticeContent:
    """A valid notice content (RESTRICTED, BEL+NLD+LUX), with ``overrides``."""
    values: dict[str, Any] = {
        "operation": "EUFOR Example",
        "framework": "EU",
        "area": "Eastern Mediterranean",
        "period_start": START,
        "period_end": END,
        "answer_by": date(2027, 1, 15),
        "contact": "J3 desk, +32 2 000 00 00",
        "text": "Intended contribution of a minehunter and staff (illustrative).",
        "classification": "RESTRICTED",
        "releasable_to": frozenset({"BEL", "NLD", "LUX"}),
        "lines": (ContributionLine("maritime", 1, START, END),),
    }
    values.update(overrides)
    if isinstance(values["releasable_to"], (set, list, tuple)):
        values["releasable_to"] = frozenset(values["releasable_to"])
    return NoticeContent(**values)


def person(
    nation: str = "BEL",
    clearance: str = "RESTRICTED",
    roles: tuple[str, ...] = ("viewer", "contributor"),
    user_id: int = 1,
    name: str | None = None,
) -> Principal:
    return Principal(
        user_id=user_id,
        name=name or f"{nation.lower()}-{clearance.lower()}-{user_id}",
        nation=Nation(nation),
        clearance=Classification(clearance),
        roles=frozenset(Role(r) for r in roles),
    )


def contribution(quantity: int = 2) -> AnswerContent:
    return AnswerContent(
        kind="will_contribute", lines=(ContributionLine("medical", quantity, START, END),)
    )
