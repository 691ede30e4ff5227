"""The rules of the plan, one class per rule family, each stated in domain words.

Every class cites the seed clause it serves (recital M: economies of scale;
request 6: common maintenance of materiel; request 7: a Benelux helicopter
command with joint maintenance; request 15: pooling and sharing). A rule adds
its constraints to the shared :class:`ModelVars`; ``validation.py`` checks the
same rules again without the solver.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from bedeco.planning.engine.due import first_window, next_window, possible_starts
from bedeco.planning.engine.instance import Policy
from bedeco.planning.engine.variables import Expr, ModelVars, Var


class Rule(Protocol):
    """A rule family: adds its constraints to the model."""

    def apply(self, v: ModelVars) -> None: ...


class OneStatePerPeriod:
    """An aircraft is, each period, in a check, on one mission, or on the ground.

    Serves request 6: a shared maintenance plan is only real if an aircraft in
    a check is not counted as flying.
    """

    def apply(self, v: ModelVars) -> None:
        for aircraft in v.instance.aircraft:
            for t in range(v.instance.periods):
                flights = [var for _, var in v.fly_at.get((aircraft.id, t), [])]
                if flights:
                    v.model.add(sum(flights) + v.in_check[aircraft.id, t] <= 1)


class StatesUnderWay:
    """A check under way runs to its end; a mission under way keeps the aircraft
    until its least stay is served.

    Serves request 15: pooling starts from the fleets as they are, not from a
    blank sheet.
    """

    def apply(self, v: ModelVars) -> None:
        for aircraft in v.instance.aircraft:
            forced = v.instance.forced_mission_periods(aircraft)
            if forced is None:
                continue
            mission_id, periods = forced
            for t in periods:
                var = v.fly.get((aircraft.id, mission_id, t))
                if var is None:
                    v.impossible()
                else:
                    v.model.add(var == 1)


class CalendarLimit:
    """Every check starts within its window before the calendar limit, and the
    next one follows within the limit after it.

    Serves request 6 (common maintenance): airworthiness is not negotiable, so
    the calendar limit is a hard rule in every policy.
    """

    def apply(self, v: ModelVars) -> None:
        instance = v.instance
        for aircraft in instance.aircraft:
            starts = possible_starts(instance, aircraft)
            xs = {t: v.starts_at[aircraft.id, t] for t in starts if (aircraft.id, t) in v.starts_at}
            first = first_window(instance, aircraft)
            in_first = [xs[t] for t in first.periods(instance.periods) if t in xs]
            if first.required and not in_first:
                v.impossible()
                continue
            if in_first:
                if first.required:
                    v.model.add_exactly_one(in_first)
                else:
                    v.model.add_at_most_one(in_first)
            first_set = set(first.periods(instance.periods))
            check = instance.check_type_of(aircraft)
            spacing = check.duration + check.max_months - check.window
            for t, x in xs.items():
                if t not in first_set:
                    preds = [
                        xs[s]
                        for s in xs
                        if s < t
                        and t in next_window(instance, aircraft, s).periods(instance.periods)
                    ]
                    v.model.add_bool_or([x.Not(), *preds])
                follow = next_window(instance, aircraft, t)
                if follow.required:
                    succ = [xs[s] for s in follow.periods(instance.periods) if s in xs]
                    v.model.add_bool_or([x.Not(), *succ])
                close = [xs[s] for s in xs if t <= s < t + spacing]
                if len(close) > 1:
                    v.model.add_at_most_one(close)


class FlightHourLimit:
    """An aircraft never flies past the hours left before its check; a check
    restores the full potential.

    Serves recital M: the fleet's flight-hour potential is the asset pooling
    must protect, not spend.
    """

    def apply(self, v: ModelVars) -> None:
        instance = v.instance
        hours_of = {m.id: m.hours for m in instance.missions}
        for aircraft in instance.aircraft:
            full = instance.check_type_of(aircraft).max_hours
            previous: Var | int = aircraft.hours_left
            for t in range(instance.periods):
                hours = v.hours[aircraft.id, t]
                flights = v.fly_at.get((aircraft.id, t), [])
                flown = sum(hours_of[m] * var for m, var in flights)
                busy = v.in_check[aircraft.id, t]
                if isinstance(busy, int):
                    if busy:
                        v.model.add(hours == full)
                    else:
                        v.model.add(hours == previous - flown)
                else:
                    v.model.add(hours == full).only_enforce_if(busy)
                    v.model.add(hours == previous - flown).only_enforce_if(busy.Not())
                previous = hours


class FacilitySlots:
    """A facility holds at most its slots of checks at the same time, only of
    types it is certified for, and (national policy) only its own nation's.

    Serves requests 6 and 15: the facilities are the shared resource whose
    pooling the study measures. Certification and ownership are enforced by
    the variables that exist; the slots here.
    """

    def apply(self, v: ModelVars) -> None:
        instance = v.instance
        load: dict[tuple[str, int], list[Var]] = defaultdict(list)
        fixed = instance.slots_taken()
        duration = {a.id: instance.check_type_of(a).duration for a in instance.aircraft}
        for (aircraft_id, s, facility_id), var in v.start.items():
            for t in range(s, min(s + duration[aircraft_id], instance.periods)):
                load[facility_id, t].append(var)
        for facility in instance.facilities:
            for t in range(instance.periods):
                terms = load.get((facility.id, t), [])
                if terms:
                    v.model.add(sum(terms) + fixed[facility.id, t] <= facility.slots)
                elif fixed[facility.id, t] > facility.slots:
                    v.impossible()


class MissionCoverage:
    """Shortfall of a mission in a period is the aircraft it required but did not get.

    Serves request 7 (helicopter command): what a pooled fleet can fly is
    the figure the study exists to produce.
    """

    def apply(self, v: ModelVars) -> None:
        flying: dict[tuple[str, int], list[Var]] = defaultdict(list)
        for (_, mission_id, t), var in v.fly.items():
            flying[mission_id, t].append(var)
        forced = v.instance.forced_cover()
        for mission in v.instance.missions:
            for t in range(max(0, mission.start), min(mission.end, v.instance.periods - 1) + 1):
                got = flying.get((mission.id, t), [])
                v.model.add(v.shortfall[mission.id, t] + sum(got) >= mission.required)
                # More aircraft than required only burn hours; missions under way may exceed.
                if got:
                    v.model.add(sum(got) <= mission.required + forced.get((mission.id, t), 0))


class MinimumStay:
    """An aircraft that joins a mission stays at least its least number of
    consecutive periods, unless the horizon ends first.

    Serves request 7: crews and aircraft rotate in blocks, not month by month.
    """

    def apply(self, v: ModelVars) -> None:
        instance = v.instance
        last = instance.periods - 1
        for (aircraft_id, mission_id, t), var in v.fly.items():
            mission = instance.mission(mission_id)
            if mission.min_consecutive <= 1:
                continue
            aircraft = next(a for a in instance.aircraft if a.id == aircraft_id)
            before = v.fly.get((aircraft_id, mission_id, t - 1))
            under_way = aircraft.mission_under_way
            joined: Expr
            if before is not None:
                joined = var - before
            elif t == 0 and under_way is not None and under_way.mission == mission_id:
                continue
            else:
                joined = var
            for j in range(1, mission.min_consecutive):
                u = t + j
                if u > last:
                    break
                after = v.fly.get((aircraft_id, mission_id, u))
                if after is None:
                    v.model.add(joined <= 0)
                    break
                v.model.add(joined <= after)


class JointCap:
    """Under the joint command a nation lends at most its cap of aircraft to
    other nations' or joint missions each period.

    Serves request 7 (joint helicopter command) and keeps the sovereignty the
    three parliaments ask for: lending is bounded.
    """

    def apply(self, v: ModelVars) -> None:
        if v.policy is not Policy.JOINT or not v.instance.joint_cap:
            return
        nation_of = {a.id: a.nation for a in v.instance.aircraft}
        mission_nation = {m.id: m.nation for m in v.instance.missions}
        lent: dict[tuple[str, int], list[Var]] = defaultdict(list)
        for (aircraft_id, mission_id, t), var in v.fly.items():
            nation = nation_of[aircraft_id]
            if mission_nation[mission_id] != nation:
                lent[nation, t].append(var)
        for (nation, _), terms in lent.items():
            cap = v.instance.joint_cap.get(nation)
            if cap is not None:
                v.model.add(sum(terms) <= cap)


class SovereigntyFloors:
    """Each floor keeps its least aircraft out of check and its least flight-hour
    potential every period; a miss is allowed only at the highest price.

    Serves recital M and request 15 within sovereignty: pooling may not leave a
    nation without what it must keep. The availability floor is lowered where
    checks under way already take the aircraft (nothing the plan can change).
    """

    def apply(self, v: ModelVars) -> None:
        instance = v.instance
        for floor in instance.floors:
            members = [a for a in instance.aircraft if floor.covers(a)]
            for t in range(instance.periods):
                need = instance.least_available(floor, members, t)
                busy = sum(v.in_check[a.id, t] for a in members)
                miss = v.available_miss[floor.id, t]
                if need > 0:
                    v.model.add(busy <= len(members) - need + need * miss)
                else:
                    v.model.add(miss == 0)
                hmiss = v.hours_miss[floor.id, t]
                if floor.min_hours > 0 and members:
                    potential = sum(v.hours[a.id, t] for a in members)
                    v.model.add(potential >= floor.min_hours - floor.min_hours * hmiss)
                else:
                    v.model.add(hmiss == 0)


class CheckSpread:
    """The peak number of checks under way in one period, to spread checks over time.

    Serves request 6: a maintenance plan that bunches checks strains the
    facilities and crews it shares.
    """

    def apply(self, v: ModelVars) -> None:
        assert v.peak is not None
        for t in range(v.instance.periods):
            busy = [
                v.in_check[a.id, t]
                for a in v.instance.aircraft
                if not isinstance(v.in_check[a.id, t], int)
            ]
            if busy:
                v.model.add(sum(busy) <= v.peak)


RULES: tuple[Rule, ...] = (
    OneStatePerPeriod(),
    StatesUnderWay(),
    CalendarLimit(),
    FlightHourLimit(),
    FacilitySlots(),
    MissionCoverage(),
    MinimumStay(),
    JointCap(),
    SovereigntyFloors(),
    CheckSpread(),
)
"""Every rule family, in the order the model adds them."""
