"""Pure rules of the register: the status workflow, domains, maturity, overdue and progress.

Read this first. Nothing here touches the database or the web.

- Recital Q: the 2012 Declaration was "only partly implemented". A commitment
  therefore moves through a defined workflow (``TRANSITIONS``) and every step
  is a dated entry, so partial implementation is visible rather than asserted.
- Recital B and R, request 4: one taxonomy (``Domain``) of the four domains of
  2012, the new domains, and industry, coordination and visibility.
- Recital P, requests 5 to 10: initiatives carry a maturity level
  (``Maturity``) on a documented scale from idea to integrated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from bedeco.i18n import N_


class Status(StrEnum):
    """Where a commitment stands."""

    PROPOSED = "proposed"
    UNDER_STUDY = "under_study"
    DECIDED = "decided"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DROPPED = "dropped"


STATUS_LABELS: dict[Status, str] = {
    Status.PROPOSED: N_("Proposed"),
    Status.UNDER_STUDY: N_("Under study"),
    Status.DECIDED: N_("Decided"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.IMPLEMENTED: N_("Implemented"),
    Status.DROPPED: N_("Dropped"),
}

CLOSED = frozenset({Status.IMPLEMENTED, Status.DROPPED})
"""Statuses in which a commitment can no longer be overdue."""

COORDINATOR_TARGETS = frozenset({Status.DECIDED, Status.IMPLEMENTED, Status.DROPPED})
"""Deciding, declaring implemented and dropping are for coordinators; the rest for contributors."""

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PROPOSED: frozenset({Status.UNDER_STUDY, Status.DECIDED, Status.DROPPED}),
    Status.UNDER_STUDY: frozenset({Status.DECIDED, Status.DROPPED}),
    Status.DECIDED: frozenset({Status.IN_PROGRESS, Status.DROPPED}),
    Status.IN_PROGRESS: frozenset({Status.IMPLEMENTED, Status.DROPPED}),
    # Recital Q: something declared implemented may turn out partial and reopen.
    Status.IMPLEMENTED: frozenset({Status.IN_PROGRESS}),
    # A dropped commitment may be proposed again, with a reason.
    Status.DROPPED: frozenset({Status.PROPOSED}),
}


def parse_status(value: str) -> Status | None:
    try:
        return Status(value.strip().lower())
    except ValueError:
        return None


def transition_refusal(
    current: Status,
    target: Status,
    *,
    comment: str,
    evidence_count: int,
    coordinator: bool,
) -> tuple[str, dict[str, str]] | None:
    """Why ``current`` → ``target`` is refused, as a message template (marked for
    translation) and its values, or None when it is allowed.

    Rules, in the order they are checked:
    1. the target must be reachable from the current status (``TRANSITIONS``);
    2. deciding, declaring implemented and dropping need a coordinator;
    3. dropping and reopening need a reason (the comment);
    4. "implemented" needs at least one piece of evidence: nobody can steer
       what nobody can see, and a claim without proof is not implementation.
    """
    if target is current:
        return N_("the commitment is already {current}"), {"current": current.value}
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current]))
        return (
            N_("a commitment that is {current} can only become: {allowed}"),
            {"current": current.value, "allowed": allowed},
        )
    if target in COORDINATOR_TARGETS and not coordinator:
        return N_("only a coordinator may set a commitment to {target}"), {"target": target.value}
    needs_reason = target is Status.DROPPED or current in CLOSED
    if needs_reason and not comment.strip():
        return (
            N_("going from {current} to {target} needs a reason in the comment"),
            {"current": current.value, "target": target.value},
        )
    if target is Status.IMPLEMENTED and evidence_count < 1:
        return N_("declaring a commitment implemented needs at least one piece of evidence"), {}
    return None


def transition_problem(
    current: Status,
    target: Status,
    *,
    comment: str,
    evidence_count: int,
    coordinator: bool,
) -> str | None:
    """Why ``current`` → ``target`` is refused, in English, or None when it is allowed."""
    refusal = transition_refusal(
        current, target, comment=comment, evidence_count=evidence_count, coordinator=coordinator
    )
    if refusal is None:
        return None
    template, values = refusal
    return template.format(**values)


def is_overdue(target_on: dt.date | None, status: Status | str, today: dt.date) -> bool:
    """Past its target date and neither implemented nor dropped."""
    return target_on is not None and target_on < today and Status(status) not in CLOSED


class Domain(StrEnum):
    """The taxonomy: the four domains of the 2012 Declaration (recital B), the new ones of
    recital R and request 4, and industry (requests 12, 13), coordination (request 11) and
    visibility (recital V, request 16)."""

    LOGISTICS = "logistics-maintenance"
    TRAINING = "education-training"
    MILITARY_TASKS = "military-tasks"
    PROCUREMENT = "procurement"
    CYBER = "cyber"
    SPACE = "space"
    CLIMATE = "climate-change"
    ARTICLE_5 = "article-5-operations"
    MOBILITY = "military-mobility"
    INDUSTRY = "industry"
    COORDINATION = "coordination"
    VISIBILITY = "visibility"


DOMAIN_LABELS: dict[Domain, str] = {
    Domain.LOGISTICS: N_("Logistics and maintenance"),
    Domain.TRAINING: N_("Education and training"),
    Domain.MILITARY_TASKS: N_("Execution of military tasks"),
    Domain.PROCUREMENT: N_("Procurement of materiel"),
    Domain.CYBER: N_("Cyber"),
    Domain.SPACE: N_("Space"),
    Domain.CLIMATE: N_("Climate change"),
    Domain.ARTICLE_5: N_("Article 5 operations"),
    Domain.MOBILITY: N_("Military mobility"),
    Domain.INDUSTRY: N_("Defence industry"),
    Domain.COORDINATION: N_("Coordination of positions"),
    Domain.VISIBILITY: N_("Visibility"),
}

DECLARATION_2012_DOMAINS = (
    Domain.LOGISTICS,
    Domain.TRAINING,
    Domain.MILITARY_TASKS,
    Domain.PROCUREMENT,
)
NEW_DOMAINS = (Domain.CYBER, Domain.SPACE, Domain.CLIMATE, Domain.ARTICLE_5, Domain.MOBILITY)


def parse_domains(values: Iterable[str]) -> list[Domain]:
    """Domains named by ``values`` (codes), sorted and unique; ``ValueError`` names a bad one."""
    found: set[Domain] = set()
    for value in values:
        value = value.strip().lower()
        if not value:
            continue
        try:
            found.add(Domain(value))
        except ValueError:
            raise ValueError(value) from None
    return sorted(found, key=list(Domain).index)


class Maturity(IntEnum):
    """How far an initiative has come: the documented scale."""

    IDEA = 0
    STUDY = 1
    DECISION = 2
    IMPLEMENTATION = 3
    OPERATIONAL = 4
    INTEGRATED = 5


MATURITY_LABELS: dict[Maturity, str] = {
    Maturity.IDEA: N_("Idea"),
    Maturity.STUDY: N_("Study"),
    Maturity.DECISION: N_("Decision"),
    Maturity.IMPLEMENTATION: N_("Implementation"),
    Maturity.OPERATIONAL: N_("Operational"),
    Maturity.INTEGRATED: N_("Integrated"),
}

MATURITY_HELP: dict[Maturity, str] = {
    Maturity.IDEA: N_("Named as worth doing; no study or budget yet."),
    Maturity.STUDY: N_("A study or working group examines it."),
    Maturity.DECISION: N_("The nations have decided to do it."),
    Maturity.IMPLEMENTATION: N_("Being put in place: contracts, people, facilities."),
    Maturity.OPERATIONAL: N_("Working and delivering; nations still run their parts."),
    Maturity.INTEGRATED: N_("One structure across the nations, a model for others."),
}


class InstrumentKind(StrEnum):
    """What sort of text an instrument is."""

    DECLARATION = "declaration"
    RECOMMENDATION = "recommendation"
    ANSWER = "answer"
    AGREEMENT = "agreement"
    STRATEGY = "strategy"
    DEBATE = "debate"
    RESOLUTION = "resolution"
    PARLIAMENTARY_DOCUMENT = "parliamentary-document"
    OTHER = "other"


INSTRUMENT_KIND_LABELS: dict[InstrumentKind, str] = {
    InstrumentKind.DECLARATION: N_("Declaration"),
    InstrumentKind.RECOMMENDATION: N_("Recommendation"),
    InstrumentKind.ANSWER: N_("Answer"),
    InstrumentKind.AGREEMENT: N_("Agreement"),
    InstrumentKind.STRATEGY: N_("Strategy"),
    InstrumentKind.DEBATE: N_("Debate"),
    InstrumentKind.RESOLUTION: N_("Resolution"),
    InstrumentKind.PARLIAMENTARY_DOCUMENT: N_("Parliamentary document"),
    InstrumentKind.OTHER: N_("Other"),
}


class RelationKind(StrEnum):
    """How one instrument relates to another (source → target)."""

    CITES = "cites"
    ANSWERS = "answers"
    IMPLEMENTS = "implements"
    SUPERSEDES = "supersedes"
    PART_OF = "part_of"


RELATION_LABELS: dict[RelationKind, str] = {
    RelationKind.CITES: N_("cites"),
    RelationKind.ANSWERS: N_("answers"),
    RelationKind.IMPLEMENTS: N_("implements"),
    RelationKind.SUPERSEDES: N_("supersedes"),
    RelationKind.PART_OF: N_("is part of"),
}


class EvidenceKind(StrEnum):
    """What proves a change: an instrument of the register, a document reference, a link,
    or an uploaded file kept with its SHA-256."""

    INSTRUMENT = "instrument"
    DOCUMENT = "document"
    LINK = "link"
    FILE = "file"


EVIDENCE_LABELS: dict[EvidenceKind, str] = {
    EvidenceKind.INSTRUMENT: N_("Instrument"),
    EvidenceKind.DOCUMENT: N_("Document reference"),
    EvidenceKind.LINK: N_("Link"),
    EvidenceKind.FILE: N_("File"),
}


def valid_link(url: str) -> bool:
    """Evidence links are absolute http(s) addresses (no javascript:, no data:)."""
    lowered = url.strip().lower()
    return lowered.startswith(("https://", "http://")) and len(url) <= 1000 and " " not in url


@dataclass(frozen=True)
class Progress:
    """Counts of commitments per status, overdue ones, and the share implemented.

    The share implemented is implemented / (all − dropped): a dropped
    commitment is no longer expected, so it neither helps nor hurts.
    """

    counts: Mapping[Status, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def expected(self) -> int:
        return self.total - self.counts.get(Status.DROPPED, 0)

    @property
    def implemented(self) -> int:
        return self.counts.get(Status.IMPLEMENTED, 0)

    @property
    def share_implemented(self) -> float:
        return self.implemented / self.expected if self.expected else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "counts": {s.value: int(self.counts.get(s, 0)) for s in Status},
            "implemented": self.implemented,
            "share_implemented": round(self.share_implemented, 4),
            "overdue": self.overdue,
        }


def progress_of(counts: Mapping[str, int], overdue: int) -> Progress:
    """A ``Progress`` from raw status counts (unknown statuses are ignored)."""
    clean: dict[Status, int] = {}
    for key, value in counts.items():
        status = parse_status(str(key))
        if status is not None:
            clean[status] = clean.get(status, 0) + int(value)
    return Progress(counts=clean, overdue=overdue)
