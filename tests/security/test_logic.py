"""The access rule against a plain truth table, over every combination it can meet."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bedeco.security.logic import (
    ANONYMOUS,
    Action,
    Classification,
    Marking,
    Nation,
    Principal,
    Role,
    may,
    within_deployment,
)

LEVEL = {"PUBLIC": 0, "UNCLASSIFIED": 1, "RESTRICTED": 2, "CONFIDENTIAL": 3}
NEEDS = {
    Action.VIEW: {"viewer", "contributor", "coordinator"},
    Action.CHANGE: {"contributor", "coordinator"},
    Action.COORDINATE: {"coordinator"},
}
NATIONS = ("BEL", "NLD", "LUX")
ROLE_SETS = [
    frozenset(c)
    for n in range(0, 5)
    for c in itertools.combinations(("viewer", "contributor", "coordinator", "admin"), n)
]
RELEASABILITY = [frozenset(c) for n in range(0, 4) for c in itertools.combinations(NATIONS, n)]


def truth(
    nation: str | None,
    clearance: str,
    roles: frozenset[str],
    classification: str | None,
    releasable: frozenset[str],
    action: Action,
) -> bool:
    """The rule written out plainly, independent of the implementation."""
    if classification not in LEVEL:
        return False  # missing or malformed: closed
    if classification != "PUBLIC" and (not releasable or not releasable <= set(NATIONS)):
        return False  # malformed releasability: closed
    if classification == "PUBLIC" and action == Action.VIEW:
        return True  # the public sees public records
    if nation is None:
        return False  # the anonymous public does nothing else
    if LEVEL[clearance] < LEVEL[classification]:
        return False
    if classification != "PUBLIC" and nation not in releasable:
        return False
    return bool(roles & NEEDS[action])  # admin alone grants nothing on content


def build(nation: str, clearance: str, roles: frozenset[str]) -> Principal:
    return Principal(
        user_id=7,
        name="p",
        nation=Nation(nation),
        clearance=Classification(clearance),
        roles=frozenset(Role(r) for r in roles),
    )


def test_rule_matches_truth_table_over_every_combination() -> None:
    checked = 0
    for nation, clearance, roles, classification, releasable, action in itertools.product(
        NATIONS,
        ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL"),
        ROLE_SETS,
        (*LEVEL, None, "SECRET", "restricted", ""),
        [*RELEASABILITY, frozenset({"FRA"}), frozenset({"BEL", "XXX"})],
        tuple(Action),
    ):
        expected = truth(nation, clearance, roles, classification, releasable, action)
        actual = may(build(nation, clearance, roles), Marking(classification, releasable), action)
        assert actual == expected, (nation, clearance, roles, classification, releasable, action)
        checked += 1
    assert checked == 3 * 3 * len(ROLE_SETS) * 8 * (len(RELEASABILITY) + 2) * 3


def test_anonymous_sees_only_public_and_changes_nothing() -> None:
    for classification in LEVEL:
        for action in Action:
            expected = classification == "PUBLIC" and action == Action.VIEW
            assert may(ANONYMOUS, Marking(classification, frozenset(NATIONS)), action) == expected


@given(
    nation=st.sampled_from(NATIONS),
    clearance=st.sampled_from(("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL")),
    roles=st.sampled_from(ROLE_SETS),
    classification=st.one_of(st.none(), st.text(max_size=14), st.sampled_from(list(LEVEL))),
    releasable=st.frozensets(st.one_of(st.sampled_from(NATIONS), st.text(max_size=4))),
    action=st.sampled_from(list(Action)),
)
def test_rule_matches_truth_table_for_arbitrary_markings(
    nation: str,
    clearance: str,
    roles: frozenset[str],
    classification: str | None,
    releasable: frozenset[str],
    action: Action,
) -> None:
    expected = truth(nation, clearance, roles, classification, releasable, action)
    assert may(build(nation, clearance, roles), Marking(classification, releasable), action) == (
        expected
    )


def test_records_above_the_deployment_level_are_outside_it() -> None:
    assert within_deployment(Classification.RESTRICTED, Classification.RESTRICTED)
    assert not within_deployment(Classification.CONFIDENTIAL, Classification.RESTRICTED)
    assert within_deployment(Classification.PUBLIC, Classification.UNCLASSIFIED)
