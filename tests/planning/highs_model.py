"""The planning rules as a mixed-integer programme for HiGHS: the independent cross-check.

CP-SAT proves plans optimal with half-reified constraints; this module states
the same rules as plain linear inequalities (big-M where CP-SAT uses
``only_enforce_if``) and solves them with a different solver, level by level
(floor misses, then shortfall, then cost, then the peak of checks). On small
instances both must reach the same optimal levels. Only the calendar windows
(``due.py``) and the instance's own helpers are shared.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import highspy

from bedeco.planning.engine.due import first_window, next_window, possible_starts
from bedeco.planning.engine.instance import Instance, Policy


def lexicographic_optimum(
    instance: Instance, policy: Policy, time_limit: float = 30.0
) -> tuple[int, int, int, int] | None:
    """The optimal (floor misses, shortfall, cost, peak), or None when no plan exists."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    levels = _build(h, instance, policy)
    if levels is None:
        return None
    found: list[int] = []
    for expression in levels:
        h.minimize(expression)
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS stopped with {h.modelStatusToString(status)}")
        value = round(h.getInfo().objective_function_value)
        found.append(value)
        h.addConstr(expression <= value)
    return (found[0], found[1], found[2], found[3])


def _build(h: highspy.Highs, instance: Instance, policy: Policy) -> list[Any] | None:
    """Variables and rules; the four objective expressions, or None if a rule cannot hold."""
    horizon = range(instance.periods)
    by_id = {a.id: a for a in instance.aircraft}
    start: dict[tuple[str, int, str], Any] = {}
    starts_at: dict[tuple[str, int], list[Any]] = defaultdict(list)
    cost_terms = []
    for aircraft in instance.aircraft:
        facilities = [f for f in instance.facilities if instance.may_maintain(aircraft, f, policy)]
        for t in possible_starts(instance, aircraft) if facilities else []:
            for facility in facilities:
                var = h.addBinary()
                start[aircraft.id, t, facility.id] = var
                starts_at[aircraft.id, t].append(var)
                cost_terms.append(instance.check_cost(aircraft, facility) * var)

    def began(aircraft_id: str, t: int) -> Any:
        return sum(starts_at[aircraft_id, t]) if starts_at.get((aircraft_id, t)) else 0

    in_check: dict[tuple[str, int], Any] = {}
    fixed_periods = {a.id: set(instance.fixed_check_periods(a)) for a in instance.aircraft}
    for aircraft in instance.aircraft:
        duration = instance.check_type_of(aircraft).duration
        for t in horizon:
            if t in fixed_periods[aircraft.id]:
                in_check[aircraft.id, t] = 1
            else:
                in_check[aircraft.id, t] = sum(
                    began(aircraft.id, s) for s in range(t - duration + 1, t + 1)
                )

    fly: dict[tuple[str, str, int], Any] = {}
    fly_at: dict[tuple[str, int], list[tuple[str, Any]]] = defaultdict(list)
    for aircraft in instance.aircraft:
        for mission in instance.missions:
            if not instance.may_fly(aircraft, mission, policy):
                continue
            for t in range(max(0, mission.start), min(mission.end, instance.periods - 1) + 1):
                if t in fixed_periods[aircraft.id]:
                    continue
                var = h.addBinary()
                fly[aircraft.id, mission.id, t] = var
                fly_at[aircraft.id, t].append((mission.id, var))

    # One state per period.
    for aircraft in instance.aircraft:
        for t in horizon:
            flights = [var for _m, var in fly_at.get((aircraft.id, t), [])]
            if flights:
                h.addConstr(sum(flights) + in_check[aircraft.id, t] <= 1)

    # Missions under way keep their aircraft.
    for aircraft in instance.aircraft:
        forced = instance.forced_mission_periods(aircraft)
        if forced is not None:
            mission_id, periods = forced
            for t in periods:
                if (aircraft.id, mission_id, t) not in fly:
                    return None
                h.addConstr(fly[aircraft.id, mission_id, t] == 1)

    # Calendar windows.
    for aircraft in instance.aircraft:
        xs = {t: began(aircraft.id, t) for t in possible_starts(instance, aircraft)}
        xs = {t: x for t, x in xs.items() if not isinstance(x, int)}
        first = first_window(instance, aircraft)
        first_periods = set(first.periods(instance.periods))
        in_first = [xs[t] for t in first_periods if t in xs]
        if first.required and not in_first:
            return None
        if in_first:
            h.addConstr(sum(in_first) == 1 if first.required else sum(in_first) <= 1)
        check = instance.check_type_of(aircraft)
        spacing = check.duration + check.max_months - check.window
        for t, x in xs.items():
            if t not in first_periods:
                preds = [
                    xs[s]
                    for s in xs
                    if s < t and t in next_window(instance, aircraft, s).periods(instance.periods)
                ]
                h.addConstr(x <= sum(preds) if preds else x <= 0)
            follow = next_window(instance, aircraft, t)
            if follow.required:
                succ = [xs[s] for s in follow.periods(instance.periods) if s in xs]
                h.addConstr(x <= sum(succ) if succ else x <= 0)
            close = [xs[s] for s in xs if t <= s < t + spacing]
            if len(close) > 1:
                h.addConstr(sum(close) <= 1)

    # Flight hours: a check restores the full potential; hours never go below zero.
    hours: dict[tuple[str, int], Any] = {}
    hours_of = {m.id: m.hours for m in instance.missions}
    for aircraft in instance.aircraft:
        full = instance.check_type_of(aircraft).max_hours
        top = max(full, aircraft.hours_left)
        most_flown = max((m.hours for m in instance.missions), default=0)
        big = top + most_flown
        previous: Any = aircraft.hours_left
        for t in horizon:
            var = h.addVariable(lb=0, ub=top)
            hours[aircraft.id, t] = var
            flown = sum(hours_of[m] * f for m, f in fly_at.get((aircraft.id, t), []))
            busy = in_check[aircraft.id, t]
            if isinstance(busy, int) and busy:
                h.addConstr(var == full)
            elif isinstance(busy, int):
                h.addConstr(var == previous - flown)
            else:
                h.addConstr(var - (previous - flown) <= big * busy)
                h.addConstr((previous - flown) - var <= big * busy)
                h.addConstr(var >= full * busy)
                h.addConstr(var <= full + big * (1 - busy))
            previous = var

    # Facility slots.
    load: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for (aircraft_id, s, facility_id), var in start.items():
        duration = instance.check_type_of(by_id[aircraft_id]).duration
        for t in range(s, min(s + duration, instance.periods)):
            load[facility_id, t].append(var)
    fixed_load: dict[tuple[str, int], int] = defaultdict(int)
    for aircraft in instance.aircraft:
        if aircraft.check_under_way is not None:
            for t in fixed_periods[aircraft.id]:
                fixed_load[aircraft.check_under_way.facility, t] += 1
    for facility in instance.facilities:
        for t in horizon:
            if fixed_load[facility.id, t] > facility.slots:
                return None
            if load.get((facility.id, t)):
                h.addConstr(
                    sum(load[facility.id, t]) + fixed_load[facility.id, t] <= facility.slots
                )

    # Coverage and shortfall.
    forced_count: dict[tuple[str, int], int] = defaultdict(int)
    for aircraft in instance.aircraft:
        held = instance.forced_mission_periods(aircraft)
        if held is not None:
            for t in held[1]:
                forced_count[held[0], t] += 1
    flying: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for (_a, mission_id, t), var in fly.items():
        flying[mission_id, t].append(var)
    shortfall_terms = []
    for mission in instance.missions:
        for t in range(max(0, mission.start), min(mission.end, instance.periods - 1) + 1):
            short = h.addIntegral(lb=0, ub=mission.required)
            shortfall_terms.append(short)
            got = flying.get((mission.id, t), [])
            h.addConstr(short + sum(got) >= mission.required)
            if got:
                h.addConstr(sum(got) <= mission.required + forced_count[mission.id, t])

    # Least stay on a mission once joined.
    last = instance.periods - 1
    for (aircraft_id, mission_id, t), var in fly.items():
        mission = instance.mission(mission_id)
        if mission.min_consecutive <= 1:
            continue
        before = fly.get((aircraft_id, mission_id, t - 1))
        under_way = by_id[aircraft_id].mission_under_way
        if before is None and t == 0 and under_way is not None and under_way.mission == mission_id:
            continue
        joined = var - before if before is not None else var
        for j in range(1, mission.min_consecutive):
            if t + j > last:
                break
            after = fly.get((aircraft_id, mission_id, t + j))
            if after is None:
                h.addConstr(joined <= 0)
                break
            h.addConstr(joined <= after)

    # Lending cap under the joint command.
    if policy is Policy.JOINT and instance.joint_cap:
        lent: dict[tuple[str, int], list[Any]] = defaultdict(list)
        for (aircraft_id, mission_id, t), var in fly.items():
            nation = by_id[aircraft_id].nation
            if instance.mission(mission_id).nation != nation:
                lent[nation, t].append(var)
        for (nation, _t), terms in lent.items():
            cap = instance.joint_cap.get(nation)
            if cap is not None:
                h.addConstr(sum(terms) <= cap)

    # Floors.
    miss_terms = []
    for floor in instance.floors:
        members = [a for a in instance.aircraft if floor.covers(a)]
        for t in horizon:
            fixed = sum(1 for a in members if t in fixed_periods[a.id])
            need = min(floor.min_available, len(members) - fixed)
            if need > 0:
                miss = h.addBinary()
                miss_terms.append(miss)
                busy = sum(in_check[a.id, t] for a in members)
                h.addConstr(busy <= len(members) - need + need * miss)
            if floor.min_hours > 0 and members:
                hmiss = h.addBinary()
                miss_terms.append(hmiss)
                potential = sum(hours[a.id, t] for a in members)
                h.addConstr(potential >= floor.min_hours - floor.min_hours * hmiss)

    # Peak of checks planned at once.
    peak = h.addIntegral(lb=0, ub=len(instance.aircraft))
    for t in horizon:
        busy_terms = [
            in_check[a.id, t] for a in instance.aircraft if not isinstance(in_check[a.id, t], int)
        ]
        if busy_terms:
            h.addConstr(sum(busy_terms) <= peak)

    zero = h.addVariable(lb=0, ub=0)
    return [
        sum(miss_terms) + zero,
        sum(shortfall_terms) + zero,
        sum(cost_terms) + zero,
        peak + zero,
    ]
