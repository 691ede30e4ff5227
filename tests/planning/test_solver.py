"""The search and the validator agree: properties on random small instances, and the solver's hooks."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedeco.planning.engine.decompose import merge, split
from bedeco.planning.engine.heuristic import heuristic_plan
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
from bedeco.planning.engine.solver import (
    Progress,
    SolveParams,
    _PartsSearch,
    build_model,
    solve,
)
from bedeco.planning.engine.validation import validate

from .conftest import EXACT, tiny_instance

NATIONS = ("BEL", "NLD")


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    periods = draw(st.integers(4, 9))
    max_months = draw(st.integers(4, 6))
    check = CheckType("c", frozenset({"H"}), 2, 100, max_months, draw(st.integers(1, 2)))
    aircraft = tuple(
        Aircraft(
            f"a{i}",
            draw(st.sampled_from(NATIONS)),
            "H",
            frozenset({"H"}),
            draw(st.integers(0, 100)),
            draw(st.integers(0, 8)),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    missions = []
    for i in range(draw(st.integers(1, 2))):
        start = draw(st.integers(0, periods - 1))
        missions.append(
            Mission(
                f"m{i}",
                draw(st.sampled_from(NATIONS)),
                start,
                draw(st.integers(start, periods - 1)),
                draw(st.integers(1, 2)),
                draw(st.integers(5, 40)),
                draw(st.integers(1, 3)),
            )
        )
    facilities = tuple(
        Facility(
            f"F-{n}", n, frozenset({"H"}), draw(st.integers(1, 2)), draw(st.integers(1, 20)), 3
        )
        for n in NATIONS
    )
    floors = (Floor("f", draw(st.integers(0, 1)), draw(st.integers(0, 120)), nation="BEL"),)
    return Instance("random", periods, aircraft, tuple(missions), (check,), facilities, floors)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.sampled_from(list(Policy)))
def test_every_plan_of_a_random_instance_passes_validation(
    instance: Instance, policy: Policy
) -> None:
    solution = solve(instance, policy, EXACT)
    baseline = heuristic_plan(instance, policy)
    baseline_ok = validate(instance, baseline).ok
    if solution.status == "INFEASIBLE":
        assert not baseline_ok, "the heuristic found a valid plan the model calls infeasible"
        return
    assert solution.has_plan
    report = validate(instance, solution)
    assert report.ok, report.violations
    if solution.method == "cp-sat":
        built = build_model(instance, policy)
        weights = built.weights
        recomputed = sum(w * level for w, level in zip(weights, report.figures.levels, strict=True))
        assert recomputed == solution.objective == built.objective_of(report.figures.levels)
        if solution.status == "OPTIMAL" and baseline_ok:
            levels = validate(instance, baseline).figures.levels
            assert solution.objective <= sum(w * x for w, x in zip(weights, levels, strict=True))


def test_the_search_is_deterministic_with_one_worker_and_a_seed() -> None:
    first = solve(tiny_instance(), Policy.JOINT, EXACT)
    second = solve(tiny_instance(), Policy.JOINT, EXACT)
    assert (first.checks, first.flights) == (second.checks, second.flights)


def test_progress_is_reported_for_each_better_plan() -> None:
    seen: list[Progress] = []
    solution = solve(tiny_instance(), Policy.POOLED, EXACT, on_progress=seen.append)
    assert seen and seen[-1].objective == solution.objective
    assert solution.gap == 0.0 and solution.first_plan_time is not None


def test_a_set_cancel_event_stops_the_search_with_the_best_plan_so_far() -> None:
    cancel = threading.Event()
    cancel.set()
    solution = solve(tiny_instance(), Policy.POOLED, SolveParams(30.0, 1, 0), cancel=cancel)
    assert solution.wall_time < 10
    assert not solution.has_plan or validate(tiny_instance(), solution).ok


def test_the_heuristic_plan_of_the_tiny_instance_is_valid() -> None:
    for policy in Policy:
        assert validate(tiny_instance(), heuristic_plan(tiny_instance(), policy)).ok


def test_a_floor_miss_budget_trades_misses_for_shortfall_only_up_to_the_budget() -> None:
    """BEL must keep 160 flight hours: each month below it buys one more aircraft-month flown."""
    strict_floor = Floor("BEL-H", min_available=1, min_hours=160, nation="BEL", aircraft_type="H")
    instance = tiny_instance(floors=(strict_floor,))
    seen = []
    for budget in (0, 1, 2):
        solution = solve(instance, Policy.POOLED, replace(EXACT, floor_miss_budget=budget))
        report = validate(instance, solution)
        assert solution.status == "OPTIMAL" and report.ok
        seen.append((len(report.figures.floor_misses), report.figures.shortfall))
        built = build_model(instance, Policy.POOLED, floor_miss_budget=budget)
        assert built.objective_of(report.figures.levels) == solution.objective
        assert solution.shortfall_bound == report.figures.shortfall
    assert seen == [(0, 5), (1, 4), (2, 3)]


def test_misses_beyond_the_budget_still_come_first() -> None:
    instance = tiny_instance()
    built = build_model(instance, Policy.POOLED, floor_miss_budget=1)
    within = built.objective_of((1, 10, 0, 0))
    beyond = built.objective_of((2, 0, 0, 0))
    assert within < beyond
    assert built.objective_of((1, 3, 0, 0)) < built.objective_of((0, 4, 0, 0))


# --- the search by parts -------------------------------------------------------------

BY_PARTS = replace(EXACT, decompose=True)


@st.composite
def clustered_instances(draw: st.DrawFn) -> Instance:
    """Two capability clusters that share only the facilities."""
    periods = draw(st.integers(4, 8))
    check = CheckType(
        "c", frozenset({"H"}), 2, 100, draw(st.integers(4, 6)), draw(st.integers(1, 2))
    )
    aircraft, missions, floors = [], [], []
    for cap in ("A", "B"):
        nation = draw(st.sampled_from(NATIONS))
        for i in range(draw(st.integers(1, 2))):
            aircraft.append(
                Aircraft(
                    f"{cap}{i}",
                    nation,
                    "H",
                    frozenset({cap}),
                    draw(st.integers(0, 100)),
                    draw(st.integers(0, 8)),
                )
            )
        start = draw(st.integers(0, periods - 1))
        missions.append(
            Mission(
                f"m{cap}",
                nation,
                start,
                draw(st.integers(start, periods - 1)),
                draw(st.integers(1, 2)),
                draw(st.integers(5, 40)),
                draw(st.integers(1, 3)),
                capabilities=frozenset({cap}),
            )
        )
        floors.append(
            Floor(
                f"f{cap}",
                draw(st.integers(0, 1)),
                draw(st.integers(0, 120)),
                capabilities=frozenset({cap}),
            )
        )
    facilities = tuple(
        Facility(
            f"F-{n}", n, frozenset({"H"}), draw(st.integers(1, 2)), draw(st.integers(1, 20)), 3
        )
        for n in NATIONS
    )
    return Instance(
        "clusters", periods, tuple(aircraft), tuple(missions), (check,), facilities, tuple(floors)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clustered_instances(), st.sampled_from(list(Policy)))
def test_the_search_by_parts_finds_the_whole_optimum_and_bounds_it(
    instance: Instance, policy: Policy
) -> None:
    whole = solve(instance, policy, replace(EXACT, decompose=False))
    parts = solve(instance, policy, BY_PARTS)
    if whole.status == "INFEASIBLE":
        assert not parts.has_plan
        return
    assert whole.status == "OPTIMAL"
    report = validate(instance, parts)
    assert report.ok, report.violations
    best = validate(instance, whole).figures.levels
    found = report.figures.levels
    assert parts.floor_bound is not None and parts.floor_bound <= best[0]
    if parts.floor_bound == best[0]:
        assert parts.shortfall_bound is not None and parts.shortfall_bound <= best[1]
    assert parts.objective == build_model(instance, policy).objective_of(found)
    # The parts' bounds, added level by level, never exceed the whole optimum.
    assert parts.bound is not None and whole.objective is not None
    assert parts.bound <= whole.objective
    if "searched whole" in parts.message:
        # Every part proven on the top levels, then cost and spread on the whole model
        # from the merged plan: on instances this small that reaches the whole optimum.
        assert parts.objective == whole.objective and parts.status == "OPTIMAL"
    if parts.method == "cp-sat by parts" and "fitted" not in parts.message:
        # Each part proven optimal with the slots to itself, and together they fit:
        # nothing the whole could do better on floors and shortfall.
        assert found[:2] == best[:2]


def _crowded(required_a: int = 1) -> Instance:
    """Two clusters whose aircraft both want the one slot in months 0-3 before their missions."""
    check = CheckType("c", frozenset({"H"}), 3, 100, 20, 6)
    aircraft = tuple(
        Aircraft(f"{cap}1", "BEL", "H", frozenset({cap}), 100, 3) for cap in ("A", "B")
    )
    missions = (
        Mission("mA", "BEL", 4, 9, required_a, 10, capabilities=frozenset({"A"})),
        Mission("mB", "BEL", 4, 9, 1, 10, capabilities=frozenset({"B"})),
    )
    facility = Facility("F", "BEL", frozenset({"H"}), 1)
    return Instance("crowded", 10, aircraft, missions, (check,), (facility,))


def test_parts_that_overfill_a_facility_together_are_fitted_around_each_other() -> None:
    for required_a in (1, 2):
        instance = _crowded(required_a)
        parts = solve(instance, Policy.POOLED, BY_PARTS)
        whole = solve(instance, Policy.POOLED, replace(EXACT, decompose=False))
        report = validate(instance, parts)
        assert report.ok, report.violations
        assert "fitted" in parts.message
        # One check waits for the other: one aircraft misses two months of its mission.
        assert report.figures.levels[:2] == validate(instance, whole).figures.levels[:2]
        assert report.figures.shortfall == 2 + 6 * (required_a - 1)
        # The bound comes from the parts alone (each with the slot to itself).
        assert parts.shortfall_bound == 6 * (required_a - 1)


def test_the_search_by_parts_reports_progress_and_stops_when_cancelled() -> None:
    seen: list[Progress] = []
    instance = _crowded(2)
    solution = solve(instance, Policy.POOLED, BY_PARTS, on_progress=seen.append)
    assert seen and solution.first_plan_time is not None
    cancel = threading.Event()
    cancel.set()
    stopped = solve(instance, Policy.POOLED, replace(BY_PARTS, time_limit=30.0), cancel=cancel)
    assert stopped.wall_time < 10
    assert stopped.has_plan and validate(instance, stopped).ok


def test_a_floor_miss_budget_is_shared_between_the_parts() -> None:
    """Each cluster alone would spend the whole budget; together they get it once."""
    strict = Floor("BEL-H", min_available=1, min_hours=160, nation="BEL", aircraft_type="H")
    tiny = tiny_instance(floors=(strict,))
    twin = replace(
        tiny,
        aircraft=tuple(
            replace(a, id=a.id + "x", nation="LUX") for a in tiny.aircraft if a.nation == "BEL"
        ),
        missions=tuple(
            replace(m, id=m.id + "x", nation="LUX") for m in tiny.missions if m.nation == "BEL"
        ),
        floors=(replace(strict, id="LUX-H", nation="LUX"),),
    )
    instance = replace(
        tiny,
        aircraft=tiny.aircraft + twin.aircraft,
        missions=tiny.missions + twin.missions,
        floors=tiny.floors + twin.floors,
        facilities=tiny.facilities
        + tuple(replace(f, id=f.id + "x", nation="LUX", slots=2) for f in tiny.facilities[:1]),
    )
    solution = solve(instance, Policy.NATIONAL, replace(BY_PARTS, floor_miss_budget=1))
    report = validate(instance, solution)
    assert report.ok and solution.method == "cp-sat by parts"
    assert len(report.figures.floor_misses) == 1


def _budgets(levels: list[tuple[int, int]], floor_bounds: list[int], budget: int) -> list[int]:
    """The budgets ``share_floor_budget`` gives parts with these levels and floor bounds."""
    instance = tiny_instance()
    parts = [instance] * len(levels)
    params = SolveParams(time_limit=10.0, floor_miss_budget=budget)
    search = _PartsSearch(instance, Policy.NATIONAL, parts, params, None, None)
    for part, (misses, shortfall), needed in zip(search.parts, levels, floor_bounds, strict=True):
        part.levels, part.floor_bound = (misses, shortfall, 0, 0), needed
    search.share_floor_budget()
    return [part.budget for part in search.parts]


def test_the_floor_miss_budget_goes_to_needed_misses_then_to_the_most_shortfall() -> None:
    # s85 with seed 1: the hard part's first plan spent 2 misses, an easy part 1.
    assert _budgets([(0, 0), (1, 0), (2, 63)], [0, 0, 0], 3) == [0, 0, 3]
    # A part that cannot do without a miss keeps it; the rest goes to shortfall.
    assert _budgets([(1, 0), (2, 63)], [1, 0], 3) == [1, 2]
    assert _budgets([(2, 0), (2, 63)], [2, 0], 1) == [1, 0]
    # Shortfall proven optimal buys nothing: the misses keep the plans as they are.
    assert _budgets([(1, 0), (2, 0)], [0, 0], 2) == [0, 2]
    assert _budgets([(1, 0), (1, 0)], [0, 0], 5) == [1, 1]
    # No budget, nothing shared.
    assert _budgets([(1, 0), (2, 63)], [0, 0], 0) == [0, 0]


def test_the_heuristic_leaves_slots_taken_elsewhere_alone() -> None:
    taken = {("BEL-F", t): 1 for t in range(2, 6)}
    instance = tiny_instance(taken_slots=taken)
    plan = heuristic_plan(instance, Policy.POOLED)
    assert validate(instance, plan).ok
    assert validate(tiny_instance(), plan).ok
    duration = instance.check_types[0].duration
    assert not any(
        c.facility == "BEL-F" and set(range(c.start, c.start + duration)) & set(range(2, 6))
        for c in plan.checks
    )


def test_time_the_fit_left_goes_to_the_most_open_part_around_the_others_slots() -> None:
    from bedeco.planning.engine.decompose import split
    from bedeco.planning.engine.solver import _PartsSearch, _restricted

    instance = _crowded(2)
    whole = heuristic_plan(instance, Policy.POOLED)
    assert validate(instance, whole).ok
    search = _PartsSearch(
        instance, Policy.POOLED, split(instance, Policy.POOLED), BY_PARTS, None, None
    )
    for part in search.parts:
        part.plan = _restricted(whole, part.instance)
        part.levels = validate(part.instance, part.plan).figures.levels
    before = [p.levels for p in search.parts]
    most_open = max(range(len(before)), key=lambda i: before[i][1])
    polished = search.polish()
    assert polished is not None
    assert validate(instance, polished).ok
    after = [p.levels for p in search.parts]
    assert search.parts[most_open].plan.method == "cp-sat"  # type: ignore[union-attr]
    assert after[most_open][:2] <= before[most_open][:2]
    assert [a for i, a in enumerate(after) if i != most_open] == [
        b for i, b in enumerate(before) if i != most_open
    ]


def test_a_part_that_cannot_be_moved_from_its_own_plan_is_fitted_from_the_heuristics(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bedeco.planning.engine import solver

    real = solver.solve_model
    hinted: list[bool] = []

    def stuck(*args: Any, **kwargs: Any) -> Solution:
        # As if the search could not move a clashing check from the plan it was given.
        start = kwargs.get("start_from")
        if start is not None and args[0].taken_slots:
            hinted.append(True)
            return replace(start, status="FEASIBLE")
        return real(*args, **kwargs)

    monkeypatch.setattr(solver, "solve_model", stuck)
    crowded = _crowded(1)
    # B1 may wait for its check until A1's is done: the parts can be fitted one by one.
    later = replace(crowded.aircraft[1], months_left=6)
    instance = replace(crowded, aircraft=(crowded.aircraft[0], later))
    search = solver._PartsSearch(
        instance, Policy.POOLED, split(instance, Policy.POOLED), BY_PARTS, None, None
    )
    search.first_pass(None)
    assert not validate(instance, merge(Policy.POOLED, [p.plan for p in search.parts])).ok
    fitted = search.fit()
    assert hinted  # the fit tried the part's own plan first
    assert fitted is not None and validate(instance, fitted).ok


def _clashing_open_part(pattern_search: bool = True) -> tuple[_PartsSearch, Instance]:
    """``_crowded(1)`` as after a first pass: B1 checked first and flying its whole
    mission, A1 checked in the same months without flying (open: 6 months short,
    nothing proven)."""
    instance = _crowded(1)
    params = replace(BY_PARTS, pattern_search=pattern_search)
    search = _PartsSearch(
        instance, Policy.POOLED, split(instance, Policy.POOLED), params, None, None
    )
    a, b = sorted(search.parts, key=lambda p: p.instance.aircraft[0].id)
    flights = tuple(Flight("B1", "mB", t) for t in range(4, 10))
    b.plan = Solution(Policy.POOLED, (PlannedCheck("B1", 0, "F"),), flights, "cp-sat", "OPTIMAL")
    a.plan = Solution(Policy.POOLED, (PlannedCheck("A1", 0, "F"),), (), "cp-sat", "FEASIBLE")
    for part in (a, b):
        part.levels = validate(part.instance, part.plan).figures.levels
    return search, instance


def test_the_second_pass_searches_an_open_part_around_the_others_checks() -> None:
    search, instance = _clashing_open_part()
    a, b = sorted(search.parts, key=lambda p: p.instance.aircraft[0].id)
    assert a.levels[:2] == (0, 6) and not a.settled() and b.settled()
    assert not validate(instance, merge(Policy.POOLED, [a.plan, b.plan])).ok
    b_plan = b.plan
    search.second_pass()
    # A1 was refitted around B1's check and searched there: its check waits for
    # B1's (months 0-2), so it misses the mission's first two months (4, 5), and the
    # parts' plans fit together without the fit step.
    assert b.plan is b_plan
    assert validate(instance, merge(Policy.POOLED, [a.plan, b.plan])).ok
    assert a.levels[:2] == (0, 2)
    # Found among the slots B1 leaves: no bound of the whole from it.
    assert a.shortfall_bound == 0


def test_without_check_patterns_the_second_pass_leaves_the_clash_to_the_fit() -> None:
    # Short budgets: around the others the 210-aircraft scaling instance did worse.
    search, instance = _clashing_open_part(pattern_search=False)
    a, b = sorted(search.parts, key=lambda p: p.instance.aircraft[0].id)
    search.second_pass()
    assert a.levels[:2] == (0, 0)  # the slot to itself: no wait
    assert not validate(instance, merge(Policy.POOLED, [a.plan, b.plan])).ok


def test_a_part_whose_plan_fits_around_the_others_is_searched_there_unchanged() -> None:
    search, _ = _clashing_open_part()
    a, b = sorted(search.parts, key=lambda p: p.instance.aircraft[0].id)
    moved = replace(a.plan, checks=(PlannedCheck("A1", 3, "F"),))
    a.plan = moved
    within = search.fitted_around_others(a, 5.0)
    assert within is not None and within.taken_slots
    assert a.plan is moved  # no refit where the plan fits
    b.plan = None
    assert search.fitted_around_others(a, 5.0) is None  # no other checks: the part alone


def _bunched(pattern_search: bool = True) -> tuple[_PartsSearch, Instance]:
    """Two parts as after a first pass: X1 and X2 (one mission) checked in the same
    months, which their mission does not need; Y1 on a mission of its own."""
    check = CheckType("c", frozenset({"H"}), 2, 100, 20, 6)
    aircraft = tuple(
        Aircraft(name, "BEL", "H", frozenset({cap}), 100, 4)
        for name, cap in (("X1", "X"), ("X2", "X"), ("Y1", "Y"))
    )
    missions = (
        Mission("mX", "BEL", 4, 9, 1, 10, capabilities=frozenset({"X"})),
        Mission("mY", "BEL", 4, 9, 1, 10, capabilities=frozenset({"Y"})),
    )
    facility = Facility("F", "BEL", frozenset({"H"}), 3)
    instance = Instance("bunched", 10, aircraft, missions, (check,), (facility,))
    params = replace(BY_PARTS, pattern_search=pattern_search)
    search = _PartsSearch(
        instance, Policy.POOLED, split(instance, Policy.POOLED), params, None, None
    )
    for part in search.parts:
        ids = sorted(a.id for a in part.instance.aircraft)
        flying = "mY" if ids == ["Y1"] else "mX"
        checks = tuple(PlannedCheck(a, 0, "F") for a in ids)
        flights = tuple(Flight(ids[0], flying, t) for t in range(4, 10))
        part.plan = Solution(Policy.POOLED, checks, flights, "cp-sat", "FEASIBLE")
        part.levels = validate(part.instance, part.plan).figures.levels
    return search, instance


def test_settled_parts_are_searched_again_for_spread_keeping_misses_and_shortfall() -> None:
    search, _ = _bunched()
    x = next(p for p in search.parts if len(p.instance.aircraft) == 2)
    assert x.levels == (0, 0, 0, 2) and x.settled()
    search.spread_settled()
    # X2's check moves out of X1's months: the peak falls, the mission is still flown.
    assert x.levels == (0, 0, 0, 1)
    assert validate(x.instance, x.plan).ok  # type: ignore[arg-type]
    starts = sorted(c.start for c in x.plan.checks)  # type: ignore[union-attr]
    assert starts[1] - starts[0] >= 2


def test_without_check_patterns_settled_parts_keep_their_plans() -> None:
    search, _ = _bunched(pattern_search=False)
    plans = [p.plan for p in search.parts]
    search.spread_settled()
    assert [p.plan for p in search.parts] == plans


def test_open_parts_are_left_to_the_second_pass_by_the_spread_step() -> None:
    search, _ = _bunched()
    x = next(p for p in search.parts if len(p.instance.aircraft) == 2)
    x.levels = (0, 1, 0, 2)  # as if a month were short and nothing proven
    plan = x.plan
    search.spread_settled()
    assert x.plan is plan


def test_the_spread_step_runs_between_the_first_and_the_second_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps: list[str] = []
    for step in ("first_pass", "share_floor_budget", "spread_settled", "second_pass"):
        monkeypatch.setattr(_PartsSearch, step, lambda self, *a, name=step: steps.append(name))
    search, _ = _bunched()
    search.run(None)
    assert steps == ["first_pass", "share_floor_budget", "spread_settled", "second_pass"]
