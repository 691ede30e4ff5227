"""Column generation: exact pricing, valid schedules, and a shortfall bound that never lies."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from bedeco.planning.engine.colgen import Duals, Schedule, _Pricing, shortfall_bound
from bedeco.planning.engine.colgen import schedule_figures as figures_of
from bedeco.planning.engine.cpsat import build_model
from bedeco.planning.engine.instance import Aircraft, Instance, Mission, Policy
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import BOUND_FROM, Progress, SolveParams, _PartsSearch, solve
from bedeco.planning.engine.validation import validate

from .conftest import EXACT, tiny_instance
from .test_solver import small_instances

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def prices(draw: st.DrawFn, instance: Instance, lowest_hour_price: int = -1) -> Duals:
    """Whole-number prices of either sign, so that values compare exactly (hour prices
    from ``lowest_hour_price``)."""
    periods = range(instance.periods)
    hours = st.integers(lowest_hour_price, 2)
    return Duals(
        cover={(m.id, t): draw(st.integers(-5, 30)) for m in instance.missions for t in periods},
        available={(f.id, t): draw(st.integers(-3, 6)) for f in instance.floors for t in periods},
        potential={(f.id, t): draw(hours) for f in instance.floors for t in periods},
        slots={(f.id, t): draw(st.integers(-8, 2)) for f in instance.facilities for t in periods},
        convexity={a.id: 0.0 for a in instance.aircraft},
    )


def _alone(instance: Instance, aircraft: Aircraft) -> Instance:
    return dataclasses.replace(instance, aircraft=(aircraft,))


def _value(instance: Instance, aircraft: Aircraft, schedule: Schedule, duals: Duals) -> float:
    """What a schedule earns at ``duals``, recomputed from its figures."""
    hours, available, load = figures_of(instance, aircraft, schedule)
    floors = [f.id for f in instance.floors if f.covers(aircraft)]
    value = sum(duals.cover[f.mission, f.period] for f in schedule.flights)
    for t in range(instance.periods):
        value += sum(duals.available[f, t] * available[t] for f in floors)
        value += sum(duals.potential[f, t] * hours[t] for f in floors)
    value += sum(duals.slots[key] * used for key, used in load.items())
    return value


def _best_by_cp_sat(
    instance: Instance,
    policy: Policy,
    duals: Duals,
    checks: frozenset[tuple[int, str]] | None = None,
) -> float | None:
    """The same pricing problem stated on the CP-SAT model of one aircraft, solved exactly
    (its checks started only at ``checks``, (month, facility), when given)."""
    alone = dataclasses.replace(instance, floors=())
    built = build_model(alone, policy)
    v = built.vars
    for (_, start, facility_id), var in v.start.items():
        if checks is not None and (start, facility_id) not in checks:
            built.model.add(var == 0)
    (aircraft,) = instance.aircraft
    floors = [f.id for f in instance.floors if f.covers(aircraft)]
    duration = instance.check_type_of(aircraft).duration
    terms: list[cp_model.LinearExprT] = []
    for (_, mission_id, t), var in v.fly.items():
        terms.append(duals.cover[mission_id, t] * var)
    for t in range(instance.periods):
        busy = v.in_check[aircraft.id, t]
        for floor_id in floors:
            terms.append(duals.available[floor_id, t] * (1 - busy))
            terms.append(duals.potential[floor_id, t] * v.hours[aircraft.id, t])
    for (_, start, facility_id), var in v.start.items():
        for t in range(start, min(start + duration, instance.periods)):
            terms.append(duals.slots[facility_id, t] * var)
    built.model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    return solver.objective_value


@SETTINGS
@given(st.data(), small_instances(), st.sampled_from(list(Policy)))
def test_pricing_finds_the_best_valid_schedule_of_each_aircraft(
    data: st.DataObject, instance: Instance, policy: Policy
) -> None:
    duals = data.draw(prices(instance))
    for aircraft in instance.aircraft:
        alone = _alone(instance, aircraft)
        priced = _Pricing(alone, policy, aircraft).price(duals)
        best = _best_by_cp_sat(alone, policy, duals)
        if priced is None:
            assert best is None, "the model has a schedule the pricing missed"
            continue
        _assert_valid_and_best(alone, policy, aircraft, duals, priced, best)


def _assert_valid_and_best(
    alone: Instance,
    policy: Policy,
    aircraft: Aircraft,
    duals: Duals,
    priced: tuple[float, Schedule],
    best: float | None,
) -> None:
    """The priced schedule is valid, earns what it says, and as much as CP-SAT's best."""
    value, schedule = priced
    plan = Solution(policy, schedule.checks, schedule.flights, "colgen", "FEASIBLE")
    assert validate(dataclasses.replace(alone, floors=()), plan).ok
    assert value == _value(alone, aircraft, schedule, duals)
    assert best is not None and value == round(best)


@SETTINGS
@given(st.data(), small_instances(), st.sampled_from(list(Policy)))
def test_pricing_held_to_given_checks_finds_the_best_schedule_starting_checks_there_only(
    data: st.DataObject, instance: Instance, policy: Policy
) -> None:
    duals = data.draw(prices(instance))
    for aircraft in instance.aircraft:
        alone = _alone(instance, aircraft)
        free = _Pricing(alone, policy, aircraft).price(data.draw(prices(instance)))
        if free is None:
            continue
        # The checks of some valid schedule, one of them perhaps moved by a month.
        checks = {(c.start, c.facility) for c in free[1].checks}
        if checks and data.draw(st.booleans()):
            start, facility_id = sorted(checks)[0]
            checks.add((start + data.draw(st.sampled_from([-1, 1])), facility_id))
        held = frozenset(checks)
        priced = _Pricing(alone, policy, aircraft, held).price(duals)
        best = _best_by_cp_sat(alone, policy, duals, held)
        if priced is None:
            assert best is None, "the model has a schedule the held pricing missed"
            continue
        assert {(c.start, c.facility) for c in priced[1].checks} <= held
        _assert_valid_and_best(alone, policy, aircraft, duals, priced, best)


@SETTINGS
@given(small_instances(), st.sampled_from(list(Policy)))
def test_the_bound_never_exceeds_the_proven_optimum(instance: Instance, policy: Policy) -> None:
    optimum = solve(instance, policy, EXACT)
    if optimum.status != "OPTIMAL":
        return
    misses, shortfall, _, _ = validate(instance, optimum).figures.levels
    proven = shortfall_bound(instance, policy, misses, 10.0, plans=[optimum])
    assert proven is not None and proven.converged
    assert proven.shortfall <= shortfall


def _short_of_aircraft() -> Instance:
    """Each nation's mission wants three aircraft a month where it has two."""
    instance = tiny_instance()
    return dataclasses.replace(
        instance,
        missions=tuple(dataclasses.replace(m, required=3, hours=5) for m in instance.missions),
    )


def test_a_mission_wanting_more_aircraft_than_there_are_is_bounded_by_the_missing_ones() -> None:
    instance = _short_of_aircraft()
    optimum = solve(instance, Policy.NATIONAL, EXACT)
    assert optimum.status == "OPTIMAL"
    misses, shortfall, _, _ = validate(instance, optimum).figures.levels
    proven = shortfall_bound(instance, Policy.NATIONAL, misses, 20.0, plans=[optimum])
    assert proven is not None and proven.converged
    # Two missions, twelve months, one aircraft missing each: 24 at least.
    assert 24 <= proven.shortfall <= shortfall


def test_the_search_by_parts_proves_an_open_parts_shortfall_by_column_generation() -> None:
    instance = _short_of_aircraft()
    params = SolveParams(time_limit=30.0, workers=1, decompose=True, column_bound=True)
    heard: list[Progress] = []
    search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), params, heard.append, None)
    search.first_pass(None)
    for part in search.parts:
        part.shortfall_bound = 0  # as if CP-SAT had proven nothing
    before = len(heard)
    search.prove_bounds()
    assert len(search.column_bounds) == len(search.parts) == 2
    for part in search.parts:
        assert 12 <= part.shortfall_bound <= part.levels[1]
    # The bound's rise is reported as progress, the plan unchanged.
    raised = heard[before:]
    assert raised and raised[-1].bound == search.bound()
    assert {p.objective for p in raised} == {heard[before - 1].objective}


def test_column_generation_runs_by_default_only_floors_first_on_long_budgets() -> None:
    instance = _short_of_aircraft()
    for limit, wanted in ((BOUND_FROM - 1, False), (BOUND_FROM, True)):
        params = SolveParams(time_limit=limit, decompose=True)
        search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), params, None, None)
        assert search.bounds_wanted() is wanted
    with_budget = SolveParams(time_limit=BOUND_FROM, decompose=True, floor_miss_budget=3)
    search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), with_budget, None, None)
    assert not search.bounds_wanted()
    params = SolveParams(time_limit=10.0, decompose=True, column_bound=False)
    search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), params, None, None)
    search.first_pass(None)
    for part in search.parts:
        part.shortfall_bound = 0
    search.prove_bounds()
    assert search.column_bounds == []


def _parts(instance: Instance) -> list[Instance]:
    from bedeco.planning.engine.decompose import split

    return split(instance, Policy.NATIONAL)


def test_a_plan_with_more_misses_than_allowed_leaves_the_master_without_a_start() -> None:
    instance = tiny_instance(
        missions=(Mission("BEL-m", "BEL", 0, 11, required=2, hours=30, min_consecutive=2),)
    )
    plan = solve(instance, Policy.NATIONAL, EXACT)
    misses = validate(instance, plan).figures.levels[0]
    if misses:
        assert shortfall_bound(instance, Policy.NATIONAL, misses - 1, 5.0, plans=[plan]) is None
    assert shortfall_bound(instance, Policy.NATIONAL, misses, 5.0, plans=[]) is None


def test_one_model_gets_its_open_shortfall_bounded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from bedeco.planning.engine import solver

    real = solver.solve_model

    def forgetful(*args: Any, **kwargs: Any) -> Solution:
        # As if CP-SAT had proven nothing about shortfall.
        found = real(*args, **kwargs)
        return dataclasses.replace(found, bound=0, shortfall_bound=0, status="FEASIBLE")

    monkeypatch.setattr(solver, "solve_model", forgetful)
    instance = _short_of_aircraft()
    params = SolveParams(time_limit=20.0, workers=1, decompose=False, column_bound=True)
    heard: list[Progress] = []
    found = solve(instance, Policy.NATIONAL, params, on_progress=heard.append)
    assert heard[-1].bound == found.bound and heard[-1].objective == found.objective
    shortfall = validate(instance, found).figures.shortfall
    assert found.shortfall_bound is not None and 24 <= found.shortfall_bound <= shortfall
    assert "column generation" in found.message
    assert found.bound is not None and 0 < found.bound <= (found.objective or 0)
    unbounded = solve(instance, Policy.NATIONAL, dataclasses.replace(params, column_bound=False))
    assert unbounded.shortfall_bound == 0
