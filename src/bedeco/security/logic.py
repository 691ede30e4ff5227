"""The access rule of bedeco, in one place.

A principal sees a record when its clearance is at least the record's
classification and its nation is in the record's releasability set; PUBLIC
records are open to everyone, the anonymous public included. Changing needs a
sufficient role on top. No role bypasses the rule: an admin manages people,
not access to content. A missing or malformed marking fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Classification(StrEnum):
    """Protective markings, lowest first."""

    PUBLIC = "PUBLIC"
    UNCLASSIFIED = "UNCLASSIFIED"
    RESTRICTED = "RESTRICTED"
    CONFIDENTIAL = "CONFIDENTIAL"

    @property
    def rank(self) -> int:
        return list(Classification).index(self)


CLEARANCES = (Classification.UNCLASSIFIED, Classification.RESTRICTED, Classification.CONFIDENTIAL)


class Nation(StrEnum):
    """The three Benelux nations, ISO 3166-1 alpha-3 as NATO markings use them."""

    BEL = "BEL"
    NLD = "NLD"
    LUX = "LUX"


NATION_NAMES: dict[Nation, dict[str, str]] = {
    Nation.BEL: {"nl": "België", "fr": "Belgique", "de": "Belgien", "en": "Belgium"},
    Nation.NLD: {"nl": "Nederland", "fr": "Pays-Bas", "de": "Niederlande", "en": "Netherlands"},
    Nation.LUX: {"nl": "Luxemburg", "fr": "Luxembourg", "de": "Luxemburg", "en": "Luxembourg"},
}


class Role(StrEnum):
    """What a person does on the platform."""

    VIEWER = "viewer"
    CONTRIBUTOR = "contributor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Action(IntEnum):
    """What a principal wants to do with a record, each needing a role."""

    VIEW = 1
    CHANGE = 2
    COORDINATE = 3


ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({Role.VIEWER, Role.CONTRIBUTOR, Role.COORDINATOR}),
    Action.CHANGE: frozenset({Role.CONTRIBUTOR, Role.COORDINATOR}),
    Action.COORDINATE: frozenset({Role.COORDINATOR}),
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a person with one nation, a clearance and roles, or the anonymous public."""

    user_id: int | None
    name: str
    nation: Nation | None
    clearance: Classification
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has_role(self, role: Role) -> bool:
        return role in self.roles


ANONYMOUS = Principal(user_id=None, name="public", nation=None, clearance=Classification.PUBLIC)


@dataclass(frozen=True)
class Marking:
    """A record's classification and releasability set (raw values, validated on use)."""

    classification: str | None
    releasable_to: frozenset[str] = frozenset()

    @classmethod
    def of(cls, classification: str | None, releasable_to: Iterable[str] = ()) -> Marking:
        return cls(classification, frozenset(releasable_to))


def parse_classification(value: str | None) -> Classification | None:
    """The classification named by ``value``, or None when missing or malformed."""
    try:
        return Classification(value) if value is not None else None
    except ValueError:
        return None


def marking_is_valid(marking: Marking) -> bool:
    """A marking is usable when its level is known and, unless PUBLIC, it names known nations."""
    level = parse_classification(marking.classification)
    if level is None:
        return False
    if level is Classification.PUBLIC:
        return True
    nations = {n.value for n in Nation}
    return bool(marking.releasable_to) and marking.releasable_to <= nations


def may(principal: Principal, marking: Marking, action: Action) -> bool:
    """May ``principal`` do ``action`` on a record with ``marking``? Fails closed."""
    if not marking_is_valid(marking):
        return False
    level = Classification(str(marking.classification))
    if action is Action.VIEW and level is Classification.PUBLIC:
        return True
    if principal.is_anonymous or principal.nation is None:
        return False
    if principal.clearance.rank < level.rank:
        return False
    if level is not Classification.PUBLIC and principal.nation.value not in marking.releasable_to:
        return False
    return bool(principal.roles & ROLES_FOR_ACTION[action])


def visible_levels(principal: Principal) -> tuple[Classification, ...]:
    """The classifications a principal's clearance reaches (PUBLIC always)."""
    return tuple(c for c in Classification if c.rank <= principal.clearance.rank)


def within_deployment(level: Classification, highest: Classification) -> bool:
    """Records above the deployment's highest level may not be stored at all."""
    return level.rank <= highest.rank
