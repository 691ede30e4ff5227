"""Independent recomputation of every rule and every figure of a plan, without the solver.

The model encodes the rules as implications between booleans; this module
walks each aircraft's plan month by month, as a planner would with a pencil,
and recomputes what the plan claims: shortfall, checks started, concurrent
checks per facility, due limits, floors and cost. Every plan the engine
returns must pass it; the tests run it after every solve.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bedeco.planning.engine.due import first_window, next_window
from bedeco.planning.engine.instance import Aircraft, Instance, Policy
from bedeco.planning.engine.solution import Solution


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: which rule, which aircraft/facility/mission, which period."""

    rule: str
    subject: str
    period: int | None
    message: str


@dataclass(frozen=True)
class FloorMiss:
    """A floor (or benchmark cluster) below its least ``kind`` in one period."""

    floor: str
    period: int
    kind: str
    need: int
    got: int


@dataclass
class Figures:
    """What a plan achieves, recomputed from its checks and flights alone."""

    shortfall: int = 0
    shortfall_by: dict[tuple[str, int], int] = field(default_factory=dict)
    floor_misses: list[FloorMiss] = field(default_factory=list)
    checks_started: int = 0
    cost: int = 0
    peak: int = 0
    facility_load: dict[tuple[str, int], int] = field(default_factory=dict)
    facility_use: dict[str, float] = field(default_factory=dict)
    availability: dict[str, tuple[float, int]] = field(default_factory=dict)
    hours: dict[tuple[str, int], int] = field(default_factory=dict)
    in_check: set[tuple[str, int]] = field(default_factory=set)

    @property
    def levels(self) -> tuple[int, int, int, int]:
        """The objective's levels: floor misses, shortfall, cost, peak of checks."""
        return (len(self.floor_misses), self.shortfall, self.cost, self.peak)


@dataclass
class Report:
    """Violations of hard rules (empty for a valid plan) and the plan's figures."""

    violations: list[Violation]
    figures: Figures

    @property
    def ok(self) -> bool:
        return not self.violations


def validate(instance: Instance, solution: Solution) -> Report:
    """Check every hard rule of ``solution`` and recompute its figures."""
    out: list[Violation] = []
    figures = Figures()
    aircraft_by_id = {a.id: a for a in instance.aircraft}
    missions = {m.id: m for m in instance.missions}
    facilities = {f.id: f for f in instance.facilities}
    horizon = instance.periods
    policy = solution.policy

    checks_of: dict[str, list[int]] = defaultdict(list)
    for check in solution.checks:
        aircraft = aircraft_by_id.get(check.aircraft)
        facility = facilities.get(check.facility)
        if aircraft is None or facility is None or not 0 <= check.start < horizon:
            out.append(Violation("unknown", check.aircraft, check.start, f"unknown check {check}"))
            continue
        if not instance.may_maintain(aircraft, facility, policy):
            out.append(
                Violation(
                    "facility",
                    aircraft.id,
                    check.start,
                    f"{facility.id} may not maintain {aircraft.id} ({aircraft.nation} "
                    f"{aircraft.type}) under the {policy} policy",
                )
            )
        checks_of[aircraft.id].append(check.start)
        figures.checks_started += 1
        figures.cost += instance.check_cost(aircraft, facility)
        duration = instance.check_type_of(aircraft).duration
        for t in range(check.start, min(check.start + duration, horizon)):
            figures.facility_load[facility.id, t] = (
                figures.facility_load.get((facility.id, t), 0) + 1
            )
            if (aircraft.id, t) in figures.in_check:
                out.append(Violation("one-state", aircraft.id, t, "two checks at once"))
            figures.in_check.add((aircraft.id, t))
    for aircraft in instance.aircraft:
        under_way = aircraft.check_under_way
        for t in instance.fixed_check_periods(aircraft):
            if (aircraft.id, t) in figures.in_check:
                out.append(
                    Violation("under-way", aircraft.id, t, "check planned over a check under way")
                )
            figures.in_check.add((aircraft.id, t))
            if under_way is not None:
                key = (under_way.facility, t)
                figures.facility_load[key] = figures.facility_load.get(key, 0) + 1
        out.extend(_calendar(instance, aircraft, sorted(checks_of[aircraft.id])))

    for (facility_id, t), own in sorted(figures.facility_load.items()):
        facility = facilities.get(facility_id)
        load = own + instance.taken_slots.get((facility_id, t), 0)
        if facility is not None and load > facility.slots:
            out.append(
                Violation(
                    "facility-slots",
                    facility_id,
                    t,
                    f"{load} checks at once in {facility_id}, {facility.slots} slots",
                )
            )

    flying: dict[tuple[str, int], list[str]] = defaultdict(list)
    got: dict[tuple[str, int], int] = defaultdict(int)
    lent: dict[tuple[str, int], int] = defaultdict(int)
    for flight in solution.flights:
        aircraft = aircraft_by_id.get(flight.aircraft)
        mission = missions.get(flight.mission)
        if aircraft is None or mission is None or not 0 <= flight.period < horizon:
            out.append(Violation("unknown", flight.aircraft, flight.period, f"unknown {flight}"))
            continue
        if not mission.active(flight.period) or not instance.may_fly(aircraft, mission, policy):
            out.append(
                Violation(
                    "mission-eligibility",
                    aircraft.id,
                    flight.period,
                    f"{aircraft.id} may not fly {mission.id} in {flight.period} ({policy})",
                )
            )
        flying[aircraft.id, flight.period].append(mission.id)
        got[mission.id, flight.period] += 1
        if mission.nation != aircraft.nation:
            lent[aircraft.nation, flight.period] += 1
    for (aircraft_id, t), on in flying.items():
        if len(on) > 1 or (aircraft_id, t) in figures.in_check:
            out.append(Violation("one-state", aircraft_id, t, f"{aircraft_id} is in two places"))
    if policy is Policy.JOINT:
        for (nation, t), count in sorted(lent.items()):
            cap = instance.joint_cap.get(nation)
            if cap is not None and count > cap:
                out.append(Violation("joint-cap", nation, t, f"{nation} lends {count}, cap {cap}"))

    for aircraft in instance.aircraft:
        out.extend(_hours_and_stays(instance, aircraft, flying, figures))

    for mission in instance.missions:
        for t in range(max(0, mission.start), min(mission.end, horizon - 1) + 1):
            missing = max(0, mission.required - got[mission.id, t])
            if missing:
                figures.shortfall_by[mission.id, t] = missing
                figures.shortfall += missing

    _floors(instance, figures)
    _usage(instance, figures)
    return Report(out, figures)


def _calendar(instance: Instance, aircraft: Aircraft, starts: list[int]) -> list[Violation]:
    """Walk the chain of checks: each within the window the previous one opens."""
    out: list[Violation] = []
    window = first_window(instance, aircraft)
    for start in starts:
        if not window.earliest <= start <= window.latest:
            out.append(
                Violation(
                    "calendar-limit",
                    aircraft.id,
                    start,
                    f"check of {aircraft.id} in {start} outside its window "
                    f"{window.earliest}..{window.latest}",
                )
            )
        window = next_window(instance, aircraft, start)
    if window.required:
        out.append(
            Violation(
                "calendar-limit",
                aircraft.id,
                window.latest,
                f"{aircraft.id} passes its calendar limit in {window.latest} without a check",
            )
        )
    return out


def _hours_and_stays(
    instance: Instance,
    aircraft: Aircraft,
    flying: dict[tuple[str, int], list[str]],
    figures: Figures,
) -> list[Violation]:
    """Recompute the hours left month by month, and the least stays on missions."""
    out: list[Violation] = []
    full = instance.check_type_of(aircraft).max_hours
    hours = aircraft.hours_left
    for t in range(instance.periods):
        if (aircraft.id, t) in figures.in_check:
            hours = full
        else:
            for mission_id in flying.get((aircraft.id, t), []):
                hours -= instance.mission(mission_id).hours
            if hours < 0:
                out.append(
                    Violation("flight-hours", aircraft.id, t, f"{aircraft.id} flies past its hours")
                )
        figures.hours[aircraft.id, t] = hours
    forced = instance.forced_mission_periods(aircraft)
    if forced is not None:
        mission_id, periods = forced
        for t in periods:
            if mission_id not in flying.get((aircraft.id, t), []):
                out.append(
                    Violation(
                        "under-way", aircraft.id, t, f"{aircraft.id} leaves {mission_id} early"
                    )
                )
    under_way = aircraft.mission_under_way
    flown = {m for t in range(instance.periods) for m in flying.get((aircraft.id, t), [])}
    for mission in instance.missions:
        if mission.min_consecutive <= 1 or mission.id not in flown:
            continue
        on = [mission.id in flying.get((aircraft.id, t), []) for t in range(instance.periods)]
        for t, here in enumerate(on):
            before = (
                on[t - 1] if t > 0 else under_way is not None and under_way.mission == mission.id
            )
            if not here or before:
                continue
            stop = min(t + mission.min_consecutive, instance.periods)
            if not all(on[t:stop]):
                out.append(
                    Violation(
                        "minimum-stay",
                        aircraft.id,
                        t,
                        f"{aircraft.id} leaves {mission.id} before "
                        f"{mission.min_consecutive} periods",
                    )
                )
    return out


def _floors(instance: Instance, figures: Figures) -> None:
    """Availability and flight-hour potential of every floor, every period."""
    for floor in instance.floors:
        members = [a for a in instance.aircraft if floor.covers(a)]
        for t in range(instance.periods):
            fixed = sum(1 for a in members if t in instance.fixed_check_periods(a))
            need = min(floor.min_available, len(members) - fixed)
            available = sum(1 for a in members if (a.id, t) not in figures.in_check)
            if need > 0 and available < need:
                figures.floor_misses.append(FloorMiss(floor.id, t, "available", need, available))
            potential = sum(figures.hours[a.id, t] for a in members)
            if members and floor.min_hours > 0 and potential < floor.min_hours:
                figures.floor_misses.append(
                    FloorMiss(floor.id, t, "hours", floor.min_hours, potential)
                )


def _usage(instance: Instance, figures: Figures) -> None:
    """Facility use, availability per nation, and the peak of planned checks."""
    horizon = instance.periods
    for facility in instance.facilities:
        used = sum(figures.facility_load.get((facility.id, t), 0) for t in range(horizon))
        figures.facility_use[facility.id] = used / max(1, facility.slots * horizon)
    nations = sorted({a.nation for a in instance.aircraft})
    for nation in nations:
        fleet = [a for a in instance.aircraft if a.nation == nation]
        series = [
            sum(1 for a in fleet if (a.id, t) not in figures.in_check) for t in range(horizon)
        ]
        figures.availability[nation] = (sum(series) / max(1, horizon), min(series, default=0))
    fixed = {(a.id, t) for a in instance.aircraft for t in instance.fixed_check_periods(a)}
    planned: dict[int, int] = defaultdict(int)
    for _, t in figures.in_check - fixed:
        planned[t] += 1
    figures.peak = max(planned.values(), default=0)
