"""The flights of given checks by columns and a dive: valid, as good as HiGHS proves, bounded."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from bedeco.planning.engine import dive as dive_module
from bedeco.planning.engine import solver
from bedeco.planning.engine.colgen import Schedule, schedules_of
from bedeco.planning.engine.dive import METHOD, flights_by_dive
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.patterns import missed_rows, offered_patterns, pattern_plan
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import _PartsSearch
from bedeco.planning.engine.validation import validate

from .test_patterns import _flightless, _hours_bind
from .test_solver import _crowded, small_instances

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flightless_plan(instance: Instance) -> Solution:
    """The heuristic's checks and no flight at all."""
    return dataclasses.replace(heuristic_plan(instance, Policy.NATIONAL), flights=())


def _best_for_its_checks(instance: Instance, plan: Solution) -> Solution:
    """The best flights of ``plan``'s checks and misses, proven by HiGHS on the model with
    only them."""
    patterns = offered_patterns(schedules_of(instance, plan))
    missed = missed_rows(validate(instance, plan))
    best = pattern_plan(instance, Policy.NATIONAL, patterns, 20.0, relaxed=missed)
    assert best is not None and best.message.startswith("optimal among")
    return best


def _starts(plan: Solution) -> set[tuple[str, int, str]]:
    return {(c.aircraft, c.start, c.facility) for c in plan.checks}


def test_the_dive_finds_the_best_flights_the_plans_checks_allow() -> None:
    instance = _hours_bind()
    plan = _flightless_plan(instance)
    before = validate(instance, plan).figures.levels
    result = flights_by_dive(instance, Policy.NATIONAL, plan, 20.0)
    assert result.plan is not None and result.plan.method == METHOD
    report = validate(instance, result.plan)
    assert report.ok, report.violations
    assert _starts(result.plan) <= _starts(plan)
    best = validate(instance, _best_for_its_checks(instance, plan)).figures.levels
    assert report.figures.levels[:2] == best[:2] < before[:2]
    assert result.bound is not None and result.bound <= best[1]


def test_checks_proven_exhausted_end_the_dive_before_highs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _crowded(2)
    best = _best_for_its_checks(instance, _flightless_plan(instance))
    shortfall = validate(instance, best).figures.levels[1]
    searched: list[object] = []
    monkeypatch.setattr(dive_module, "_rest_by_highs", lambda *a, **k: searched.append(a))
    result = flights_by_dive(instance, Policy.NATIONAL, best, 20.0)
    # The relaxation over each aircraft's schedules proves these flights best.
    assert result == dive_module.DiveResult(None, shortfall)
    assert searched == []


def test_the_dive_holds_at_most_half_the_aircraft_to_schedules_of_their_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _hours_bind()
    plan = _flightless_plan(instance)
    held: list[Mapping[str, Schedule]] = []
    real = dive_module._rest_by_highs

    def kept(*args: Any, **kwargs: Any) -> Solution | None:
        held.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(dive_module, "_rest_by_highs", kept)
    result = flights_by_dive(instance, Policy.NATIONAL, plan, 20.0)
    assert result.plan is not None and len(held) == 1
    assert 0 < len(held[0]) <= dive_module.DIVE_SHARE * len(instance.aircraft)
    flights = set(result.plan.flights)
    for aircraft_id, schedule in held[0].items():
        assert {(c.start, c.facility) for c in schedule.checks} <= {
            (c.start, c.facility) for c in plan.checks if c.aircraft == aircraft_id
        }
        # Held: the plan flies the schedule's flights, and only those, for that aircraft.
        assert {f for f in flights if f.aircraft == aircraft_id} == set(schedule.flights)


def test_a_set_cancel_event_stops_the_dive_without_a_plan() -> None:
    instance = _hours_bind()
    cancel = threading.Event()
    cancel.set()
    result = flights_by_dive(
        instance, Policy.NATIONAL, _flightless_plan(instance), 20.0, cancel=cancel
    )
    assert result == dive_module.DiveResult(None, None)


@SETTINGS
@given(small_instances())
def test_the_bound_never_exceeds_the_best_flights_of_the_checks(instance: Instance) -> None:
    plan = _flightless_plan(instance)
    if not validate(instance, plan).ok:
        return
    best = validate(instance, _best_for_its_checks(instance, plan)).figures.levels
    result = flights_by_dive(instance, Policy.NATIONAL, plan, 20.0)
    if result.bound is not None:
        assert result.bound <= best[1]
    if result.plan is not None:
        report = validate(instance, result.plan)
        assert report.ok, report.violations
        assert _starts(result.plan) <= _starts(plan)
        assert report.figures.levels[1] >= best[1]


def _settled(instance: Instance, plan: Solution) -> dive_module._Columns:
    columns = dive_module._Columns(instance, Policy.NATIONAL, plan)
    assert columns.settle(time.monotonic() + 20.0, None) is not None
    return columns


def _agreed(columns: dive_module._Columns, plan: Solution) -> dict[tuple[str, str, int], bool]:
    """The flights the relaxation and the plan agree on: flown by both or by neither."""
    share: dict[tuple[str, str, int], float] = defaultdict(float)
    for schedule, weight in zip(columns.master.schedules, columns.master.weights, strict=False):
        for flight in schedule.flights:
            share[flight.aircraft, flight.mission, flight.period] += weight
    planned = {(f.aircraft, f.mission, f.period) for f in plan.flights}
    keys = set(share) | planned
    return {k: k in planned for k in keys if abs(share[k] - (k in planned)) <= 1e-6}


@SETTINGS
@given(small_instances())
def test_the_agreed_search_keeps_what_the_relaxation_and_the_plan_agree_on(
    instance: Instance,
) -> None:
    plan = heuristic_plan(instance, Policy.NATIONAL)
    report = validate(instance, plan)
    if not report.ok:
        return
    columns = _settled(instance, plan)
    found = dive_module._agreed_by_highs(instance, Policy.NATIONAL, plan, columns, 20.0, [0], None)
    # The plan lies where HiGHS searches, and HiGHS proves these small searches: never worse.
    assert found is not None and found.method == METHOD
    checked = validate(instance, found)
    assert checked.ok, checked.violations
    assert _starts(found) <= _starts(plan)
    assert checked.figures.levels[:2] <= report.figures.levels[:2]
    flown = {(f.aircraft, f.mission, f.period) for f in found.flights}
    for key, planned in _agreed(columns, plan).items():
        assert (key in flown) == planned, key


def test_agreed_flights_that_reach_the_bound_end_the_search_before_the_dive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _crowded(2)
    dived: list[object] = []
    monkeypatch.setattr(dive_module, "_dive", lambda *a, **k: dived.append(a))
    result = flights_by_dive(instance, Policy.NATIONAL, _flightless_plan(instance), 20.0)
    assert result.plan is not None and result.bound is not None
    assert validate(instance, result.plan).figures.levels[1] == result.bound
    assert dived == []


def test_the_dive_follows_when_the_agreed_flights_fall_short_of_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _hours_bind()
    plan = _flightless_plan(instance)
    best = validate(instance, _best_for_its_checks(instance, plan)).figures.levels
    dived: list[object] = []
    monkeypatch.setattr(dive_module, "_dive", lambda *a, **k: dived.append(a))
    result = flights_by_dive(instance, Policy.NATIONAL, plan, 20.0)
    # The relaxation (40) lies below the best these checks allow (41): the dive is tried,
    # and with nothing from it the agreed search's plan is the result.
    assert result.bound is not None and result.bound < best[1]
    assert len(dived) == 1
    assert result.plan is not None
    assert validate(instance, result.plan).figures.levels[:2] == best[:2]


def test_the_polish_dives_on_the_flights_before_cp_sat_where_patterns_are_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _hours_bind()
    search, part = _flightless(instance)
    calls: list[str] = []
    real = solver.flights_by_dive

    def dive(*args: Any, **kwargs: Any) -> dive_module.DiveResult:
        calls.append("dive")
        return real(*args, **kwargs)

    def cp_sat(*args: Any, **kwargs: Any) -> None:
        calls.append("cp-sat")

    monkeypatch.setattr(solver, "flights_by_dive", dive)
    monkeypatch.setattr(_PartsSearch, "search", cp_sat)
    before = part.levels
    polished = search.polish()
    assert calls == ["dive", "cp-sat"]
    assert polished is not None and validate(instance, polished).ok
    assert part.plan is not None and part.plan.method == METHOD
    assert part.levels[1] < before[1]
    # Short budgets, where no check patterns are searched: CP-SAT alone, as before.
    calls.clear()
    search.params = dataclasses.replace(search.params, pattern_search=False)
    assert search.polish() is not None
    assert calls == ["cp-sat"]


def test_the_agreed_search_runs_one_seed_per_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = _crowded(2)
    seeds: list[int] = []
    real = dive_module._searched

    def searched(*args: Any) -> Solution | None:
        seeds.append(args[3])
        return real(*args)

    monkeypatch.setattr(dive_module, "_searched", searched)
    plan = _flightless_plan(instance)
    result = flights_by_dive(instance, Policy.NATIONAL, plan, 20.0, seed=3, workers=2)
    assert sorted(seeds) == [6, 7]
    assert result.plan is not None and validate(instance, result.plan).ok
