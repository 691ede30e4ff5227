"""Splitting a scenario into parts that meet only at the facilities."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bedeco.planning.engine import fmp
from bedeco.planning.engine.decompose import components, decisions, merge, split
from bedeco.planning.engine.instance import (
    Aircraft,
    CheckType,
    Facility,
    Floor,
    Instance,
    Mission,
    Policy,
)
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution
from bedeco.planning.engine.solver import build_model

from .conftest import FMP_DIR, tiny_instance


def test_the_benchmark_falls_into_its_four_clusters() -> None:
    instance = fmp.read_instance(json.loads((FMP_DIR / "a060_p04_s85.json").read_text()))
    parts = split(instance, Policy.NATIONAL)
    assert sorted(len(p.aircraft) for p in parts) == [10, 12, 17, 21]
    for part in parts:
        (floor,) = part.floors
        assert all(floor.covers(a) for a in part.aircraft)
        assert all(m.capabilities == floor.capabilities for m in part.missions)
        assert part.facilities == instance.facilities
    assert sorted(m.id for p in parts for m in p.missions) == sorted(
        m.id for m in instance.missions
    )


def test_nations_are_parts_of_their_own_unless_a_floor_spans_them() -> None:
    tiny = tiny_instance(floors=())
    assert len(split(tiny, Policy.NATIONAL)) == 2
    across = replace(tiny, floors=(Floor("all-H", 1, 0, aircraft_type="H"),))
    assert split(across, Policy.NATIONAL) == [across]
    # Without the floors a relaxation may still split them.
    assert len(components(across, Policy.NATIONAL, floors=False)) == 2


def _two_types(joint_cap: dict[str, int]) -> Instance:
    """BEL flies two types on NLD's missions; only a lending cap ties the types together."""
    check = CheckType("c", frozenset({"H", "T"}), 2, 100, 6, 2)
    return Instance(
        name="two types",
        periods=6,
        aircraft=(
            Aircraft("BEL-H", "BEL", "H", frozenset(), 100, 6),
            Aircraft("BEL-T", "BEL", "T", frozenset(), 100, 6),
        ),
        missions=(
            Mission("h", "NLD", 0, 5, 1, 10, aircraft_type="H"),
            Mission("t", "NLD", 0, 5, 1, 10, aircraft_type="T"),
        ),
        check_types=(check,),
        facilities=(Facility("F", "BEL", frozenset({"H", "T"}), 1),),
        joint_cap=joint_cap,
    )


def test_a_lending_cap_ties_a_nations_aircraft_together_under_the_joint_command() -> None:
    assert len(split(_two_types({}), Policy.JOINT)) == 2
    assert len(split(_two_types({"BEL": 1}), Policy.JOINT)) == 1
    # Under the national policy BEL may fly neither mission: nothing to split.
    assert len(split(_two_types({"BEL": 1}), Policy.NATIONAL)) == 1


def test_unflown_missions_and_idle_aircraft_do_not_make_parts_of_their_own() -> None:
    tiny = tiny_instance(floors=())
    idle = Aircraft("LUX-1", "LUX", "H", frozenset(), 100, 8)
    nobody = Mission("LUX-m", "LUX", 0, 11, 1, 10, aircraft_type="X")
    instance = replace(tiny, aircraft=(*tiny.aircraft, idle), missions=(*tiny.missions, nobody))
    parts = split(instance, Policy.NATIONAL)
    assert [sorted(a.id for a in p.aircraft) for p in parts] == [
        ["BEL-1", "BEL-2"],
        ["NLD-1", "NLD-2"],
        ["LUX-1"],
    ]
    assert "LUX-m" in {m.id for m in parts[0].missions}
    assert parts[2].missions == ()


@pytest.mark.parametrize("policy", list(Policy))
def test_the_decision_count_is_that_of_the_model(policy: Policy) -> None:
    instance = tiny_instance()
    built = build_model(instance, policy)
    assert decisions(instance, policy) == len(built.vars.fly) + len(built.vars.start)


def test_merge_keeps_every_decision_in_order() -> None:
    a = Solution(
        Policy.POOLED, (PlannedCheck("b", 3, "F"),), (Flight("b", "m", 0),), "x", "OPTIMAL"
    )
    b = Solution(
        Policy.POOLED, (PlannedCheck("a", 1, "F"),), (Flight("a", "m", 2),), "x", "OPTIMAL"
    )
    merged = merge(Policy.POOLED, [a, b])
    assert merged.checks == (PlannedCheck("a", 1, "F"), PlannedCheck("b", 3, "F"))
    assert merged.flights == (Flight("a", "m", 2), Flight("b", "m", 0))
    assert merged.status == "FEASIBLE"
