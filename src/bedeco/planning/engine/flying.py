"""The heuristic's second pass: who flies which mission, month by month, once checks are placed.

Aircraft on a mission stay until their least stay is served; every open place
then goes to the eligible aircraft whose next check is nearest (hours left at
a check are hours lost). A block is only started if the aircraft is free and
has the hours for the whole least stay, and if it creates no new month below
a floor's flight-hour potential: the projection of every floor's potential
is kept up to date as blocks are committed, so a plan cannot buy coverage by
flying a fleet's potential down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bedeco.planning.engine.instance import Aircraft, Floor, Instance, Mission, Policy
from bedeco.planning.engine.solution import Flight, PlannedCheck


@dataclass
class _Projection:
    """Projected flight-hour potential of every floor, every period, given the flights so far."""

    instance: Instance
    potential: dict[str, list[int]]
    floors_of: dict[str, list[Floor]]
    next_check: dict[tuple[str, int], int]

    def _span(self, aircraft: Aircraft, start: int) -> range:
        return range(start, min(self.next_check[aircraft.id, start], self.instance.periods))

    def allows(self, aircraft: Aircraft, start: int, hours: int, periods: int) -> bool:
        """Flying ``periods`` months from ``start`` creates no new floor-month below its potential."""
        for floor in self.floors_of[aircraft.id]:
            line = self.potential[floor.id]
            for t in self._span(aircraft, start):
                spend = hours * min(t - start + 1, periods)
                if line[t] >= floor.min_hours > line[t] - spend:
                    return False
        return True

    def commit(self, aircraft: Aircraft, start: int, hours: int, periods: int) -> None:
        for floor in self.floors_of[aircraft.id]:
            line = self.potential[floor.id]
            for t in self._span(aircraft, start):
                line[t] -= hours * min(t - start + 1, periods)


def _projection(
    instance: Instance, in_check: set[tuple[str, int]], starts: dict[str, list[int]]
) -> _Projection:
    horizon = instance.periods
    floors_of = {a.id: [f for f in instance.floors if f.covers(a)] for a in instance.aircraft}
    potential = {f.id: [0] * horizon for f in instance.floors}
    next_check: dict[tuple[str, int], int] = {}
    for aircraft in instance.aircraft:
        full = instance.check_type_of(aircraft).max_hours
        hours = aircraft.hours_left
        upcoming = horizon
        for t in reversed(range(horizon)):
            if (aircraft.id, t) in in_check:
                upcoming = t
            next_check[aircraft.id, t] = upcoming
        for t in range(horizon):
            if (aircraft.id, t) in in_check:
                hours = full
            for floor in floors_of[aircraft.id]:
                potential[floor.id][t] += hours
    return _Projection(instance, potential, floors_of, next_check)


def assign_flights(instance: Instance, policy: Policy, checks: list[PlannedCheck]) -> list[Flight]:
    """Flights for every month, given the checks already placed."""
    horizon = instance.periods
    in_check: set[tuple[str, int]] = set()
    starts: dict[str, list[int]] = defaultdict(list)
    for aircraft in instance.aircraft:
        in_check.update((aircraft.id, t) for t in instance.fixed_check_periods(aircraft))
    durations = {a.id: instance.check_type_of(a).duration for a in instance.aircraft}
    for check in checks:
        starts[check.aircraft].append(check.start)
        end = min(check.start + durations[check.aircraft], horizon)
        in_check.update((check.aircraft, t) for t in range(check.start, end))
    projection = _projection(instance, in_check, starts)
    hours = {a.id: a.hours_left for a in instance.aircraft}
    block: dict[str, tuple[str, int]] = {}
    for aircraft in instance.aircraft:
        under_way = aircraft.mission_under_way
        if under_way is not None:
            block[aircraft.id] = (under_way.mission, under_way.served)
            mission = instance.mission(under_way.mission)
            left = instance.forced_mission_periods(aircraft)
            if left is not None:
                projection.commit(aircraft, 0, mission.hours, len(left[1]))
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
        month = _Month(t, hours, block, flights)
        taken, got, lent, fly = month.taken, month.got, month.lent, month.fly

        # Least stays first: they were promised (and their hours reserved) when the block began.
        for aircraft in instance.aircraft:
            if aircraft.id in block:
                mission_id, served = block[aircraft.id]
                mission = instance.mission(mission_id)
                if served < mission.min_consecutive and mission.active(t):
                    fly(aircraft, mission, served + 1)
        active = sorted(
            (m for m in instance.missions if m.active(t)), key=lambda m: len(eligible[m.id])
        )
        for mission in active:
            for aircraft in eligible[mission.id]:
                if got[mission.id] >= mission.required:
                    break
                if (
                    aircraft.id not in taken
                    and block.get(aircraft.id, ("", 0))[0] == mission.id
                    and hours[aircraft.id] >= mission.hours
                    and projection.allows(aircraft, t, mission.hours, 1)
                ):
                    projection.commit(aircraft, t, mission.hours, 1)
                    fly(aircraft, mission, block[aircraft.id][1] + 1)
            candidates = [
                a
                for a in eligible[mission.id]
                if a.id not in taken and _can_start(instance, a, mission, t, hours[a.id], in_check)
            ]
            candidates.sort(
                key=lambda a: (
                    a.nation != mission.nation,
                    projection.next_check[a.id, t],
                    -hours[a.id],
                )
            )
            for aircraft in candidates:
                if got[mission.id] >= mission.required:
                    break
                cap = instance.joint_cap.get(aircraft.nation, 10**9)
                if aircraft.nation != mission.nation and lent[aircraft.nation] >= cap:
                    continue
                stay = min(mission.min_consecutive, horizon - t)
                if not projection.allows(aircraft, t, mission.hours, stay):
                    continue
                projection.commit(aircraft, t, mission.hours, stay)
                fly(aircraft, mission, 1)
        for aircraft in instance.aircraft:
            if aircraft.id not in taken:
                block.pop(aircraft.id, None)
    return flights


@dataclass
class _Month:
    """One month of flying: aircraft taken, places filled, aircraft lent."""

    period: int
    hours: dict[str, int]
    block: dict[str, tuple[str, int]]
    flights: list[Flight]
    taken: set[str] = field(default_factory=set)
    got: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lent: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def fly(self, aircraft: Aircraft, mission: Mission, served: int) -> None:
        self.taken.add(aircraft.id)
        self.got[mission.id] += 1
        self.hours[aircraft.id] -= mission.hours
        if mission.nation != aircraft.nation:
            self.lent[aircraft.nation] += 1
        self.block[aircraft.id] = (mission.id, served)
        self.flights.append(Flight(aircraft.id, mission.id, self.period))


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
