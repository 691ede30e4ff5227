"""A fast constructive plan: the baseline every search is measured against, and its warm start.

Two passes, as a planning office would do it by hand. Checks first, earliest
calendar limit first, each placed as late as the aircraft's hours suggest, in
a period and facility with a free slot that keeps the floors. Then flying,
month by month: aircraft on a mission stay until their least stay is served,
and each open place goes to the eligible aircraft whose next check is nearest
(hours left at a check are hours lost), if the floors' flight-hour potential
allows it.
"""

from __future__ import annotations

import dataclasses
import heapq
import time
from collections import defaultdict

from bedeco.planning.engine.due import Window, first_window, next_window
from bedeco.planning.engine.flying import assign_flights
from bedeco.planning.engine.instance import Aircraft, Facility, Instance, Policy
from bedeco.planning.engine.solution import PlannedCheck, Solution
from bedeco.planning.engine.validation import validate

PACES = (1.0, 1.6, 2.0, 3.0, 4.0, 6.0)
"""How fast each aircraft is expected to fly, as a share of an even split of the
demand (0: ignore hours, check as late as the calendar allows). Each pace gives
one plan; the best by the objective's levels is kept."""


def heuristic_plan(instance: Instance, policy: Policy) -> Solution:
    """The best constructive plan for ``instance`` under ``policy`` over the paces tried."""
    began = time.monotonic()
    best: tuple[tuple[bool, tuple[int, int, int, int]], Solution] | None = None
    base_rate = _hour_rates(instance, policy)
    for pace in PACES:
        checks = _place_checks(instance, policy, base_rate, pace)
        flights = assign_flights(instance, policy, checks)
        plan = Solution(
            policy, tuple(sorted(checks)), tuple(sorted(flights)), "heuristic", "HEURISTIC"
        )
        report = validate(instance, plan)
        key = (not report.ok, report.figures.levels)
        if best is None or key < best[0]:
            best = (key, plan)
    assert best is not None
    elapsed = time.monotonic() - began
    return dataclasses.replace(best[1], wall_time=elapsed, first_plan_time=elapsed)


def _hour_rates(instance: Instance, policy: Policy) -> dict[str, float]:
    """Expected hours a month each aircraft flies if demand is shared evenly."""
    rate = {a.id: 0.0 for a in instance.aircraft}
    for mission in instance.missions:
        eligible = [a for a in instance.aircraft if instance.may_fly(a, mission, policy)]
        months = mission.end - mission.start + 1
        share = mission.required * mission.hours * months / max(1, len(eligible))
        for aircraft in eligible:
            rate[aircraft.id] += share / instance.periods
    return rate


def _place_checks(
    instance: Instance, policy: Policy, base_rate: dict[str, float], pace: float
) -> list[PlannedCheck]:
    horizon = instance.periods
    load = instance.slots_taken()
    floors = [(f, [a.id for a in instance.aircraft if f.covers(a)]) for f in instance.floors]
    busy: dict[tuple[str, int], int] = defaultdict(int)
    room: dict[tuple[str, int], int] = {}
    for floor, members in floors:
        member_set = set(members)
        for t in range(horizon):
            fixed = sum(
                1
                for a in instance.aircraft
                if a.id in member_set and t in instance.fixed_check_periods(a)
            )
            busy[floor.id, t] = fixed
            need = min(floor.min_available, len(members) - fixed)
            room[floor.id, t] = len(members) - max(0, need)
    floors_of = {a.id: [f.id for f, m in floors if a.id in m] for a in instance.aircraft}
    by_id = {a.id: a for a in instance.aircraft}
    rate = {key: pace * value for key, value in base_rate.items()}

    queue: list[tuple[int, int, str, int]] = []
    for aircraft in instance.aircraft:
        window = first_window(instance, aircraft)
        under_way = instance.fixed_check_periods(aircraft)
        ready = under_way.stop if len(under_way) else 0
        target = _target(ready, aircraft.hours_left, rate[aircraft.id], window.latest)
        if len(window.periods(horizon)):
            heapq.heappush(queue, (window.latest, not window.required, aircraft.id, target))
    checks: list[PlannedCheck] = []
    while queue:
        _, optional, aircraft_id, target = heapq.heappop(queue)
        aircraft = by_id[aircraft_id]
        check = instance.check_type_of(aircraft)
        window = _window_of(instance, aircraft, checks)
        choice = _best_start(
            instance, policy, aircraft, window, target, load, busy, room, floors_of
        )
        if choice is None:
            continue
        start, facility, overload = choice
        if overload and optional:
            continue
        checks.append(PlannedCheck(aircraft.id, start, facility.id))
        for t in range(start, min(start + check.duration, horizon)):
            load[facility.id, t] += 1
            for floor_id in floors_of[aircraft.id]:
                busy[floor_id, t] += 1
        follow = next_window(instance, aircraft, start)
        if len(follow.periods(horizon)):
            ready = start + check.duration
            new_target = _target(ready, check.max_hours, rate[aircraft.id], follow.latest)
            heapq.heappush(queue, (follow.latest, not follow.required, aircraft.id, new_target))
    return checks


def _target(ready: int, hours: int, rate: float, latest: int) -> int:
    """When the hours would run out at the expected rate (the calendar limit if it never flies)."""
    return ready + int(hours / rate) if rate > 0 else latest


def _window_of(instance: Instance, aircraft: Aircraft, checks: list[PlannedCheck]) -> Window:
    mine = [c.start for c in checks if c.aircraft == aircraft.id]
    if not mine:
        return first_window(instance, aircraft)
    return next_window(instance, aircraft, max(mine))


def _best_start(
    instance: Instance,
    policy: Policy,
    aircraft: Aircraft,
    window: Window,
    target: int,
    load: dict[tuple[str, int], int],
    busy: dict[tuple[str, int], int],
    room: dict[tuple[str, int], int],
    floors_of: dict[str, list[str]],
) -> tuple[int, Facility, bool] | None:
    """The start and facility with a free slot, fewest floor breaches, nearest below the target."""
    duration = instance.check_type_of(aircraft).duration
    facilities = [f for f in instance.facilities if instance.may_maintain(aircraft, f, policy)]
    best: tuple[tuple[int, int, int, int, int], int, Facility] | None = None
    for start in window.periods(instance.periods):
        span = range(start, min(start + duration, instance.periods))
        breaches = sum(
            1 for t in span for f in floors_of[aircraft.id] if busy[f, t] + 1 > room[f, t]
        )
        late = 0 if start <= target else 1
        distance = target - start if start <= target else start - target
        for facility in facilities:
            over = sum(max(0, load[facility.id, t] + 1 - facility.slots) for t in span)
            key = (over, breaches, late, distance, instance.check_cost(aircraft, facility))
            if best is None or key < best[0]:
                best = (key, start, facility)
    if best is None:
        return None
    return best[1], best[2], best[0][0] > 0
