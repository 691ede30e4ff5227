"""Plans from check patterns: the model keeps every valid plan and finds the best one."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedeco.planning.engine import fmp, solver
from bedeco.planning.engine import patterns as patterns_module
from bedeco.planning.engine.colgen import (
    FloorRow,
    relaxation_support,
    schedules_of,
    shortfall_bound,
)
from bedeco.planning.engine.decompose import merge
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.highs import silent_highs
from bedeco.planning.engine.instance import Floor, Instance, Policy
from bedeco.planning.engine.objective import objective_for
from bedeco.planning.engine.offload import in_process
from bedeco.planning.engine.patterns import METHOD as PATTERNS
from bedeco.planning.engine.patterns import (
    Pattern,
    PatternModel,
    beside,
    missed_rows,
    offered_patterns,
    pattern_plan,
)
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import (
    BOUND_FROM,
    BOUND_SHARE,
    PATTERN_PART_SHARE,
    PATTERN_SHARE,
    REPAIR_SHARE,
    Progress,
    SolveParams,
    _Overlap,
    _Part,
    _PartsSearch,
    _patterns_wanted,
    _PatternTry,
)
from bedeco.planning.engine.validation import validate

from .conftest import EXACT, FMP_DIR, tiny_instance
from .test_colgen import _parts, _short_of_aircraft
from .test_solver import _crowded, small_instances

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _patterns(instance: Instance, *plans: Solution) -> dict[str, list[Pattern]]:
    return offered_patterns(s for plan in plans for s in schedules_of(instance, plan))


def _broken_rows(model: PatternModel, values: list[float]) -> list[int]:
    broken = []
    for index, (terms, low, high) in enumerate(model.rows.rows):
        activity = sum(values[column] * coefficient for column, coefficient in terms)
        if activity < low - 1e-9 or activity > high + 1e-9:
            broken.append(index)
    return broken


@SETTINGS
@given(small_instances(), st.sampled_from(list(Policy)))
def test_every_valid_plan_is_a_solution_of_the_model(instance: Instance, policy: Policy) -> None:
    """No rule of the model is tighter than the rules themselves."""
    plan = heuristic_plan(instance, policy)
    report = validate(instance, plan)
    if not report.ok:
        return
    model = PatternModel(instance, policy, _patterns(instance, plan), missed_rows(report))
    values = model.values_of(plan)
    assert values is not None
    assert _broken_rows(model, list(values)) == []
    # The floors' terms are the plan's own hours and availability, month by month.
    for floor in instance.floors:
        members = [a for a in instance.aircraft if floor.covers(a)]
        for t in range(instance.periods):
            hours = sum(values[c] * k for c, k in model.potential[floor.id, t])
            assert hours == sum(report.figures.hours[a.id, t] for a in members)
            up = sum(values[c] * k for c, k in model.available[floor.id, t])
            assert up == sum((a.id, t) not in report.figures.in_check for a in members)
    back = model.plan_of(list(values))
    assert (back.checks, back.flights) == (plan.checks, plan.flights)
    for (_, _), column in model.choice.items():
        assert model.rows.lower[column] == 0 and model.rows.upper[column] == 1


@SETTINGS
@given(small_instances(), st.sampled_from(list(Policy)))
def test_the_model_finds_the_optimum_among_the_optimums_patterns(
    instance: Instance, policy: Policy
) -> None:
    """No rule of the model is looser than the rules: its best plan is valid and optimal."""
    optimum = solve_exactly(instance, policy)
    if optimum is None:
        return
    report = validate(instance, optimum)
    patterns = _patterns(instance, optimum, heuristic_plan(instance, policy))
    found = pattern_plan(instance, policy, patterns, 10.0, relaxed=missed_rows(report))
    assert found is not None and found.message.startswith("optimal among")
    checked = validate(instance, found)
    assert checked.ok, checked.violations
    assert missed_rows(checked) <= missed_rows(report)
    assert checked.figures.shortfall == report.figures.shortfall


def solve_exactly(instance: Instance, policy: Policy) -> Solution | None:
    from bedeco.planning.engine.solver import solve

    optimum = solve(instance, policy, EXACT)
    return optimum if optimum.status == "OPTIMAL" else None


def test_a_start_plan_is_the_first_incumbent_and_better_plans_are_heard() -> None:
    instance = _short_of_aircraft()
    start = heuristic_plan(instance, Policy.NATIONAL)
    optimum = solve_exactly(instance, Policy.NATIONAL)
    assert optimum is not None
    heard: list[Solution] = []
    found = pattern_plan(
        instance,
        Policy.NATIONAL,
        _patterns(instance, start, optimum),
        10.0,
        start=start,
        on_plan=heard.append,
    )
    assert found is not None
    shortfall = validate(instance, found).figures.shortfall
    assert shortfall == validate(instance, optimum).figures.shortfall
    assert shortfall <= validate(instance, start).figures.shortfall
    assert heard and all(validate(instance, plan).ok for plan in heard)


def _floored() -> Instance:
    """Belgium must keep both helicopters out of check: every check misses the floor."""
    return tiny_instance(floors=(Floor("BEL-keep", 2, 0, nation="BEL"),))


def _must_miss() -> Instance:
    """Every check of a Belgian helicopter misses the floor, and missions want them all."""
    return dataclasses.replace(_floored(), missions=_short_of_aircraft().missions)


def test_optional_rows_admit_a_plans_misses_up_to_the_allowance() -> None:
    instance = _must_miss()
    plan = heuristic_plan(instance, Policy.NATIONAL)
    missed = missed_rows(validate(instance, plan))
    assert len(missed) >= 2
    patterns = _patterns(instance, plan)
    model = PatternModel(
        instance, Policy.NATIONAL, patterns, optional=missed, allowance=len(missed)
    )
    values = model.values_of(plan)
    assert values is not None and _broken_rows(model, list(values)) == []
    assert set(model.misses) == missed
    assert all(values[miss] == 1 for miss, _, _ in model.misses.values())
    # Each miss costs something, all of them less than one aircraft-month short.
    costs = [model.rows.cost[miss] for miss, _, _ in model.misses.values()]
    short = {model.rows.cost[column] for column in model.shortfall.values()}
    assert min(costs) > 0 and short == {model.short_cost} and sum(costs) < model.short_cost
    # One miss fewer allowed: the plan breaks the allowance and nothing else.
    tight = PatternModel(
        instance, Policy.NATIONAL, patterns, optional=missed, allowance=len(missed) - 1
    )
    values = tight.values_of(plan)
    assert values is not None
    assert _broken_rows(tight, list(values)) == [tight.allowance_row]


def _hours_bind() -> Instance:
    """Flying burns the hours Belgium must keep: each miss of its floor buys coverage."""
    return dataclasses.replace(
        _short_of_aircraft(), floors=(Floor("BEL-hours", 0, 150, nation="BEL"),)
    )


def test_highs_takes_optional_misses_after_shortfall_and_within_the_allowance() -> None:
    instance = _hours_bind()
    start = heuristic_plan(instance, Policy.NATIONAL)
    optimum = solve_exactly(instance, Policy.NATIONAL)
    assert optimum is not None
    patterns = _patterns(instance, start, optimum)
    rows = frozenset(("h", "BEL-hours", t) for t in range(instance.periods))
    dropped = pattern_plan(instance, Policy.NATIONAL, patterns, 10.0, relaxed=rows)
    assert dropped is not None
    free = validate(instance, dropped)
    found = []
    for allowance in [*range(len(missed_rows(free)) + 1), len(rows)]:
        plan = pattern_plan(
            instance, Policy.NATIONAL, patterns, 10.0, optional=rows, allowance=allowance
        )
        assert plan is not None and plan.message.startswith("optimal among")
        report = validate(instance, plan)
        assert report.ok, report.violations
        assert len(missed_rows(report)) <= allowance
        found.append((report.figures.shortfall, len(missed_rows(report))))
    # Shortfall first: each miss allowed buys coverage until the floor is free...
    shortfalls = [short for short, _ in found]
    assert shortfalls == sorted(shortfalls, reverse=True) and shortfalls[0] > shortfalls[-1]
    assert found[-1][0] == free.figures.shortfall
    # ...and no miss is taken that buys none.
    for (short, misses), (before, fewer) in zip(found[1:], found, strict=False):
        assert short < before or misses == fewer


def test_the_relaxation_prices_floors_and_matches_the_bound_floors_first() -> None:
    instance = _short_of_aircraft()
    plan = solve_exactly(instance, Policy.NATIONAL)
    assert plan is not None and not validate(instance, plan).figures.floor_misses
    priced = relaxation_support(instance, Policy.NATIONAL, 20.0, plans=[plan])
    proven = shortfall_bound(instance, Policy.NATIONAL, 0, 20.0, plans=[plan])
    assert priced is not None and proven is not None and priced.converged and proven.converged
    # Misses priced above all shortfall leave the floors-first relaxation as it was.
    assert abs(priced.value - proven.relaxation) < 1e-6
    assert priced.support and proven.support
    floored = _floored()
    missing = solve_exactly(floored, Policy.NATIONAL)
    assert missing is not None and validate(floored, missing).figures.floor_misses
    priced = relaxation_support(floored, Policy.NATIONAL, 20.0, plans=[missing])
    assert priced is not None
    rows = set(priced.floor_prices)
    dropped = frozenset(list(rows)[:3])
    without = relaxation_support(floored, Policy.NATIONAL, 20.0, plans=[missing], relaxed=dropped)
    assert without is not None and not dropped & set(without.floor_prices)


def test_a_relaxation_cut_short_keeps_the_value_and_prices_of_its_last_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bedeco.planning.engine import colgen

    instance = _must_miss()
    plan = heuristic_plan(instance, Policy.NATIONAL)
    whole = relaxation_support(instance, Policy.NATIONAL, 20.0, plans=[plan])
    assert whole is not None and whole.converged and whole.value > 0
    # A clock that moves a second per reading: one round of pricing, its columns added,
    # then time is up before the next LP (HiGHS forgets value and prices on adding).
    clock = iter(range(10**6))
    monkeypatch.setattr(colgen, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))
    cut = relaxation_support(instance, Policy.NATIONAL, 2 + len(instance.aircraft), plans=[plan])
    assert cut is not None and not cut.converged
    assert cut.value >= whole.value - 1e-6
    assert any(price > 1e-9 for price in cut.floor_prices.values())


def _searched_from_heuristic(
    instance: Instance,
    params: SolveParams,
    on_progress: Callable[[Progress], None] | None = None,
) -> _PartsSearch:
    """A search by parts as if CP-SAT had found only the heuristic's plans, proving nothing."""
    search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), params, on_progress, None)
    search.first_pass(None)
    search.share_floor_budget()
    for part in search.parts:
        part.plan = heuristic_plan(part.instance, Policy.NATIONAL)
        part.levels = validate(part.instance, part.plan).figures.levels
        part.shortfall_bound = 0
    return search


def test_open_parts_are_searched_again_among_check_patterns() -> None:
    instance = _short_of_aircraft()
    params = SolveParams(time_limit=30.0, workers=1, decompose=True, pattern_search=True)
    heard: list[Progress] = []
    search = _searched_from_heuristic(instance, params, heard.append)
    before = [part.levels for part in search.parts]
    search.improve_by_patterns()
    assert search.pattern_plans >= 1
    for part, was in zip(search.parts, before, strict=True):
        assert part.plan is not None and validate(part.instance, part.plan).ok
        assert part.levels[:2] <= was[:2]
    assert any(part.levels[1] < was[1] for part, was in zip(search.parts, before, strict=True))
    assert heard
    merged = search.finish()
    assert "check patterns" in merged.message and validate(instance, merged).ok


def test_with_a_floor_miss_budget_the_misses_go_where_the_plan_or_the_prices_say() -> None:
    instance = _hours_bind()
    params = SolveParams(
        time_limit=30.0, workers=2, decompose=True, pattern_search=True, floor_miss_budget=2
    )
    search = _searched_from_heuristic(instance, params)
    before = {id(part): part.levels for part in search.parts}
    search.improve_by_patterns()
    assert search.pattern_plans >= 1
    for part in search.parts:
        assert part.plan is not None and validate(part.instance, part.plan).ok
        objective = objective_for(part.instance, Policy.NATIONAL, part.budget)
        assert objective.of(part.levels) <= objective.of(before[id(part)])
        if part.plan.method == PATTERNS:
            assert part.levels[0] <= part.budget


def test_within_a_budget_two_tries_run_side_by_side_one_per_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: dict[str, set[str]] = {}

    def recorded(name: str) -> Callable[[_PatternTry], Solution | None]:
        real: Callable[[_PatternTry], Solution | None] = getattr(_PatternTry, name)

        def attempt(self: _PatternTry) -> Solution | None:
            ran.setdefault(name, set()).add(threading.current_thread().name)
            return real(self)

        return attempt

    for name in ("where_missed", "where_priced", "beyond_budget"):
        monkeypatch.setattr(_PatternTry, name, recorded(name))
    instance = _must_miss()
    budget = max(len(missed_rows(validate(instance, heuristic_plan(instance, Policy.NATIONAL)))), 1)
    for workers, expected in ((2, {"where_missed", "where_priced"}), (1, {"where_missed"})):
        ran.clear()
        params = SolveParams(
            time_limit=20.0, workers=workers, pattern_search=True, floor_miss_budget=budget
        )
        search = _searched_from_heuristic(instance, params)
        part = max(search.parts, key=lambda p: p.levels[:2])
        part.budget = budget
        search.search_patterns(part, 10.0)
        assert set(ran) == expected
        threads = set().union(*ran.values())
        # Side by side: each try in a thread of its own; alone: in the caller's.
        assert len(threads) == len(expected)
        assert (threading.current_thread().name in threads) == (workers == 1)
    # Floors first a plan with misses cannot do without them: one try, as before.
    ran.clear()
    params = SolveParams(time_limit=20.0, workers=2, pattern_search=True)
    search = _searched_from_heuristic(instance, params)
    part = next(p for p in search.parts if p.levels[0])
    search.search_patterns(part, 10.0)
    assert set(ran) == {"beyond_budget"}


def test_the_best_plan_of_the_tries_is_kept_whichever_ends_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _hours_bind()
    params = SolveParams(time_limit=20.0, workers=2, pattern_search=True, floor_miss_budget=2)
    for better_first in (True, False):
        search = _searched_from_heuristic(instance, params)
        part = max(search.parts, key=lambda p: p.levels[:2])
        part.budget = 2
        worse = part.plan
        best = solve_exactly(part.instance, Policy.NATIONAL)
        assert worse is not None and best is not None
        objective = objective_for(part.instance, Policy.NATIONAL, 2)
        levels = validate(part.instance, best).figures.levels
        assert objective.of(levels) < objective.of(part.levels)
        plans = (best, worse) if better_first else (worse, best)
        monkeypatch.setattr(_PatternTry, "where_missed", lambda self, p=plans[0]: p)
        monkeypatch.setattr(_PatternTry, "where_priced", lambda self, p=plans[1]: p)
        search.search_patterns(part, 10.0)
        assert part.plan is not None and part.levels == levels
        assert (part.plan.checks, part.plan.flights) == (best.checks, best.flights)
        assert search.pattern_plans == 1


def _missing_part() -> tuple[Instance, _PartsSearch, _Part, frozenset[FloorRow]]:
    """A scenario that must miss floors as one part, planned by the heuristic, the part's
    budget its plan's misses (a search by parts with two workers and check patterns)."""
    instance = _must_miss()
    plan = heuristic_plan(instance, Policy.NATIONAL)
    missed = missed_rows(validate(instance, plan))
    params = SolveParams(time_limit=20.0, workers=2, pattern_search=True)
    search = _PartsSearch(instance, Policy.NATIONAL, [instance], params, None, None)
    part = search.parts[0]
    part.plan, part.budget = plan, len(missed)
    part.levels = validate(instance, plan).figures.levels
    return instance, search, part, missed


def test_beside_gives_the_rows_a_month_from_each_row_within_the_horizon() -> None:
    rows = frozenset({("h", "c2", 0), ("h", "c2", 5), ("h", "c2", 6), ("a", "c1", 7)})
    assert beside(rows, 8) == {
        ("h", "c2", 1),
        ("h", "c2", 4),
        ("h", "c2", 7),
        ("a", "c1", 6),
    }
    assert beside(frozenset(), 8) == frozenset()


def test_the_try_where_the_plan_misses_may_move_each_miss_by_a_month(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On s85 a plan missing months 16, 17 and 63 stayed at 51 held to those rows;
    # with the rows beside them optional HiGHS found 45 missing 62 and 63.
    given: dict[str, object] = {}

    def recorded(*args: object, **kwargs: object) -> Solution | None:
        given.update(kwargs)
        return pattern_plan(*args, **kwargs)

    monkeypatch.setattr(solver, "pattern_plan", recorded)
    instance, search, part, missed = _missing_part()
    attempt = _PatternTry(search, part, _Overlap(instance), missed, time.monotonic() + 10.0)
    attempt.where_missed()
    near = beside(missed, instance.periods)
    assert near, "the plan's misses have months beside them"
    assert given["optional"] == missed | near
    assert given["allowance"] == len(missed)


def test_the_try_where_the_plan_misses_misses_among_its_rows_and_beside_them() -> None:
    instance, search, part, missed = _missing_part()
    assert missed
    ends = time.monotonic() + 10.0
    found = _PatternTry(search, part, _Overlap(instance), missed, ends).where_missed()
    assert found is not None and found.method == PATTERNS
    report = validate(instance, found)
    assert report.ok, report.violations
    # The rows the plan misses were dropped from the relaxation and are optional in the
    # model with the rows beside them: HiGHS misses among those only, as many at most.
    assert missed_rows(report) <= missed | beside(missed, instance.periods)
    assert len(missed_rows(report)) <= len(missed)
    assert report.figures.shortfall <= part.levels[1]


def test_each_try_prices_its_relaxation_in_a_process_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pricing is Python: two relaxations in threads would wait for each other's GIL.
    ran: list[object] = []

    def recorded(function: Callable[..., object], *args: object, **kwargs: object) -> object:
        ran.append(function)
        return in_process(function, *args, **kwargs)

    monkeypatch.setattr(solver, "in_process", recorded)
    instance, search, part, missed = _missing_part()
    plan = part.plan
    assert plan is not None
    attempt = _PatternTry(search, part, _Overlap(instance), missed, time.monotonic() + 10.0)
    relaxed = attempt.relaxation(missed)
    assert ran == [relaxation_support]
    here = relaxation_support(instance, Policy.NATIONAL, 10.0, plans=[plan], relaxed=missed)
    assert relaxed is not None and here is not None
    assert relaxed.value == pytest.approx(here.value)


def test_pattern_time_goes_by_what_is_open_least_open_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = _hours_bind()
    params = SolveParams(time_limit=300.0, workers=2, decompose=True, floor_miss_budget=2)
    search = _searched_from_heuristic(instance, params)
    assert len(search.parts) >= 2
    # One part far from settled, one a little: (misses, shortfall) as after a second pass.
    hard, easy = search.parts[0], search.parts[1]
    hard.levels, easy.levels = (2, 48, 0, 0), (0, 1, 0, 0)
    for part in search.parts[2:]:
        part.floor_bound, part.shortfall_bound, part.levels = 0, 0, (0, 0, 0, 0)
    given: list[tuple[int, float]] = []
    monkeypatch.setattr(
        _PartsSearch, "search_patterns", lambda self, part, limit: given.append((id(part), limit))
    )
    search.improve_by_patterns()
    time_left = search.left() - REPAIR_SHARE * params.time_limit
    assert [part for part, _ in given] == [id(easy), id(hard)]
    # The easy part's weight (1 + 1) is below the least share: it gets the least share.
    assert abs(given[0][1] - PATTERN_PART_SHARE * time_left) < 1.0
    # The hard part gets what is left (the recorded search took no time).
    assert abs(given[1][1] - time_left) < 1.0


def _overlapping() -> tuple[Instance, _PartsSearch]:
    """Both parts' aircraft want the one slot in months 0-3 and each plan found alone
    takes it; B1 may wait for its check until A1's is done (its mission starts in
    month 7), A1 may not without missing months of its mission."""
    crowded = _crowded(1)
    later = dataclasses.replace(crowded.aircraft[1], months_left=6)
    mission = dataclasses.replace(crowded.missions[1], start=7)
    instance = dataclasses.replace(
        crowded, aircraft=(crowded.aircraft[0], later), missions=(crowded.missions[0], mission)
    )
    params = SolveParams(time_limit=20.0, workers=2, decompose=True, pattern_search=True)
    search = _PartsSearch(instance, Policy.POOLED, _parts(instance), params, None, None)
    search.first_pass(None)
    assert not validate(instance, merge(Policy.POOLED, [p.plan for p in search.parts])).ok
    return instance, search


def test_the_others_are_fitted_around_a_part_before_highs_searches_it() -> None:
    instance, search = _overlapping()
    part = next(p for p in search.parts if p.instance.aircraft[0].id == "A1")
    other = next(p for p in search.parts if p is not part)
    was, moved = other.levels, other.plan
    search.search_patterns(part, 10.0)
    # B1 moved out of A1's way, losing nothing, and A1 was searched around it: the
    # merged plan needs no fitting afterwards.
    assert other.plan is not moved and other.levels[:2] <= was[:2]
    assert part.plan is not None and validate(search.around_others(part), part.plan).ok
    assert validate(instance, merge(Policy.POOLED, [p.plan for p in search.parts])).ok


def test_where_another_part_would_lose_by_moving_highs_chooses_which_moves() -> None:
    instance, search = _overlapping()
    part = next(p for p in search.parts if p.instance.aircraft[0].id == "B1")
    other = next(p for p in search.parts if p is not part)
    own = other.plan
    assert own is not None and other.levels[1] == 0
    # A1 can check after B1 only by missing two months of its mission: it is searched
    # with B1, each aircraft keeping the checks of its own plan or its new one, and
    # B1, whose mission starts later, makes room for A1's own (with the heuristic's
    # check pattern around it, which may cost B1 a month).
    overlap = search.overlap(part, time.monotonic() + 5.0)
    assert [(holder, levels[1]) for holder, _, levels in overlap.holders] == [(other, 2)]
    union = overlap.union(part)
    assert {a.id for a in union.aircraft} == {"A1", "B1"}
    assert part.plan is not None
    assert validate(union, overlap.start(part.plan, Policy.POOLED)).ok
    search.search_patterns(part, 10.0)
    assert other.plan is not None and other.plan.checks == own.checks
    merged = merge(Policy.POOLED, [p.plan for p in search.parts])
    report = validate(instance, merged)
    assert report.ok, report.violations
    assert report.figures.shortfall < 2


def test_pattern_search_runs_by_default_on_long_budgets_only() -> None:
    assert not _patterns_wanted(SolveParams(time_limit=BOUND_FROM - 1))
    assert _patterns_wanted(SolveParams(time_limit=BOUND_FROM))
    assert _patterns_wanted(SolveParams(time_limit=BOUND_FROM, floor_miss_budget=3))
    assert not _patterns_wanted(SolveParams(time_limit=BOUND_FROM, pattern_search=False))
    assert _patterns_wanted(SolveParams(time_limit=10.0, pattern_search=True))


def test_what_the_second_pass_leaves_to_the_bound_and_the_patterns() -> None:
    instance = _short_of_aircraft()

    def reserved(**given: float | bool) -> float:
        params = SolveParams(**given)  # type: ignore[arg-type]
        search = _PartsSearch(instance, Policy.NATIONAL, _parts(instance), params, None, None)
        return search.reserved_share()

    every = REPAIR_SHARE + PATTERN_SHARE + BOUND_SHARE
    assert reserved(time_limit=300.0) == every  # floors first: the bound, then the patterns
    # No bound: the second pass's rounds take the patterns' and the bound's time.
    assert reserved(time_limit=300.0, floor_miss_budget=3) == REPAIR_SHARE
    assert reserved(time_limit=300.0, pattern_search=False) == REPAIR_SHARE + BOUND_SHARE
    assert reserved(time_limit=300.0, floor_miss_budget=3, pattern_search=False) == REPAIR_SHARE
    assert reserved(time_limit=BOUND_FROM - 1) == REPAIR_SHARE


def test_a_set_cancel_event_stops_highs_with_the_best_plan_so_far() -> None:
    whole = fmp.read_instance(json.loads((FMP_DIR / "a060_p04_s85.json").read_text()))
    # The part with the shortfall: 10 aircraft whose hours bind.
    instance = next(p for p in _parts(whole) if len(p.aircraft) == 10)
    start = heuristic_plan(instance, Policy.NATIONAL)
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    began = time.monotonic()
    found = pattern_plan(
        instance, Policy.NATIONAL, _patterns(instance, start), 600.0, start=start, cancel=cancel
    )
    # Without the interrupt HiGHS would run its 600 s on this hard part.
    assert time.monotonic() - began < 120
    assert found is not None and validate(instance, found).ok
    shortfall = validate(instance, found).figures.shortfall
    assert shortfall <= validate(instance, start).figures.shortfall


def test_floors_first_a_plan_that_must_miss_floors_keeps_its_misses_as_allowed() -> None:
    # Every check of a Belgian helicopter misses the floor: no plan avoids misses.
    instance = _must_miss()
    params = SolveParams(time_limit=30.0, workers=1, decompose=True, pattern_search=True)
    search = _searched_from_heuristic(instance, params)
    before = {id(part): part.levels for part in search.parts}
    assert any(levels[0] for levels in before.values())
    search.improve_by_patterns()
    assert search.pattern_plans == len(search.parts)
    for part in search.parts:
        assert part.plan is not None and part.plan.method == PATTERNS
        assert part.levels[:2] <= before[id(part)][:2]


def _flightless(instance: Instance) -> tuple[_PartsSearch, _Part]:
    """One part planned with the heuristic's checks and no flight at all."""
    params = SolveParams(time_limit=20.0, workers=2, pattern_search=True, floor_miss_budget=1)
    search = _PartsSearch(instance, Policy.NATIONAL, [instance], params, None, None)
    part = search.parts[0]
    part.plan = dataclasses.replace(heuristic_plan(instance, Policy.NATIONAL), flights=())
    part.levels = validate(instance, part.plan).figures.levels
    return search, part


def test_highs_on_the_flights_holds_the_checks_and_finds_the_flights_they_allow() -> None:
    instance = _hours_bind()
    search, part = _flightless(instance)
    assert part.plan is not None
    checks, before = part.plan.checks, part.levels
    search.flights_by_highs(part, None, 10.0)
    assert part.plan.checks == checks
    report = validate(instance, part.plan)
    assert report.ok, report.violations
    assert report.figures.levels[1] < before[1] and len(missed_rows(report)) <= part.budget
    # As good as the flights can be for those checks and the plan's misses (none):
    # the model with only its patterns, proven.
    held = pattern_plan(
        instance, Policy.NATIONAL, offered_patterns(schedules_of(instance, part.plan)), 10.0
    )
    assert held is not None and held.message.startswith("optimal among")
    assert part.levels[:2] == validate(instance, held).figures.levels[:2]
    # A plan HiGHS cannot better is kept as it is.
    kept = part.plan
    search.flights_by_highs(part, None, 10.0)
    assert part.plan is kept


def test_highs_on_the_flights_runs_one_search_per_worker_and_keeps_the_best(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HiGHS searches on one core and its seed decides what it finds in the time:
    # from s85's hard part at 52, seeds 0 to 3 gave 46, 45, 46 and 46 in 20 s.
    instance = _hours_bind()
    search, part = _flightless(instance)
    assert part.plan is not None
    found = pattern_plan(
        instance, Policy.NATIONAL, offered_patterns(schedules_of(instance, part.plan)), 10.0
    )
    assert found is not None
    better = validate(instance, found).figures.levels
    assert better[1] < part.levels[1]
    seeds: list[int] = []
    threads: set[int] = set()

    def one_seed(*args: object, seed: int, **kwargs: object) -> Solution | None:
        seeds.append(seed)
        threads.add(threading.get_ident())
        time.sleep(0.2)  # both searches under way at once
        return found if seed % 2 else part.plan  # only the second worker's seed finds more

    monkeypatch.setattr(solver, "pattern_plan", one_seed)
    search.flights_by_highs(part, None, 10.0, seed=3)
    assert sorted(seeds) == [6, 7]  # the round's seed times the workers, plus the index
    assert len(threads) == 2
    assert part.plan is found and part.levels == better
    # One worker: one search, seeded with the round's seed.
    seeds.clear()
    search.params = dataclasses.replace(search.params, workers=1)
    search.flights_by_highs(part, None, 10.0, seed=3)
    assert seeds == [3]


def test_the_seed_given_is_highs_random_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = _hours_bind()
    plan = heuristic_plan(instance, Policy.NATIONAL)
    made: list[Any] = []

    def kept(*args: object) -> Any:
        made.append(silent_highs())
        return made[-1]

    monkeypatch.setattr(patterns_module, "silent_highs", kept)
    for seed in (0, 5):
        assert pattern_plan(instance, Policy.NATIONAL, _patterns(instance, plan), 5.0, seed=seed)
        assert made[-1].getOptionValue("random_seed")[1] == seed


def test_the_second_pass_searches_in_rounds_from_the_best_plan_with_new_seeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    search, part = _flightless(_hours_bind())
    search.params = dataclasses.replace(search.params, time_limit=100.0, seed=4)
    clock = [0.0]
    steps: list[tuple[str, float, int | None]] = []

    def searched(p: _Part, limit: float, start: Solution | None, **kw: Any) -> None:
        assert p is part and start is part.plan  # each step goes on from the best plan
        steps.append(("cp-sat", round(limit, 2), kw.get("seed")))
        clock[0] += limit

    def flights(p: _Part, within: Instance | None, limit: float, seed: int | None) -> None:
        steps.append(("highs", round(limit, 2), seed))
        clock[0] += limit

    monkeypatch.setattr(solver, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(search, "search", searched)
    monkeypatch.setattr(search, "flights_by_highs", flights)
    search.rounds(part, 60.0, relaxed=False, within=None)
    # Rounds of ROUND_SHARE of the budget (23 s), the last one taking the 14 s left.
    assert steps == [
        ("cp-sat", 11.5, 4),
        ("highs", 6.9, 4),
        ("cp-sat", 4.6, 4),
        ("cp-sat", 11.5, 5),
        ("highs", 6.9, 5),
        ("cp-sat", 4.6, 5),
        ("cp-sat", 7.0, 6),
        ("highs", 4.2, 6),
        ("cp-sat", 2.8, 6),
    ]
    # Less than a round: CP-SAT alone for the whole time.
    steps.clear()
    clock[0] = 0.0
    search.rounds(part, 20.0, relaxed=False, within=None)
    assert steps == [("cp-sat", 20.0, None)]
    # A part proven on floors and shortfall stops its rounds.
    steps.clear()
    clock[0] = 0.0
    monkeypatch.setattr(part, "settled", lambda: True)
    search.rounds(part, 60.0, relaxed=False, within=None)
    assert steps == []
