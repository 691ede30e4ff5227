"""The public Flight and Maintenance Planning (FMP) benchmark: read instances, write plans.

The benchmark (Peschiera et al., ``pchtsp/fmp-instances``, MIT) is one nation's
fleet with one check type and one maintenance line. It maps onto the model as
one nation ``FMP``, one facility with the benchmark's check capacity, and one
floor per **cluster** (the aircraft able to fly the missions of one capability
set): at least max(ceil(``min_avail_percent`` x size), ``min_avail_value``)
aircraft out of check, and at least ``min_hours_perc`` x size x
``max_used_time`` flight hours left, every month. Plans are written in the
benchmark's ``data_out.json`` format, and any cluster-month below a floor is
reported, never hidden.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
from bedeco.planning.engine.validation import Report

NATION = "FMP"
FACILITY = "FMP-line"
CHECK = "M"


def _month_index(label: str) -> int:
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1


def _label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def read_instance(data: Mapping[str, Any], name: str = "fmp") -> Instance:
    """An :class:`Instance` from the benchmark's ``data_in.json`` structure."""
    params = data["parameters"]
    origin = _month_index(params["start"])
    periods = _month_index(params["end"]) - origin + 1
    check_data = data["maintenances"][CHECK]
    resources = data["resources"]
    types = frozenset(str(r["type"]) for r in resources.values())
    check = CheckType(
        id=CHECK,
        aircraft_types=types,
        duration=int(check_data["duration_periods"]),
        max_hours=int(check_data["max_used_time"]),
        max_months=int(check_data["max_elapsed_time"]),
        window=int(check_data["elapsed_time_size"]),
    )
    missions = tuple(
        Mission(
            id=str(key),
            nation=NATION,
            start=_month_index(task["start"]) - origin,
            end=_month_index(task["end"]) - origin,
            required=int(task["num_resource"]),
            hours=int(task["consumption"]),
            min_consecutive=int(task.get("min_assign", 1)),
            capabilities=frozenset(str(c) for c in task["capacities"]),
        )
        for key, task in sorted(data["tasks"].items(), key=lambda kv: _natural(kv[0]))
    )
    aircraft = tuple(
        _aircraft(str(key), res, origin)
        for key, res in sorted(resources.items(), key=lambda kv: _natural(kv[0]))
    )
    capacity = int(check_data.get("capacity", params.get("maint_capacity", 1)))
    facility = Facility(FACILITY, NATION, types, capacity)
    floors = cluster_floors(aircraft, missions, params, check.max_hours)
    return Instance(
        name=name,
        periods=periods,
        aircraft=aircraft,
        missions=missions,
        check_types=(check,),
        facilities=(facility,),
        floors=floors,
        start_month=params["start"],
    )


def _natural(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (10**9, key)


def _aircraft(key: str, res: Mapping[str, Any], origin: int) -> Aircraft:
    """One resource, with the run of states that reaches the month before the start."""
    states = {_month_index(m) - origin: str(s) for m, s in res.get("states", {}).items()}
    check_under_way = None
    mission_under_way = None
    if -1 in states:
        state = states[-1]
        first = -1
        while states.get(first - 1) == state:
            first -= 1
        if state == CHECK:
            check_under_way = CheckUnderWay(first, FACILITY)
        else:
            mission_under_way = MissionUnderWay(state, -first)
    return Aircraft(
        id=key,
        nation=NATION,
        type=str(res["type"]),
        capabilities=frozenset(str(c) for c in res["capacities"]),
        hours_left=int(res["initial_used"]),
        months_left=int(res["initial_elapsed"]),
        check_under_way=check_under_way,
        mission_under_way=mission_under_way,
    )


def cluster_floors(
    aircraft: tuple[Aircraft, ...],
    missions: tuple[Mission, ...],
    params: Mapping[str, Any],
    max_hours: int,
) -> tuple[Floor, ...]:
    """One floor per cluster (distinct capability set of the missions)."""
    floors = []
    for caps in sorted({m.capabilities for m in missions}, key=lambda c: sorted(c)):
        size = sum(1 for a in aircraft if caps <= a.capabilities)
        least = max(
            math.ceil(size * float(params["min_avail_percent"])), int(params["min_avail_value"])
        )
        hours = math.ceil(float(params["min_hours_perc"]) * size * max_hours)
        floors.append(Floor(cluster_name(caps), least, hours, capabilities=caps))
    return tuple(floors)


def cluster_name(capabilities: frozenset[str]) -> str:
    return "cluster-" + "+".join(sorted(capabilities))


def write_solution(instance: Instance, solution: Solution) -> dict[str, Any]:
    """The plan in ``data_out.json`` form: every month in check and every month flown."""
    origin = _month_index(instance.start_month)
    state_m: dict[str, dict[str, dict[str, int]]] = {}
    duration = {a.id: instance.check_type_of(a).duration for a in instance.aircraft}
    for aircraft in instance.aircraft:
        for t in instance.fixed_check_periods(aircraft):
            state_m.setdefault(aircraft.id, {})[_label(origin + t)] = {CHECK: 1}
    for check in solution.checks:
        for t in range(check.start, min(check.start + duration[check.aircraft], instance.periods)):
            state_m.setdefault(check.aircraft, {})[_label(origin + t)] = {CHECK: 1}
    task: dict[str, dict[str, str]] = {}
    for flight in solution.flights:
        task.setdefault(flight.aircraft, {})[_label(origin + flight.period)] = flight.mission
    return {"state_m": state_m, "task": task}


def read_solution(instance: Instance, data: Mapping[str, Any]) -> Solution:
    """A plan from ``data_out.json`` form (check starts are the first month of each run)."""
    origin = _month_index(instance.start_month)
    fixed = {(a.id, t) for a in instance.aircraft for t in instance.fixed_check_periods(a)}
    checks = []
    for aircraft_id, months in data.get("state_m", {}).items():
        periods = sorted(_month_index(m) - origin for m in months)
        duration = instance.check_type_of(
            next(a for a in instance.aircraft if a.id == aircraft_id)
        ).duration
        t_prev = None
        run_start = None
        for t in periods:
            if (aircraft_id, t) in fixed:
                continue
            if (
                t_prev is None
                or t != t_prev + 1
                or (run_start is not None and t - run_start >= duration)
            ):
                run_start = t
                checks.append(PlannedCheck(aircraft_id, t, FACILITY))
            t_prev = t
    flights = [
        Flight(aircraft_id, str(mission), _month_index(month) - origin)
        for aircraft_id, months in data.get("task", {}).items()
        for month, mission in months.items()
    ]
    return Solution(
        Policy.NATIONAL, tuple(sorted(checks)), tuple(sorted(flights)), "file", "FEASIBLE"
    )


@dataclass(frozen=True)
class ClusterMiss:
    """A cluster below one of its floors in one month."""

    cluster: str
    month: str
    kind: str
    need: int
    got: int


def cluster_misses(instance: Instance, report: Report) -> list[ClusterMiss]:
    """Every cluster-month below a floor, by cluster and month."""
    return [
        ClusterMiss(m.floor, instance.period_label(m.period), m.kind, m.need, m.got)
        for m in report.figures.floor_misses
    ]
