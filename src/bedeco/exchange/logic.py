"""Rules of the early information exchange, in domain words (recital O, request 11).

Recital O: under the 2012 Declaration the Benelux nations inform each other at
an early stage about the means and troops they plan to deploy to multinational
crisis-management operations. These rules say what a well-formed notice is,
how it moves through its life, who may change its marking, what an answer
says, how the state of answers is flagged against the answer-by date, and how
webhook deliveries are signed and retried. Nothing here touches the database
or the web.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bedeco.i18n import N_
from bedeco.security.logic import CLEARANCES, Classification, Nation


class NoticeStatus(StrEnum):
    """Where a notice is in its life: drafted, circulated, updated after circulation, ended."""

    DRAFT = "draft"
    CIRCULATED = "circulated"
    UPDATED = "updated"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    NoticeStatus.DRAFT: N_("Draft"),
    NoticeStatus.CIRCULATED: N_("Circulated"),
    NoticeStatus.UPDATED: N_("Updated"),
    NoticeStatus.CLOSED: N_("Closed"),
    NoticeStatus.WITHDRAWN: N_("Withdrawn"),
}

OPEN_STATUSES = frozenset({NoticeStatus.CIRCULATED, NoticeStatus.UPDATED})
"""Circulated notices that other nations can still answer."""

ENDED_STATUSES = frozenset({NoticeStatus.CLOSED, NoticeStatus.WITHDRAWN})


class Framework(StrEnum):
    """Under whose flag the operation runs."""

    EU = "EU"
    NATO = "NATO"
    UN = "UN"
    COALITION = "coalition"
    NATIONAL = "national"


FRAMEWORK_LABELS = {
    Framework.EU: N_("European Union"),
    Framework.NATO: N_("NATO"),
    Framework.UN: N_("United Nations"),
    Framework.COALITION: N_("Coalition"),
    Framework.NATIONAL: N_("National"),
}


class CapabilityCategory(StrEnum):
    """What kind of means a contribution line offers."""

    STAFF = "staff"
    LAND = "land"
    MARITIME = "maritime"
    AIR = "air"
    SPECIAL_OPERATIONS = "special_operations"
    ISR = "isr"
    MEDICAL = "medical"
    LOGISTICS = "logistics"
    ENGINEERING = "engineering"
    CIS_CYBER = "cis_cyber"
    TRAINING = "training"
    OTHER = "other"


CATEGORY_LABELS = {
    CapabilityCategory.STAFF: N_("Staff officers"),
    CapabilityCategory.LAND: N_("Land forces"),
    CapabilityCategory.MARITIME: N_("Maritime forces"),
    CapabilityCategory.AIR: N_("Air forces"),
    CapabilityCategory.SPECIAL_OPERATIONS: N_("Special operations"),
    CapabilityCategory.ISR: N_("Intelligence, surveillance, reconnaissance"),
    CapabilityCategory.MEDICAL: N_("Medical support"),
    CapabilityCategory.LOGISTICS: N_("Logistics"),
    CapabilityCategory.ENGINEERING: N_("Engineering"),
    CapabilityCategory.CIS_CYBER: N_("Communication, information systems and cyber"),
    CapabilityCategory.TRAINING: N_("Training and mentoring"),
    CapabilityCategory.OTHER: N_("Other"),
}


class AnswerKind(StrEnum):
    """What a nation answers to a notice."""

    WILL_CONTRIBUTE = "will_contribute"
    CONSIDERING = "considering"
    NOT_CONTRIBUTING = "not_contributing"
    NEEDS_INFORMATION = "needs_information"


ANSWER_LABELS = {
    AnswerKind.WILL_CONTRIBUTE: N_("Will contribute"),
    AnswerKind.CONSIDERING: N_("Considering"),
    AnswerKind.NOT_CONTRIBUTING: N_("Not contributing"),
    AnswerKind.NEEDS_INFORMATION: N_("Needs information"),
}

AWAITING_LABEL = N_("Awaiting answer")

NOTICE_LEVELS = CLEARANCES
"""Notices are never public: UNCLASSIFIED, RESTRICTED or CONFIDENTIAL."""

MAX_TEXT = 20_000
MAX_LINES = 50
MAX_QUANTITY = 100_000


@dataclass(frozen=True)
class ContributionLine:
    """One line of an intended contribution: so many of a category for a period."""

    category: str
    quantity: int
    start_on: date
    end_on: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "quantity": self.quantity,
            "start_on": self.start_on.isoformat(),
            "end_on": self.end_on.isoformat(),
        }


@dataclass(frozen=True)
class NoticeContent:
    """What a notice says; the unit that is validated, versioned and compared."""

    operation: str
    framework: str
    area: str
    period_start: date
    period_end: date
    answer_by: date
    contact: str
    text: str
    classification: str
    releasable_to: frozenset[str]
    lines: tuple[ContributionLine, ...] = ()

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready picture of the content, as stored in each version."""
        return {
            "operation": self.operation,
            "framework": self.framework,
            "area": self.area,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "answer_by": self.answer_by.isoformat(),
            "contact": self.contact,
            "text": self.text,
            "classification": self.classification,
            "releasable_to": sorted(self.releasable_to),
            "lines": [line.as_dict() for line in self.lines],
        }


@dataclass(frozen=True)
class Problem:
    """A rule a value breaks: the field it concerns and a translatable message."""

    field: str
    message: str
    values: Mapping[str, Any] = field(default_factory=dict)


def validate_lines(
    lines: Sequence[ContributionLine], start: date | None, end: date | None, prefix: str = "lines"
) -> list[Problem]:
    """Each line names a known category, a positive quantity and a period inside the notice's."""
    problems: list[Problem] = []
    if len(lines) > MAX_LINES:
        problems.append(Problem(prefix, N_("At most {n} lines."), {"n": MAX_LINES}))
    categories = {c.value for c in CapabilityCategory}
    for index, line in enumerate(lines):
        where = f"{prefix}.{index}"
        if line.category not in categories:
            problems.append(Problem(f"{where}.category", N_("Choose a capability category.")))
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(
                Problem(
                    f"{where}.quantity",
                    N_("The quantity must be between 1 and {n}."),
                    {"n": MAX_QUANTITY},
                )
            )
        if line.start_on > line.end_on:
            problems.append(Problem(f"{where}.end_on", N_("A line must end after it starts.")))
        elif start and end and (line.start_on < start or line.end_on > end):
            problems.append(
                Problem(f"{where}.start_on", N_("A line's period must lie within the notice's."))
            )
    return problems


def validate_notice(
    content: NoticeContent, *, author_nation: str, highest: Classification
) -> list[Problem]:
    """Every rule a notice's content must meet, each problem naming its field."""
    problems: list[Problem] = []
    if not 1 <= len(content.operation.strip()) <= 200:
        problems.append(Problem("operation", N_("Name the operation (1 to 200 characters).")))
    if content.framework not in {f.value for f in Framework}:
        problems.append(Problem("framework", N_("Choose a framework.")))
    if not 1 <= len(content.area.strip()) <= 200:
        problems.append(Problem("area", N_("Name the area (1 to 200 characters).")))
    if content.period_start > content.period_end:
        problems.append(Problem("period_end", N_("The period must end after it starts.")))
    if content.answer_by > content.period_end:
        problems.append(Problem("answer_by", N_("Answers are due before the period ends.")))
    if not 1 <= len(content.contact.strip()) <= 200:
        problems.append(Problem("contact", N_("Give a point of contact (1 to 200 characters).")))
    if len(content.text) > MAX_TEXT:
        problems.append(
            Problem("text", N_("The text is too long (at most {n} characters)."), {"n": MAX_TEXT})
        )
    for name in ("operation", "area", "contact", "text"):
        if "\x00" in getattr(content, name):
            problems.append(Problem(name, N_("Remove the control characters.")))
    level = parse_level(content.classification)
    if level is None:
        problems.append(
            Problem("classification", N_("Choose UNCLASSIFIED, RESTRICTED or CONFIDENTIAL."))
        )
    elif level.rank > highest.rank:
        problems.append(
            Problem(
                "classification",
                N_("This deployment holds nothing above {level}."),
                {"level": highest.value},
            )
        )
    problems += releasability_problems(content.releasable_to, author_nation)
    problems += validate_lines(content.lines, content.period_start, content.period_end)
    return problems


def parse_level(value: str) -> Classification | None:
    """A notice's level, or None when it is not one a notice may carry."""
    try:
        level = Classification(value)
    except ValueError:
        return None
    return level if level in NOTICE_LEVELS else None


def releasability_problems(releasable_to: Iterable[str], author_nation: str) -> list[Problem]:
    """The set names known nations and always includes the author's nation."""
    nations = set(releasable_to)
    if not nations <= {n.value for n in Nation}:
        return [Problem("releasable_to", N_("Only BEL, NLD and LUX can be named."))]
    if author_nation not in nations:
        return [Problem("releasable_to", N_("The author's nation must stay in the set."))]
    return []


def lowering_needs_coordinator(old: str, new: str) -> bool:
    """Raising a classification is free; lowering it is a coordinator's decision (audited)."""
    return Classification(new).rank < Classification(old).rank


TRANSITIONS: dict[str, frozenset[NoticeStatus]] = {
    "edit": frozenset({NoticeStatus.DRAFT, NoticeStatus.CIRCULATED, NoticeStatus.UPDATED}),
    "circulate": frozenset({NoticeStatus.DRAFT}),
    "close": frozenset({NoticeStatus.CIRCULATED, NoticeStatus.UPDATED}),
    "withdraw": frozenset({NoticeStatus.DRAFT, NoticeStatus.CIRCULATED, NoticeStatus.UPDATED}),
}


def next_status(current: str, verb: str) -> NoticeStatus | None:
    """The status after ``verb``, or None when the life cycle does not allow it."""
    status = NoticeStatus(current)
    if status not in TRANSITIONS[verb]:
        return None
    if verb == "edit":
        return NoticeStatus.DRAFT if status is NoticeStatus.DRAFT else NoticeStatus.UPDATED
    return {
        "circulate": NoticeStatus.CIRCULATED,
        "close": NoticeStatus.CLOSED,
        "withdraw": NoticeStatus.WITHDRAWN,
    }[verb]


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions."""

    field: str
    before: Any
    after: Any


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """What changed from one snapshot to the next, field by field, in a stable order."""
    keys = sorted(set(before) | set(after))
    return [Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


@dataclass(frozen=True)
class AnswerContent:
    """What one nation answers: a kind, contribution lines, a question, a comment."""

    kind: str
    lines: tuple[ContributionLine, ...] = ()
    question: str = ""
    comment: str = ""


def validate_answer(content: AnswerContent, start: date, end: date) -> list[Problem]:
    """A contribution has lines; a request for information has a question; others neither."""
    problems: list[Problem] = []
    try:
        kind = AnswerKind(content.kind)
    except ValueError:
        return [Problem("kind", N_("Choose an answer."))]
    if kind is AnswerKind.WILL_CONTRIBUTE and not content.lines:
        problems.append(Problem("lines", N_("Say what you will contribute (at least one line).")))
    if kind is not AnswerKind.WILL_CONTRIBUTE and content.lines:
        problems.append(Problem("lines", N_("Only a contribution carries lines.")))
    if kind is AnswerKind.NEEDS_INFORMATION and not content.question.strip():
        problems.append(Problem("question", N_("Ask your question.")))
    if "\x00" in content.question + content.comment:
        problems.append(Problem("comment", N_("Remove the control characters.")))
    if len(content.question) > MAX_TEXT or len(content.comment) > MAX_TEXT:
        problems.append(
            Problem(
                "comment", N_("The text is too long (at most {n} characters)."), {"n": MAX_TEXT}
            )
        )
    problems += validate_lines(content.lines, start, end)
    return problems


def expected_answerers(releasable_to: Iterable[str], author_nation: str) -> list[str]:
    """Every nation in the releasability set other than the author answers."""
    return sorted(n for n in set(releasable_to) if n != author_nation)


@dataclass(frozen=True)
class NationState:
    """The state of one nation's answer: its kind (or none yet), and the flags."""

    nation: str
    kind: str | None
    answered_on: date | None
    overdue: bool
    late: bool


def answer_states(
    *,
    releasable_to: Iterable[str],
    author_nation: str,
    answers: Mapping[str, tuple[str, date]],
    answer_by: date,
    today: date,
    status: str,
) -> list[NationState]:
    """Per answering nation: what it answered, and whether it is past the answer-by date.

    ``answers`` maps a nation to its latest (kind, first answered on). A nation
    is *overdue* when the notice is open, the answer-by date has passed and it
    has not answered; *late* when its first answer came after that date.
    """
    states = []
    still_open = NoticeStatus(status) in OPEN_STATUSES
    for nation in expected_answerers(releasable_to, author_nation):
        given = answers.get(nation)
        kind, on = (given[0], given[1]) if given else (None, None)
        overdue = given is None and still_open and today > answer_by
        late = on is not None and on > answer_by
        states.append(NationState(nation, kind, on, overdue, late))
    return states


BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
MAX_ATTEMPTS = 8


def backoff_seconds(attempts: int, base: int = BACKOFF_BASE_SECONDS) -> int:
    """Wait before the next try after ``attempts`` failures: base, 2×, 4×, … capped at an hour."""
    return int(min(BACKOFF_CAP_SECONDS, base * 2 ** max(0, attempts - 1)))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body``, hex; the receiver recomputes it with the shared secret."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Check a ``sha256=<hex>`` header in constant time (what a receiver does)."""
    expected = "sha256=" + sign(secret, timestamp, body)
    return hmac.compare_digest(expected, header)


ACTIVITY_LABELS = {
    "notice.circulated": N_("{nation} circulated a notice"),
    "notice.updated": N_("{nation} updated a notice"),
    "notice.closed": N_("{nation} closed a notice"),
    "notice.withdrawn": N_("{nation} withdrew a notice"),
    "answer.given": N_("{nation} answered"),
    "answer.revised": N_("{nation} revised its answer"),
}
