"""Better plans from check patterns: a mixed-integer model of one part, solved by HiGHS.

Column generation (``colgen.py``) proves bounds, but its schedules do not fit
together in integers. Its *check patterns* (when and where each aircraft is
checked) do: here each aircraft picks one pattern among those the relaxation
used and its plan's own. With the pattern known, the hours an aircraft has
left are linear in its flights (the reset at each check is known), so this
model's relaxation keeps most of the column generation's strength where
CP-SAT's keeps none of the hour rule. HiGHS's branch and bound, started
from the best plan so far, then finds better plans of the hard part than
CP-SAT's neighbourhood search (see ``docs/planning.md``).

Flights are binary, one per aircraft, mission and month; they are split by
pattern only in continuous copies (``y <= pattern chosen``) that carry the
hours, so the integer variables are the patterns and the flights.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import highspy
import numpy as np

from bedeco.planning.engine.colgen import FloorRow, Schedule
from bedeco.planning.engine.highs import silent_highs
from bedeco.planning.engine.instance import Aircraft, Instance, Mission, Policy
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution
from bedeco.planning.engine.validation import Report

INF = highspy.kHighsInf
METHOD = "check patterns (HiGHS)"

Pattern = tuple[PlannedCheck, ...]
"""One aircraft's checks over the horizon."""


def offered_patterns(schedules: Iterable[Schedule]) -> dict[str, list[Pattern]]:
    """Each aircraft's distinct check patterns among ``schedules``, in order of appearance."""
    offered: dict[str, list[Pattern]] = {}
    for schedule in schedules:
        patterns = offered.setdefault(schedule.aircraft, [])
        if schedule.checks not in patterns:
            patterns.append(schedule.checks)
    return offered


def missed_rows(report: Report) -> frozenset[FloorRow]:
    """The floor rows a validated plan misses."""
    kinds = {"available": "a", "hours": "h"}
    return frozenset((kinds[m.kind], m.floor, m.period) for m in report.figures.floor_misses)


def beside(rows: frozenset[FloorRow], periods: int) -> frozenset[FloorRow]:
    """The rows a month before and after each of ``rows`` (same rule, same floor), not in it.

    A floor's hour potential falls and rises over months, so a plan's misses
    come in runs; moving a run by a month is a miss the plan does not have.
    """
    near = {(kind, floor, t + step) for kind, floor, t in rows for step in (-1, 1)}
    return frozenset(row for row in near if 0 <= row[2] < periods) - rows


class _Rows:
    """Columns and rows gathered in Python, passed to HiGHS in one go."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[list[tuple[int, float]], float, float]] = []

    def var(self, low: float, high: float, *, cost: float = 0.0, integer: bool = False) -> int:
        self.lower.append(low)
        self.upper.append(high)
        self.cost.append(cost)
        self.integer.append(1 if integer else 0)
        return len(self.lower) - 1

    def row(self, terms: list[tuple[int, float]], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def highs(self) -> highspy.Highs:
        model = silent_highs()
        count = len(self.lower)
        every = np.arange(count, dtype=np.int32)
        model.addVars(count, np.array(self.lower), np.array(self.upper))
        model.changeColsCost(count, every, np.array(self.cost))
        model.changeColsIntegrality(count, every, np.array(self.integer, dtype=np.uint8))
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for terms, _, _ in self.rows:
            starts.append(len(index))
            summed: dict[int, float] = defaultdict(float)
            for column, coefficient in terms:
                summed[column] += coefficient
            for column, coefficient in summed.items():
                if coefficient:
                    index.append(column)
                    value.append(coefficient)
        model.addRows(
            len(self.rows),
            np.array([low for _, low, _ in self.rows], dtype=np.float64),
            np.array([high for _, _, high in self.rows], dtype=np.float64),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )
        return model


class PatternModel:
    """Least shortfall when each aircraft's checks follow one of its ``patterns``.

    Floor rows in ``relaxed`` are left out: the misses a planner accepts,
    placed beforehand. Rows in ``optional`` may be missed, at most
    ``allowance`` of them, each miss weighing less than one aircraft-month of
    shortfall (a binary per row: kept to a few rows, the relaxation stays
    strong). Every other floor is kept in every period.
    """

    def __init__(
        self,
        instance: Instance,
        policy: Policy,
        patterns: Mapping[str, Sequence[Pattern]],
        relaxed: frozenset[FloorRow] = frozenset(),
        optional: frozenset[FloorRow] = frozenset(),
        allowance: int = 0,
    ) -> None:
        self.instance = instance
        self.policy = policy
        self.patterns = {a.id: list(patterns.get(a.id, ())) for a in instance.aircraft}
        self.relaxed = relaxed
        self.optional = optional - relaxed
        self.allowance = allowance
        self.short_cost = float(len(self.optional) + 1)
        """Shortfall's weight: above every optional miss together, the objective integral."""
        self.misses: dict[FloorRow, tuple[int, list[tuple[int, float]], float]] = {}
        """Per optional row: its miss, the row's terms and what the row needs."""
        self.allowance_row: int | None = None
        """The row that caps the optional misses (None without optional rows)."""
        self.rows = _Rows()
        self.choice: dict[tuple[str, int], int] = {}
        self.fly: dict[tuple[str, str, int], int] = {}
        self.copies: dict[tuple[str, int, str, int], int] = {}
        self.shortfall: dict[tuple[str, int], int] = {}
        self.running: dict[tuple[str, int], list[tuple[int, list[tuple[int, float]], int | None]]]
        self.running = defaultdict(list)
        """Per aircraft and pattern: each month's running sum of hours flown in its stretch,
        that month's flights (copy, hours) and the previous month's sum (None at a stretch's start)."""
        self.potential: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        self.available: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        self.load: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        for aircraft in instance.aircraft:
            self._aircraft(aircraft)
        self._cover()
        self._floors()
        self._slots()
        self._lending()

    # --- one aircraft -------------------------------------------------------------
    def _aircraft(self, aircraft: Aircraft) -> None:
        instance = self.instance
        fixed = set(instance.fixed_check_periods(aircraft))
        missions = [m for m in instance.missions if instance.may_fly(aircraft, m, self.policy)]
        for mission in missions:
            for t in range(max(0, mission.start), min(mission.end, instance.periods - 1) + 1):
                if t not in fixed:
                    self.fly[aircraft.id, mission.id, t] = self.rows.var(0, 1, integer=True)
        choices = []
        for index, pattern in enumerate(self.patterns[aircraft.id]):
            chosen = self.rows.var(0, 1, integer=True)
            self.choice[aircraft.id, index] = chosen
            choices.append((chosen, 1.0))
            self._pattern(aircraft, index, pattern, fixed, missions)
        self.rows.row(choices, 1, 1)
        copies: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        for (aircraft_id, _, mission_id, t), copy in self.copies.items():
            if aircraft_id == aircraft.id:
                copies[mission_id, t].append((copy, -1.0))
        for (aircraft_id, mission_id, t), flies in self.fly.items():
            if aircraft_id == aircraft.id:
                self.rows.row([(flies, 1.0), *copies[mission_id, t]], 0, 0)
        self._stays(aircraft, missions)

    def _pattern(
        self,
        aircraft: Aircraft,
        index: int,
        pattern: Pattern,
        fixed: set[int],
        missions: list[Mission],
    ) -> None:
        """Flights under one pattern: hours per stretch between checks, floors' terms."""
        check = self.instance.check_type_of(aircraft)
        chosen = self.choice[aircraft.id, index]
        in_check: dict[int, str | None] = dict.fromkeys(fixed)
        for planned in pattern:
            for t in range(
                planned.start, min(planned.start + check.duration, self.instance.periods)
            ):
                in_check[t] = planned.facility
        floors = [f.id for f in self.instance.floors if f.covers(aircraft)]
        hours = check.max_hours if fixed else aircraft.hours_left
        flown: int | None = None  # hours flown so far in this stretch, a variable
        for t in range(self.instance.periods):
            if t in in_check:
                facility = in_check[t]
                if facility is not None:
                    self.load[facility, t].append((chosen, 1.0))
                hours, flown = check.max_hours, None
                for floor_id in floors:
                    self.potential[floor_id, t].append((chosen, float(hours)))
                continue
            month: list[tuple[int, float]] = []
            for mission in missions:
                if (aircraft.id, mission.id, t) in self.fly:
                    copy = self.rows.var(0, 1)
                    self.copies[aircraft.id, index, mission.id, t] = copy
                    month.append((copy, float(mission.hours)))
            if month:
                self.rows.row([(c, 1.0) for c, _ in month] + [(chosen, -1.0)], -INF, 0)
                total = self.rows.var(0, INF)
                self.running[aircraft.id, index].append((total, month, flown))
                before = [(flown, -1.0)] if flown is not None else []
                self.rows.row([(total, 1.0), *((c, -h) for c, h in month), *before], 0, 0)
                self.rows.row([(total, 1.0), (chosen, -float(hours))], -INF, 0)
                flown = total
            for floor_id in floors:
                self.available[floor_id, t].append((chosen, 1.0))
                self.potential[floor_id, t].append((chosen, float(hours)))
                if flown is not None:
                    self.potential[floor_id, t].append((flown, -1.0))

    def _stays(self, aircraft: Aircraft, missions: list[Mission]) -> None:
        """Least stays on the flights themselves; missions under way held."""
        horizon = self.instance.periods
        held = self.instance.forced_mission_periods(aircraft)
        if held is not None:
            for t in held[1]:
                column = self.fly.get((aircraft.id, held[0], t))
                if column is not None:
                    self.rows.lower[column] = 1
        under_way = aircraft.mission_under_way
        for mission in missions:
            if mission.min_consecutive <= 1:
                continue
            for t in range(max(0, mission.start), min(mission.end, horizon - 1) + 1):
                flies = self.fly.get((aircraft.id, mission.id, t))
                if flies is None:
                    continue
                before = self.fly.get((aircraft.id, mission.id, t - 1))
                was_on = t == 0 and under_way is not None and under_way.mission == mission.id
                for ahead in range(1, mission.min_consecutive):
                    if t + ahead >= horizon:
                        break
                    # Joining in t (on in t, off in t - 1) means being on in t + ahead.
                    terms = [(flies, 1.0)]
                    if before is not None:
                        terms.append((before, -1.0))
                    later = self.fly.get((aircraft.id, mission.id, t + ahead))
                    if later is not None:
                        terms.append((later, -1.0))
                    self.rows.row(terms, -INF, 1 if was_on else 0)

    # --- shared rows ----------------------------------------------------------------
    def _cover(self) -> None:
        instance = self.instance
        forced = instance.forced_cover()
        got: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        for (_, mission_id, t), flies in self.fly.items():
            got[mission_id, t].append((flies, 1.0))
        for mission in instance.missions:
            for t in range(max(0, mission.start), min(mission.end, instance.periods - 1) + 1):
                short = self.rows.var(0, mission.required, cost=self.short_cost)
                self.shortfall[mission.id, t] = short
                flights = got[mission.id, t]
                self.rows.row([*flights, (short, 1.0)], mission.required, INF)
                self.rows.row(flights, -INF, mission.required + forced[mission.id, t])

    def _floors(self) -> None:
        instance = self.instance
        for floor in instance.floors:
            members = [a for a in instance.aircraft if floor.covers(a)]
            for t in range(instance.periods):
                need = instance.least_available(floor, members, t)
                if need > 0:
                    self._floor(("a", floor.id, t), self.available[floor.id, t], need)
                if floor.min_hours > 0 and members:
                    self._floor(("h", floor.id, t), self.potential[floor.id, t], floor.min_hours)
        if self.misses:
            every = [(miss, 1.0) for miss, _, _ in self.misses.values()]
            self.allowance_row = len(self.rows.rows)
            self.rows.row(every, -INF, self.allowance)

    def _floor(self, row: FloorRow, terms: list[tuple[int, float]], need: float) -> None:
        """One floor row: kept, dropped (``relaxed``) or kept unless its miss is chosen."""
        if row in self.relaxed:
            return
        if row in self.optional:
            miss = self.rows.var(0, 1, cost=1.0, integer=True)
            self.misses[row] = (miss, terms, need)
            terms = [*terms, (miss, need)]
        self.rows.row(terms, need, INF)

    def _slots(self) -> None:
        instance = self.instance
        taken = instance.slots_taken()
        for (facility_id, t), terms in self.load.items():
            free = instance.facility(facility_id).slots - taken[facility_id, t]
            self.rows.row(terms, -INF, free)

    def _lending(self) -> None:
        if self.policy is not Policy.JOINT:
            return
        nation_of = {a.id: a.nation for a in self.instance.aircraft}
        owner = {m.id: m.nation for m in self.instance.missions}
        lent: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
        for (aircraft_id, mission_id, t), flies in self.fly.items():
            if owner[mission_id] != nation_of[aircraft_id]:
                lent[nation_of[aircraft_id], t].append((flies, 1.0))
        for (nation, _), terms in lent.items():
            cap = self.instance.joint_cap.get(nation)
            if cap is not None:
                self.rows.row(terms, -INF, cap)

    # --- plans in and out ---------------------------------------------------------
    def values_of(self, plan: Solution) -> np.ndarray | None:
        """The model's variables set to ``plan`` (None if a pattern is not offered)."""
        values = np.zeros(len(self.rows.lower))
        checks: dict[str, list[PlannedCheck]] = defaultdict(list)
        for check in plan.checks:
            checks[check.aircraft].append(check)
        index_of: dict[str, int] = {}
        for aircraft in self.instance.aircraft:
            pattern = tuple(sorted(checks[aircraft.id]))
            if pattern not in self.patterns[aircraft.id]:
                return None
            index_of[aircraft.id] = self.patterns[aircraft.id].index(pattern)
            values[self.choice[aircraft.id, index_of[aircraft.id]]] = 1
        got: dict[tuple[str, int], int] = defaultdict(int)
        for flight in plan.flights:
            flies = self.fly.get((flight.aircraft, flight.mission, flight.period))
            copy = self.copies.get(
                (flight.aircraft, index_of[flight.aircraft], flight.mission, flight.period)
            )
            if flies is None or copy is None:
                return None
            values[flies] = values[copy] = 1
            got[flight.mission, flight.period] += 1
        for aircraft_id, index in index_of.items():
            for total, month, before in self.running[aircraft_id, index]:
                flown = values[before] if before is not None else 0.0
                values[total] = flown + sum(values[copy] * hours for copy, hours in month)
        for (mission_id, t), short in self.shortfall.items():
            values[short] = max(0, self.instance.mission(mission_id).required - got[mission_id, t])
        for miss, terms, need in self.misses.values():
            values[miss] = float(sum(values[c] * k for c, k in terms) < need - 1e-6)
        return values

    def plan_of(self, values: Sequence[float]) -> Solution:
        checks = [
            check
            for (aircraft_id, index), chosen in self.choice.items()
            if values[chosen] > 0.5
            for check in self.patterns[aircraft_id][index]
        ]
        flights = [
            Flight(aircraft_id, mission_id, t)
            for (aircraft_id, mission_id, t), flies in self.fly.items()
            if values[flies] > 0.5
        ]
        return Solution(
            self.policy, tuple(sorted(checks)), tuple(sorted(flights)), METHOD, "FEASIBLE"
        )


def pattern_plan(
    instance: Instance,
    policy: Policy,
    patterns: Mapping[str, Sequence[Pattern]],
    time_limit: float,
    *,
    relaxed: frozenset[FloorRow] = frozenset(),
    optional: frozenset[FloorRow] = frozenset(),
    allowance: int = 0,
    start: Solution | None = None,
    cancel: threading.Event | None = None,
    on_plan: Callable[[Solution], None] | None = None,
    seed: int = 0,
) -> Solution | None:
    """The least-shortfall plan HiGHS finds within ``time_limit`` among ``patterns``.

    ``start`` (a plan whose checks are among the patterns) is offered as the
    first incumbent; ``on_plan`` hears each better plan; ``cancel`` stops the
    search with the best so far; ``seed`` is HiGHS's random seed. None when
    no plan was found.
    """
    model = PatternModel(instance, policy, patterns, relaxed, optional, allowance)
    if not model.choice and instance.aircraft:
        return None
    highs = model.rows.highs()
    highs.setOptionValue("time_limit", max(0.1, float(time_limit)))
    highs.setOptionValue("random_seed", seed)
    if start is not None:
        values = model.values_of(start)
        if values is not None:
            given = highspy.HighsSolution()
            given.col_value = list(values)
            given.value_valid = True
            highs.setSolution(given)

    def improved(event: Any) -> None:
        if on_plan is not None:
            on_plan(model.plan_of(event.data_out.mip_solution))

    def interrupt(event: Any) -> None:
        if cancel is not None and cancel.is_set():
            event.interrupt()

    if on_plan is not None:
        highs.cbMipImprovingSolution.subscribe(improved)
    if cancel is not None:
        highs.cbMipInterrupt.subscribe(interrupt)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    found = model.plan_of(highs.getSolution().col_value)
    offered = sum(map(len, model.patterns.values()))
    # Optimal among the patterns offered only: the plan's status stays FEASIBLE.
    if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        note = f"optimal among {offered} check patterns"
    else:
        # In aircraft-months: the weight of the optional misses taken back out.
        most = min(model.allowance, len(model.misses))
        short = max(0.0, info.mip_dual_bound - most) / model.short_cost
        note = f"HiGHS bound {short:.2f} on shortfall among {offered} check patterns"
    return replace(found, message=note)
