"""The flights of given checks: column generation, a dive, then HiGHS on what is left.

With a plan's checks held, the best flights are a MIP whose compact
relaxation is weak where the least stays meet the hours: on s85's hard part
(checks of a plan of 45) it gives 42.4, and HiGHS found the 44 those checks
allow in one search of six within 30 s. Priced per aircraft (each column one
aircraft's whole flying under the plan's checks, ``colgen._Pricing`` held to
them), the relaxation is the convex hull of each aircraft's schedules: 43.6
on the same checks. Its solution is close to whole: holding the aircraft it
weighs most to their schedules, one by one, left its value where it was for
five of them, and HiGHS on the other five's flights found 44 and proved it
best among them within 7 s, in each of the tries (``docs/planning.md``).

The relaxation also bounds what the checks allow: when it rounds up to the
plan's shortfall, no flights of those checks do better, and the dive stops
there.

Before the dive, HiGHS searches the flights with every flight on which the
relaxation and the plan agree held to the plan (a RINS, with the relaxation
over schedules where the usual one takes the compact model's): on the checks
of a plan of 45 whose relaxation (43.7) was too fractional for the dive,
which found nothing better in 30 s three times of three, it found 44 in 1.2
and 7.8 s and proved it best among the flights left free; on the checks of
another plan of 45, two searches side by side found 44 in 8 to 14 s, three
tries of three (``docs/planning.md``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import highspy

from bedeco.planning.engine.colgen import (
    FloorRow,
    Master,
    Schedule,
    _Pricing,
    schedules_of,
)
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.labels import NEG
from bedeco.planning.engine.patterns import Pattern, PatternModel, missed_rows
from bedeco.planning.engine.solution import PlannedCheck, Solution
from bedeco.planning.engine.validation import validate

COLUMNS_PER_ROUND = 4
"""Schedules each aircraft may add per round of pricing."""
PRICE_SHARE = 0.5
"""Share of the time the relaxation and the dive may take; HiGHS gets the rest."""
AGREED_SHARE = 0.5
"""Share of the time after the relaxation the search of the flights it and the plan
disagree on may take; the dive gets the rest."""
DIVE_SHARE = 0.5
"""Share of the aircraft the dive fixes at most: the rest is left to HiGHS."""
AGREE = 1e-6
"""How far from whole a relaxation's flight may be and still count as agreed."""
LIFT = 1e-4
"""How far holding an aircraft may lift the relaxation: beyond, it is left free."""
METHOD = "flights by columns (HiGHS)"


@dataclass(frozen=True)
class DiveResult:
    """What the dive found: HiGHS's plan (None if none; the caller compares it with its
    own), and the relaxation's bound."""

    plan: Solution | None
    bound: int | None
    """Least shortfall the plan's checks allow, with its misses where they are
    (None when the relaxation did not settle in time)."""


class _Columns:
    """The master over schedules held to the plan's checks, and its pricing."""

    def __init__(self, instance: Instance, policy: Policy, plan: Solution) -> None:
        self.relaxed: frozenset[FloorRow] = missed_rows(validate(instance, plan))
        self.master = Master(instance, 0, relaxed=self.relaxed)
        starts: dict[str, set[tuple[int, str]]] = {a.id: set() for a in instance.aircraft}
        for check in plan.checks:
            starts[check.aircraft].add((check.start, check.facility))
        self.pricers = {
            a.id: _Pricing(instance, policy, a, frozenset(starts[a.id])) for a in instance.aircraft
        }
        for schedule in schedules_of(instance, plan):
            self.master.add(schedule)
        self.fixed: dict[str, int] = {}
        """Aircraft fixed by the dive: the index of the schedule each keeps."""

    def settle(self, ends: float, cancel: threading.Event | None) -> float | None:
        """Price until no schedule improves the relaxation: its value (infinite if there
        is no plan), None if out of time."""
        master = self.master
        while True:
            if time.monotonic() >= ends or (cancel is not None and cancel.is_set()):
                return None
            try:
                value, duals = master.solve_lp()
            except RuntimeError:
                return math.inf  # the dive held aircraft to schedules that leave no plan
            found: list[Schedule] = []
            for aircraft_id, pricer in self.pricers.items():
                if aircraft_id in self.fixed:
                    continue
                convexity = duals.convexity[aircraft_id]
                for gain, schedule in pricer.price_many(duals, COLUMNS_PER_ROUND):
                    if gain > NEG / 2 and -gain - convexity < -1e-7:
                        found.append(schedule)
            added = [s for s in found if master.add(s)]
            if not added:
                return value
            for schedule in added:
                if schedule.aircraft in self.fixed:
                    self._bar(len(master.schedules) - 1)

    def _bar(self, index: int) -> None:
        self.master.lp.changeColBounds(self.master.helpers + index, 0, 0)

    def fix(self, aircraft_id: str, keep: int) -> None:
        """Hold ``aircraft_id`` to the schedule at ``keep``."""
        self.fixed[aircraft_id] = keep
        for index, schedule in enumerate(self.master.schedules):
            if schedule.aircraft == aircraft_id and index != keep:
                self._bar(index)

    def unfix(self, aircraft_id: str) -> None:
        del self.fixed[aircraft_id]
        for index, schedule in enumerate(self.master.schedules):
            if schedule.aircraft == aircraft_id:
                self.master.lp.changeColBounds(self.master.helpers + index, 0, 1)

    def heaviest(self, tried: set[str]) -> tuple[str, int] | None:
        """The free aircraft not yet ``tried`` whose schedule the relaxation weighs most,
        and that schedule."""
        best: tuple[float, str, int] | None = None
        for index, (schedule, weight) in enumerate(
            zip(self.master.schedules, self.master.weights, strict=False)
        ):
            if schedule.aircraft in self.fixed or schedule.aircraft in tried:
                continue
            if best is None or weight > best[0]:
                best = (weight, schedule.aircraft, index)
        return None if best is None else (best[1], best[2])


def flights_by_dive(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    time_limit: float,
    *,
    seed: int = 0,
    workers: int = 1,
    cancel: threading.Event | None = None,
) -> DiveResult:
    """Better flights for ``plan``'s checks, its floor misses kept where they are.

    The relaxation over each aircraft's schedules is settled first; if it
    proves the plan's shortfall best for its checks, nothing more is done.
    Otherwise HiGHS searches the flights it and the plan disagree on
    (``_agreed_by_highs``, one search per worker, seeds ``seed`` times
    ``workers`` plus the index), and stops there if it reaches the bound. Else the
    aircraft the relaxation weighs most are fixed to their schedule one by
    one (at most ``DIVE_SHARE`` of them, and none that would lift the
    relaxation), and HiGHS searches the flights of the others for the time
    left. The better of the two searches' plans is returned.
    """
    began = time.monotonic()
    ends = began + time_limit
    before = validate(instance, plan).figures.levels[1]
    columns = _Columns(instance, policy, plan)
    root = columns.settle(began + PRICE_SHARE * time_limit, cancel)
    if root is None:
        return DiveResult(None, None)
    bound = max(0, math.ceil(root - 1e-6))
    if bound >= before:
        return DiveResult(None, bound)
    seeds = [seed * workers + index for index in range(max(1, workers))]
    limit = AGREED_SHARE * (ends - time.monotonic())
    agreed = _agreed_by_highs(instance, policy, plan, columns, limit, seeds, cancel, bound)
    if agreed is not None and _levels(instance, agreed)[0] <= bound:
        return DiveResult(agreed, bound)
    dived = _dive(instance, policy, plan, columns, root, ends, seed, cancel)
    found = [p for p in (agreed, dived) if p is not None]
    return DiveResult(min(found, key=lambda p: _levels(instance, p), default=None), bound)


def _dive(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    columns: _Columns,
    root: float,
    ends: float,
    seed: int,
    cancel: threading.Event | None,
) -> Solution | None:
    """Hold the aircraft the relaxation weighs most to their schedules, one by one, then
    HiGHS on the others' flights until ``ends``."""
    prices_end = time.monotonic() + PRICE_SHARE * (ends - time.monotonic())
    most = int(DIVE_SHARE * len(instance.aircraft))
    tried: set[str] = set()
    while len(columns.fixed) < most:
        picked = columns.heaviest(tried)
        if picked is None:
            break
        tried.add(picked[0])
        weights = list(columns.master.weights)
        columns.fix(*picked)
        value = columns.settle(prices_end, cancel)
        if value is None:
            columns.unfix(picked[0])
            break
        if value > root + LIFT:
            # Held there, the aircraft would cost the others: leave it to HiGHS.
            columns.unfix(picked[0])
            columns.master.weights = weights
    held = {a: columns.master.schedules[i] for a, i in columns.fixed.items()}
    return _rest_by_highs(
        instance, policy, plan, held, columns.relaxed, ends - time.monotonic(), seed, cancel
    )


def _flights_model(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    held: Mapping[str, Schedule],
    relaxed: frozenset[FloorRow],
) -> tuple[PatternModel, highspy.Highs]:
    """The pattern model of the plan's checks (a held aircraft's schedule's), and HiGHS
    with each held aircraft flying its schedule."""
    own: dict[str, list[PlannedCheck]] = {a.id: [] for a in instance.aircraft}
    for check in plan.checks:
        own[check.aircraft].append(check)
    patterns: dict[str, Sequence[Pattern]] = {}
    for aircraft in instance.aircraft:
        schedule = held.get(aircraft.id)
        checks = schedule.checks if schedule is not None else tuple(sorted(own[aircraft.id]))
        patterns[aircraft.id] = [checks]
    model = PatternModel(instance, policy, patterns, relaxed)
    highs = model.rows.highs()
    for aircraft_id, schedule in held.items():
        flown = {(f.mission, f.period) for f in schedule.flights}
        for (flyer, mission_id, t), column in model.fly.items():
            if flyer == aircraft_id:
                value = 1.0 if (mission_id, t) in flown else 0.0
                highs.changeColBounds(column, value, value)
    return model, highs


def _searched(
    model: PatternModel,
    highs: highspy.Highs,
    time_limit: float,
    seed: int,
    stops: Sequence[threading.Event | None],
) -> Solution | None:
    """HiGHS's best plan of ``model`` within ``time_limit`` or until one of ``stops`` is
    set, None if it found none."""
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("random_seed", seed)
    events = [event for event in stops if event is not None]

    def interrupt(event: Any) -> None:
        if any(stop.is_set() for stop in events):
            event.interrupt()

    if events:
        highs.cbMipInterrupt.subscribe(interrupt)
    highs.run()
    if highs.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    found = model.plan_of(highs.getSolution().col_value)
    return replace(found, method=METHOD)


def _agreed_by_highs(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    columns: _Columns,
    time_limit: float,
    seeds: Sequence[int],
    cancel: threading.Event | None,
    bound: int = 0,
) -> Solution | None:
    """HiGHS on the flights the relaxation and ``plan`` disagree on, from ``plan``.

    A flight the relaxation's schedules all fly (or none does), as the plan
    does, is held where the plan has it. The plan is not offered as a first
    incumbent: on the checks of a plan of 45 whose flights allow 44, searches
    from it found 44 in none of six tries of 25 s, and without it in each of
    six, within 8 to 14 s (the caller keeps the plan if nothing better comes).
    One search per seed, side by side (HiGHS releases the GIL): which of them
    finds the best flights in the time changes from seed to seed (on the checks
    of a plan of 45, 44 in 4.6 s with one seed, 45 after 25 s with another).
    The others stop once one reaches ``bound``. The best plan found, fewest
    aircraft-months short first.
    """
    if time_limit < 0.1:
        return None
    share: dict[tuple[str, str, int], float] = defaultdict(float)
    for schedule, weight in zip(columns.master.schedules, columns.master.weights, strict=False):
        if weight > AGREE:
            for flight in schedule.flights:
                share[flight.aircraft, flight.mission, flight.period] += weight
    planned = {(f.aircraft, f.mission, f.period) for f in plan.flights}
    reached = threading.Event()

    def search(seed: int) -> Solution | None:
        model, highs = _flights_model(instance, policy, plan, {}, columns.relaxed)
        for key, column in model.fly.items():
            value = 1.0 if key in planned else 0.0
            if abs(share[key] - value) <= AGREE:
                highs.changeColBounds(column, value, value)
        found = _searched(model, highs, time_limit, seed, [cancel, reached])
        if found is not None and _levels(instance, found)[0] <= bound:
            reached.set()
        return found

    if len(seeds) == 1:
        plans = [search(seeds[0])]
    else:
        with ThreadPoolExecutor(len(seeds), thread_name_prefix="agreed") as pool:
            plans = list(pool.map(search, seeds))
    return min(
        (p for p in plans if p is not None), key=lambda p: _levels(instance, p), default=None
    )


def _levels(instance: Instance, plan: Solution) -> tuple[int, ...]:
    """A plan's figures for choosing among flights of the same checks: shortfall first
    (their misses are at most the plan's, within its budget), then misses, cost, spread."""
    misses, shortfall, cost, spread = validate(instance, plan).figures.levels
    return (shortfall, misses, cost, spread)


def _rest_by_highs(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    held: Mapping[str, Schedule],
    relaxed: frozenset[FloorRow],
    time_limit: float,
    seed: int,
    cancel: threading.Event | None,
) -> Solution | None:
    """HiGHS on the flights of the aircraft not held, each held one flying its schedule."""
    if time_limit < 0.1:
        return None
    model, highs = _flights_model(instance, policy, plan, held, relaxed)
    return _searched(model, highs, time_limit, seed, [cancel])
