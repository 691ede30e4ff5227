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

import heapq
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bedeco.planning.engine.due import Window, first_window, next_window
from bedeco.planning.engine.instance import Aircraft, Facility, Floor, Instance, Mission, Policy
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution


def heuristic_plan(instance: Instance, policy: Policy) -> Solution:
    """The constructive plan for ``instance`` under ``policy``."""
    began = time.monotonic()
    checks = _place_checks(instance, policy)
    flights = _assign_flights(instance, policy, checks)
    return Solution(
        policy=policy,
        checks=tuple(sorted(checks)),
        flights=tuple(sorted(flights)),
        method="heuristic",
        status="HEURISTIC",
        wall_time=time.monotonic() - began,
        first_plan_time=time.monotonic() - began,
    )


def _hour_rate(instance: Instance, aircraft: Aircraft, policy: Policy) -> float:
    """Expected hours a month this aircraft flies if demand is shared evenly."""
    rate = 0.0
    for mission in instance.missions:
        if not instance.may_fly(aircraft, mission, policy):
            continue
        eligible = sum(1 for a in instance.aircraft if instance.may_fly(a, mission, policy))
        months = mission.end - mission.start + 1
        rate += mission.required * mission.hours * months / max(1, eligible) / instance.periods
    return rate


def _place_checks(instance: Instance, policy: Policy) -> list[PlannedCheck]:
    horizon = instance.periods
    load: dict[tuple[str, int], int] = defaultdict(int)
    for aircraft in instance.aircraft:
        if aircraft.check_under_way is not None:
            for t in instance.fixed_check_periods(aircraft):
                load[aircraft.check_under_way.facility, t] += 1
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
    rate = {a.id: _hour_rate(instance, a, policy) for a in instance.aircraft}

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


def _assign_flights(instance: Instance, policy: Policy, checks: list[PlannedCheck]) -> list[Flight]:
    horizon = instance.periods
    in_check: set[tuple[str, int]] = set()
    next_check: dict[tuple[str, int], int] = {}
    for aircraft in instance.aircraft:
        duration = instance.check_type_of(aircraft).duration
        for t in instance.fixed_check_periods(aircraft):
            in_check.add((aircraft.id, t))
        starts = sorted(c.start for c in checks if c.aircraft == aircraft.id)
        for s in starts:
            in_check.update((aircraft.id, t) for t in range(s, min(s + duration, horizon)))
        for t in range(horizon):
            upcoming = [s for s in starts if s >= t]
            next_check[aircraft.id, t] = upcoming[0] if upcoming else horizon + 60
    hours = {a.id: a.hours_left for a in instance.aircraft}
    block: dict[str, tuple[str, int]] = {}
    for aircraft in instance.aircraft:
        if aircraft.mission_under_way is not None:
            block[aircraft.id] = (
                aircraft.mission_under_way.mission,
                aircraft.mission_under_way.served,
            )
    floors = [(f, [a.id for a in instance.aircraft if f.covers(a)]) for f in instance.floors]
    floors_of = {a.id: [f for f, m in floors if a.id in m] for a in instance.aircraft}
    eligible = {
        m.id: [a for a in instance.aircraft if instance.may_fly(a, m, policy)]
        for m in instance.missions
    }
    flights: list[Flight] = []
    for t in range(horizon):
        for aircraft in instance.aircraft:
            if (aircraft.id, t) in in_check:
                hours[aircraft.id] = instance.check_type_of(aircraft).max_hours
                block.pop(aircraft.id, None)
        month = _Month(
            t,
            hours,
            flights,
            {f.id: sum(hours[a] for a in members) for f, members in floors},
            floors_of,
        )
        taken, got, lent = month.taken, month.got, month.lent
        potential = month.potential
        fly = month.fly
        active = sorted(
            (m for m in instance.missions if m.active(t)), key=lambda m: len(eligible[m.id])
        )

        # Least stays first: they were promised when the aircraft joined.
        for aircraft in instance.aircraft:
            if aircraft.id not in block:
                continue
            mission_id, served = block[aircraft.id]
            mission = instance.mission(mission_id)
            if served < mission.min_consecutive and mission.active(t):
                fly(aircraft, mission)
                block[aircraft.id] = (mission_id, served + 1)
        for mission in active:
            staying = [
                a
                for a in eligible[mission.id]
                if a.id not in taken
                and block.get(a.id, ("", 0))[0] == mission.id
                and hours[a.id] >= mission.hours
            ]
            for aircraft in staying:
                if got[mission.id] >= mission.required:
                    break
                if _floors_allow(floors_of[aircraft.id], potential, mission.hours):
                    fly(aircraft, mission)
                    block[aircraft.id] = (mission.id, block[aircraft.id][1] + 1)
            candidates = [
                a
                for a in eligible[mission.id]
                if a.id not in taken
                and _can_start(instance, a, mission, t, hours[a.id], in_check)
                and (
                    policy is not Policy.JOINT
                    or a.nation == mission.nation
                    or lent[a.nation] < instance.joint_cap.get(a.nation, 10**9)
                )
            ]
            candidates.sort(
                key=lambda a: (a.nation != mission.nation, next_check[a.id, t], -hours[a.id])
            )
            for aircraft in candidates:
                if got[mission.id] >= mission.required:
                    break
                stay = min(mission.min_consecutive, horizon - t)
                if not _floors_allow(floors_of[aircraft.id], potential, mission.hours * stay):
                    continue
                cap = instance.joint_cap.get(aircraft.nation, 10**9)
                if aircraft.nation != mission.nation and lent[aircraft.nation] >= cap:
                    continue
                fly(aircraft, mission)
                block[aircraft.id] = (mission.id, 1)
        for aircraft in instance.aircraft:
            if aircraft.id not in taken:
                block.pop(aircraft.id, None)
    return flights


@dataclass
class _Month:
    """What one month of flying has used so far: aircraft taken, places filled, hours spent."""

    period: int
    hours: dict[str, int]
    flights: list[Flight]
    potential: dict[str, int]
    floors_of: dict[str, list[Floor]]
    taken: set[str] = field(default_factory=set)
    got: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lent: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def fly(self, aircraft: Aircraft, mission: Mission) -> None:
        self.taken.add(aircraft.id)
        self.got[mission.id] += 1
        self.hours[aircraft.id] -= mission.hours
        for floor in self.floors_of[aircraft.id]:
            self.potential[floor.id] -= mission.hours
        if mission.nation != aircraft.nation:
            self.lent[aircraft.nation] += 1
        self.flights.append(Flight(aircraft.id, mission.id, self.period))


def _floors_allow(floors: list[Floor], potential: dict[str, int], spend: int) -> bool:
    """Flying ``spend`` hours keeps every floor of the aircraft at its least potential."""
    return all(potential[f.id] - spend >= f.min_hours for f in floors)


def _can_start(
    instance: Instance,
    aircraft: Aircraft,
    mission: Mission,
    t: int,
    hours: int,
    in_check: set[tuple[str, int]],
) -> bool:
    """Free, with the hours, for the whole least stay (or until the horizon ends)."""
    last = instance.periods - 1
    stop = min(t + mission.min_consecutive - 1, last)
    if stop > mission.end:
        return False
    if any((aircraft.id, u) in in_check for u in range(t, stop + 1)):
        return False
    return hours >= mission.hours * (stop - t + 1)
