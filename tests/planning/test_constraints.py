"""One test per rule family: a fixed assignment that breaks the rule is infeasible.

Each test pins the model to a plan that is valid except for one broken rule
and expects CP-SAT to call it infeasible, and the independent validator to
name the same rule; the unbroken plan is shown feasible first, so the
infeasibility is the rule's doing.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

from bedeco.planning.engine.instance import (
    Aircraft,
    CheckType,
    CheckUnderWay,
    Facility,
    Floor,
    Instance,
    Mission,
    MissionUnderWay,
    Policy,
)
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution
from bedeco.planning.engine.solver import BuiltModel
from bedeco.planning.engine.validation import validate

from .conftest import pinned_status, tiny_instance

CHECK = CheckType("H-check", frozenset({"H"}), duration=2, max_hours=100, max_months=6, window=2)
BEL_F = Facility("BEL-F", "BEL", frozenset({"H"}), slots=1, cost=10)


def micro(
    aircraft: tuple[Aircraft, ...],
    missions: tuple[Mission, ...] = (),
    periods: int = 3,
    floors: tuple[Floor, ...] = (),
    joint_cap: dict[str, int] | None = None,
) -> Instance:
    return Instance(
        "micro",
        periods,
        aircraft,
        missions,
        (CHECK,),
        (BEL_F,),
        floors,
        joint_cap=MappingProxyType(joint_cap or {}),
    )


def free(aircraft_id: str, nation: str = "BEL", hours: int = 100, **kw: object) -> Aircraft:
    """An aircraft whose next check falls beyond a short horizon."""
    return Aircraft(aircraft_id, nation, "H", frozenset({"H"}), hours, 20, **kw)  # type: ignore[arg-type]


def plan(policy: Policy, checks: list[PlannedCheck], flights: list[Flight]) -> Solution:
    return Solution(policy, tuple(checks), tuple(flights), "test", "FEASIBLE")


def rules(instance: Instance, solution: Solution) -> set[str]:
    return {v.rule for v in validate(instance, solution).violations}


def without(solution: Solution, *flights: Flight) -> Solution:
    return dataclasses.replace(
        solution, flights=tuple(f for f in solution.flights if f not in flights)
    )


def test_the_optimal_plan_pinned_is_feasible(tiny_plan: Solution) -> None:
    assert pinned_status(tiny_instance(), Policy.POOLED, tiny_plan) in {"OPTIMAL", "FEASIBLE"}


def test_flying_during_a_check_is_infeasible(tiny_plan: Solution) -> None:
    broken = dataclasses.replace(
        tiny_plan, flights=(*tiny_plan.flights, Flight("BEL-1", "BEL-m", 4))
    )
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "one-state" in rules(tiny_instance(), broken)


def test_a_check_outside_its_calendar_window_is_infeasible(tiny_plan: Solution) -> None:
    moved = tuple(
        PlannedCheck(c.aircraft, 5, c.facility) if (c.aircraft, c.start) == ("BEL-1", 4) else c
        for c in tiny_plan.checks
    )
    broken = dataclasses.replace(tiny_plan, checks=moved)
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "calendar-limit" in rules(tiny_instance(), broken)


def test_leaving_out_a_required_check_is_infeasible(tiny_plan: Solution) -> None:
    kept = tuple(c for c in tiny_plan.checks if (c.aircraft, c.start) != ("NLD-1", 10))
    broken = dataclasses.replace(tiny_plan, checks=kept)
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "calendar-limit" in rules(tiny_instance(), broken)


def test_flying_past_the_hours_left_is_infeasible(tiny_plan: Solution) -> None:
    # NLD-1 has 40 hours: months 0 and 1 spend them all before its check in month 3.
    broken = dataclasses.replace(
        tiny_plan, flights=(*tiny_plan.flights, Flight("NLD-1", "NLD-m", 2))
    )
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "flight-hours" in rules(tiny_instance(), broken)


def test_more_checks_than_slots_at_a_facility_is_infeasible(tiny_plan: Solution) -> None:
    # BEL-2 is in check at BEL-F in months 7-8; NLD-2 joins it in month 8.
    moved = tuple(
        PlannedCheck("NLD-2", 8, "BEL-F") if c.aircraft == "NLD-2" else c for c in tiny_plan.checks
    )
    broken = dataclasses.replace(tiny_plan, checks=moved)
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "facility-slots" in rules(tiny_instance(), broken)


def test_slots_taken_by_checks_planned_elsewhere_count_against_the_facility(
    tiny_plan: Solution,
) -> None:
    # The optimal plan has a check at BEL-F; the same plan no longer fits when
    # another part of a search has taken BEL-F's one slot in that check's first month.
    check = next(c for c in tiny_plan.checks if c.facility == "BEL-F")
    taken = tiny_instance(taken_slots={("BEL-F", check.start): 1})
    elsewhere = tiny_instance(taken_slots={("NLD-F", 11): 0, ("BEL-F", 11): 0})
    assert pinned_status(elsewhere, Policy.POOLED, tiny_plan) in {"OPTIMAL", "FEASIBLE"}
    assert pinned_status(taken, Policy.POOLED, tiny_plan) == "INFEASIBLE"
    assert "facility-slots" in rules(taken, tiny_plan)


def test_a_foreign_facility_under_the_national_policy_is_infeasible(tiny_plan: Solution) -> None:
    roomy = tiny_instance(
        facilities=tuple(dataclasses.replace(f, slots=5) for f in tiny_instance().facilities)
    )
    moved = tuple(
        PlannedCheck("NLD-2", 8, "BEL-F") if c.aircraft == "NLD-2" else c for c in tiny_plan.checks
    )
    pooled = dataclasses.replace(tiny_plan, checks=moved)
    assert pinned_status(roomy, Policy.POOLED, pooled) in {"OPTIMAL", "FEASIBLE"}
    national = dataclasses.replace(pooled, policy=Policy.NATIONAL)
    assert pinned_status(roomy, Policy.NATIONAL, national) == "INFEASIBLE"
    assert "facility" in rules(roomy, national)


def test_shortfall_counts_every_uncovered_aircraft_period(tiny_plan: Solution) -> None:
    gap = without(tiny_plan, Flight("BEL-1", "BEL-m", 0))
    assert validate(tiny_instance(), gap).figures.shortfall == 1

    def no_shortfall(built: BuiltModel) -> None:
        built.model.add(sum(built.vars.shortfall.values()) == 0)

    assert pinned_status(tiny_instance(), Policy.POOLED, gap) in {"OPTIMAL", "FEASIBLE"}
    assert pinned_status(tiny_instance(), Policy.POOLED, gap, no_shortfall) == "INFEASIBLE"


def test_leaving_a_mission_before_the_least_stay_is_infeasible(tiny_plan: Solution) -> None:
    broken = without(tiny_plan, Flight("BEL-1", "BEL-m", 1))
    assert pinned_status(tiny_instance(), Policy.POOLED, broken) == "INFEASIBLE"
    assert "minimum-stay" in rules(tiny_instance(), broken)


def test_lending_above_the_joint_cap_is_infeasible() -> None:
    mission = Mission("NLD-m", "NLD", 0, 1, required=1, hours=10, min_consecutive=2)
    lend = [Flight("BEL-1", "NLD-m", 0), Flight("BEL-1", "NLD-m", 1)]
    capped = micro((free("BEL-1"),), (mission,), periods=2, joint_cap={"BEL": 0})
    allowed = micro((free("BEL-1"),), (mission,), periods=2, joint_cap={"BEL": 1})
    assert pinned_status(allowed, Policy.JOINT, plan(Policy.JOINT, [], lend)) == "OPTIMAL"
    assert pinned_status(capped, Policy.JOINT, plan(Policy.JOINT, [], lend)) == "INFEASIBLE"
    assert "joint-cap" in rules(capped, plan(Policy.JOINT, [], lend))
    national = plan(Policy.POOLED, [], lend)
    assert pinned_status(allowed, Policy.POOLED, national) == "INFEASIBLE"
    assert "mission-eligibility" in rules(allowed, national)


def test_a_mission_under_way_must_run_its_least_stay() -> None:
    mission = Mission("BEL-m", "BEL", 0, 2, required=1, hours=10, min_consecutive=3)
    aircraft = free("BEL-1", mission_under_way=MissionUnderWay("BEL-m", 1))
    instance = micro((aircraft,), (mission,))
    stays = [Flight("BEL-1", "BEL-m", 0), Flight("BEL-1", "BEL-m", 1)]
    assert pinned_status(instance, Policy.POOLED, plan(Policy.POOLED, [], stays)) == "OPTIMAL"
    leaves = plan(Policy.POOLED, [], stays[:1])
    assert pinned_status(instance, Policy.POOLED, leaves) == "INFEASIBLE"
    assert "under-way" in rules(instance, leaves)


def test_a_check_under_way_keeps_the_aircraft_on_the_ground() -> None:
    mission = Mission("BEL-m", "BEL", 0, 2, required=1, hours=10)
    aircraft = free("BEL-1", check_under_way=CheckUnderWay(-1, "BEL-F"))
    instance = micro((aircraft,), (mission,))
    flies = plan(Policy.POOLED, [], [Flight("BEL-1", "BEL-m", 0)])
    assert pinned_status(instance, Policy.POOLED, flies) == "INFEASIBLE"
    assert "one-state" in rules(instance, flies)
    later = plan(Policy.POOLED, [], [Flight("BEL-1", "BEL-m", 1)])
    assert pinned_status(instance, Policy.POOLED, later) == "OPTIMAL"


def _no_floor_miss(built: BuiltModel) -> None:
    misses = [*built.vars.available_miss.values(), *built.vars.hours_miss.values()]
    built.model.add(sum(misses) == 0)


def test_flying_a_nation_below_its_hour_floor_is_a_miss() -> None:
    mission = Mission("BEL-m", "BEL", 0, 1, required=1, hours=20, min_consecutive=1)
    floor = Floor("BEL-H", 0, 50, nation="BEL")
    instance = micro((free("BEL-1", hours=80),), (mission,), periods=2, floors=(floor,))
    both = plan(Policy.POOLED, [], [Flight("BEL-1", "BEL-m", 0), Flight("BEL-1", "BEL-m", 1)])
    misses = validate(instance, both).figures.floor_misses
    assert [(m.floor, m.period, m.kind) for m in misses] == [("BEL-H", 1, "hours")]
    assert pinned_status(instance, Policy.POOLED, both) == "OPTIMAL"
    assert pinned_status(instance, Policy.POOLED, both, _no_floor_miss) == "INFEASIBLE"


def test_checking_a_nation_below_its_availability_floor_is_a_miss() -> None:
    due_now = Aircraft("BEL-1", "BEL", "H", frozenset({"H"}), 100, 0)
    floor = Floor("BEL-H", 1, 0, nation="BEL")
    instance = micro((due_now,), periods=3, floors=(floor,))
    checked = plan(Policy.POOLED, [PlannedCheck("BEL-1", 0, "BEL-F")], [])
    misses = validate(instance, checked).figures.floor_misses
    assert {(m.period, m.kind) for m in misses} == {(0, "available"), (1, "available")}
    assert pinned_status(instance, Policy.POOLED, checked) == "OPTIMAL"
    assert pinned_status(instance, Policy.POOLED, checked, _no_floor_miss) == "INFEASIBLE"


def test_the_peak_of_checks_is_at_least_the_checks_at_once(tiny_plan: Solution) -> None:
    assert validate(tiny_instance(), tiny_plan).figures.peak == 2

    def peak_one(built: BuiltModel) -> None:
        assert built.vars.peak is not None
        built.model.add(built.vars.peak <= 1)

    assert pinned_status(tiny_instance(), Policy.POOLED, tiny_plan, peak_one) == "INFEASIBLE"
