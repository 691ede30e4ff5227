"""A lower bound on shortfall by column generation over whole aircraft schedules.

CP-SAT's bound proves nothing about shortfall where flight hours bind (the
hour rule is half-reified and stays out of its relaxation), so a study saw a
gap of 100 % on a060_p04_s85's hard part whatever the plan. Here each
aircraft's whole schedule (its checks and the months it flies) is one column
of a master problem that picks one schedule per aircraft under the shared
rows: coverage, floors, slots. Its linear relaxation is the convex hull of
each aircraft's schedules, far tighter than the model's; the columns come
from an exact dynamic programme per aircraft over months, blocks and hours
left (``_Pricing``). The bound is valid at every round (Lagrangian), not only
when no column improves.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import highspy
import numpy as np

from bedeco.planning.engine import labels
from bedeco.planning.engine.due import Window, first_window, next_window, possible_starts
from bedeco.planning.engine.highs import silent_highs
from bedeco.planning.engine.instance import Aircraft, Instance, Mission, Policy
from bedeco.planning.engine.labels import NEG, Key
from bedeco.planning.engine.solution import Flight, PlannedCheck, Solution

INF = highspy.kHighsInf
COLUMNS_PER_ROUND = 4
"""Schedules each aircraft may add per round (its best few check patterns): fewer rounds."""
DUAL_NOISE = 1e-12
"""Hour prices this far below zero are the simplex's rounding of a price that is >= 0
(seen down to -1.3e-13 on s85): priced as zero on labels. A schedule then earns at
most this times hours times months more (~1e-7 on s85), so reduced costs come out no
higher and the Lagrangian bound stays valid, lower by at most as much."""


@dataclass(frozen=True)
class Schedule:
    """One aircraft's whole plan: a column of the master."""

    aircraft: str
    checks: tuple[PlannedCheck, ...]
    flights: tuple[Flight, ...]


@dataclass
class Duals:
    """Prices of the master's shared rows, read by the pricing programmes."""

    cover: dict[tuple[str, int], float]
    available: dict[tuple[str, int], float]
    potential: dict[tuple[str, int], float]
    slots: dict[tuple[str, int], float]
    convexity: dict[str, float]


def schedule_figures(
    instance: Instance, aircraft: Aircraft, schedule: Schedule
) -> tuple[dict[int, int], dict[int, int], dict[tuple[str, int], int]]:
    """Hours left and availability per period, and check load per facility and period."""
    full = instance.check_type_of(aircraft).max_hours
    duration = instance.check_type_of(aircraft).duration
    in_check: dict[int, str] = {}
    for t in instance.fixed_check_periods(aircraft):
        in_check[t] = ""
    for check in schedule.checks:
        for t in range(check.start, min(check.start + duration, instance.periods)):
            in_check[t] = check.facility
    hours_of = {m.id: m.hours for m in instance.missions}
    flown = {f.period: hours_of[f.mission] for f in schedule.flights}
    hours: dict[int, int] = {}
    available: dict[int, int] = {}
    load: dict[tuple[str, int], int] = {}
    left = aircraft.hours_left
    for t in range(instance.periods):
        if t in in_check:
            left = full
            available[t] = 0
            if in_check[t]:
                load[in_check[t], t] = 1
        else:
            left -= flown.get(t, 0)
            available[t] = 1
        hours[t] = left
    return hours, available, load


FloorRow = tuple[str, str, int]
"""A floor's rule in one period: ("a" availability or "h" hours, floor id, period)."""

Move = tuple[str, Key, int, str]
"""How a state was reached: kind, previous state, hours before (checks), mission or facility."""

_SPENT = np.full(1 << 16, NEG)


def _spend(values: np.ndarray, hours: int) -> np.ndarray:
    """Values after flying ``hours``: index h takes what index h + hours had."""
    width = len(values)
    if hours >= width:
        return _SPENT[:width].copy()
    return np.concatenate((values[hours:], _SPENT[:hours]))


class _Month:
    """The states reached at the end of one month, each with its best moves per hours left."""

    def __init__(self) -> None:
        self.values: dict[Key, np.ndarray] = {}
        self.codes: dict[Key, np.ndarray] = {}
        self.moves: list[Move] = []

    def record(self, move: Move) -> int:
        self.moves.append(move)
        return len(self.moves) - 1

    def offer(self, key: Key, values: np.ndarray, move: Move) -> None:
        code = self.record(move)
        have = self.values.get(key)
        if have is None:
            self.values[key] = values
            self.codes[key] = np.full(values.shape, code, dtype=np.int32)
            return
        better = values > have
        self.values[key] = np.where(better, values, have)
        self.codes[key] = np.where(better, code, self.codes[key])

    def land(self, key: Key, value: float, code: int, full: int, width: int) -> None:
        """A check that ends this month: the aircraft is back on the ground at ``full`` hours."""
        have = self.values.get(key)
        if have is None:
            self.values[key] = np.full(width, NEG)
            self.codes[key] = np.full(width, -1, dtype=np.int32)
        elif value <= have[full]:
            return
        self.values[key][full] = value
        self.codes[key][full] = code


@dataclass(frozen=True)
class _LabelPrices:
    """One pricing's prices laid out for ``labels.price``: its arguments after the graph,
    what each check move earns, and the facility each month's check goes to."""

    arguments: tuple[int, float, int, np.ndarray, np.ndarray, np.ndarray]
    gains: np.ndarray
    where: list[str]


class _Pricing:
    """The best schedule of one aircraft at given prices: a dynamic programme over
    months whose states are (pending check window, mission block, hours left).

    Hours left are an array index, so a state costs a few numpy operations a month.
    """

    def __init__(
        self,
        instance: Instance,
        policy: Policy,
        aircraft: Aircraft,
        checks: frozenset[tuple[int, str]] | None = None,
    ) -> None:
        self.instance = instance
        self.aircraft = aircraft
        self.checks = checks
        """Where checks may start, (month, facility); None: anywhere the windows allow.
        With them given, a schedule's checks are among them (one left out where the
        horizon does not need it): the flights of given checks (``dive.py``)."""
        horizon = instance.periods
        check = instance.check_type_of(aircraft)
        self.full = check.max_hours
        self.duration = check.duration
        self.width = max(check.max_hours, aircraft.hours_left) + 1
        self.index = np.arange(self.width, dtype=np.float64)
        self.missions: list[Mission] = [
            m for m in instance.missions if instance.may_fly(aircraft, m, policy)
        ]
        self.facilities = [
            f for f in instance.facilities if instance.may_maintain(aircraft, f, policy)
        ]
        self.floors = [f.id for f in instance.floors if f.covers(aircraft)]
        fixed = instance.fixed_check_periods(aircraft)
        self.begin = fixed.stop if len(fixed) else 0
        self.fixed = fixed
        self.hours_of = {m.id: m.hours for m in self.missions}
        self.active = [[m for m in self.missions if m.active(t)] for t in range(horizon)]
        phases = [-1] + (possible_starts(instance, aircraft) if self.facilities else [])
        self.windows = {phase: self._window(phase) for phase in phases}
        self.graph: labels.Graph | None = None
        """The label programme's states, laid out on first use (``by_labels``)."""

    def _window(self, phase: int) -> Window | None:
        if not self.facilities:
            return None
        if phase < 0:
            return first_window(self.instance, self.aircraft)
        return next_window(self.instance, self.aircraft, phase)

    def price(self, duals: Duals) -> tuple[float, Schedule] | None:
        """The schedule earning most at the master's prices, or None if none exists."""
        best = self.price_many(duals, 1)
        return best[0] if best else None

    def price_many(self, duals: Duals, count: int) -> list[tuple[float, Schedule]]:
        """The schedules earning most, best first: at most one per check pattern's last
        window, at most ``count`` (the first is the best of all)."""
        pot = self._hour_prices(duals)
        if min(pot, default=0.0) >= -DUAL_NOISE:
            return self.by_labels(duals, count)
        return self.by_arrays(duals, count)

    def _floor_prices(self, duals: Duals) -> list[float]:
        """Per month, what one more aircraft available earns across this aircraft's floors."""
        periods = range(self.instance.periods)
        return [sum(duals.available.get((f, t), 0.0) for f in self.floors) for t in periods]

    def _hour_prices(self, duals: Duals) -> list[float]:
        """Per month, what one more hour left earns across this aircraft's floors."""
        periods = range(self.instance.periods)
        return [sum(duals.potential.get((f, t), 0.0) for f in self.floors) for t in periods]

    def by_arrays(self, duals: Duals, count: int) -> list[tuple[float, Schedule]]:
        """``price_many`` with one value per state and hours left: any prices."""
        horizon = self.instance.periods
        avail = self._floor_prices(duals)
        pot = self._hour_prices(duals)
        init = np.full(self.width, NEG)
        init[self.full if len(self.fixed) else self.aircraft.hours_left] = sum(
            pot[t] * self.full for t in self.fixed
        )
        mission_id, owed = self._under_way()
        states: dict[Key, np.ndarray] = {(-1, mission_id, owed): init}
        months: list[_Month] = [_Month() for _ in range(horizon)]
        arrivals: dict[int, dict[Key, tuple[float, int]]] = defaultdict(dict)
        for t in range(self.begin, horizon):
            month = months[t]
            gain = avail[t] + pot[t] * self.index
            for key, values in states.items():
                window = self.windows[key[0]]
                if window is not None and window.required and t > window.latest:
                    continue
                self._fly_or_idle(t, key, values, gain, duals, month)
                if key[2] == 0 and window is not None and t in window.periods(horizon):
                    self._start_check(t, key, values, duals, pot, month, arrivals)
            for target, (value, code) in arrivals.pop(t, {}).items():
                month.land(target, value, code, self.full, self.width)
            states = month.values
        # The best end for each pending window: different check patterns, one column each.
        ends: dict[int, tuple[float, Key, int]] = {}
        for key, values in states.items():
            window = self.windows[key[0]]
            if window is not None and window.required:
                continue
            h = int(np.argmax(values))
            have = ends.get(key[0])
            if values[h] > NEG / 2 and (have is None or values[h] > have[0]):
                ends[key[0]] = (float(values[h]), key, h)
        chosen = sorted(ends.values(), key=lambda end: -end[0])[:count]
        return [(value, self._trace(key, h, months)) for value, key, h in chosen]

    def by_labels(
        self, duals: Duals, count: int, capacity: int | None = None
    ) -> list[tuple[float, Schedule]]:
        """``price_many`` on Pareto labels (``labels.py``), for hour prices that are not
        negative (noise below ``DUAL_NOISE`` counts as zero): more hours left is never
        worse. Same values as ``by_arrays``; on s85's cluster 2, 8 ms against 45 ms."""
        prices = self._label_prices(duals)
        found = labels.price(self._laid_out(), *prices.arguments, prices.gains, capacity)
        chosen = sorted(self._best_per_last_check(found).values(), key=lambda end: -end[0])
        return [
            (value, self._schedule(found, label, prices.where)) for value, label in chosen[:count]
        ]

    def _laid_out(self) -> labels.Graph:
        if self.graph is None:
            self.graph = self._graph()
        return self.graph

    def _label_prices(self, duals: Duals) -> _LabelPrices:
        """The prices as the labels' kernel reads them."""
        pot = self._hour_prices(duals)
        if min(pot, default=0.0) < -DUAL_NOISE:
            raise ValueError("pricing on labels needs hour prices that are not negative")
        pot = [max(0.0, p) for p in pot]
        horizon = self.instance.periods
        reward = np.zeros((max(1, len(self.missions)), horizon))
        for index, mission in enumerate(self.missions):
            for t in range(horizon):
                reward[index, t] = duals.cover.get((mission.id, t), 0.0)
        gains, where = self._check_gains(duals, pot)
        arguments = (
            self.full if len(self.fixed) else self.aircraft.hours_left,
            sum(pot[t] * self.full for t in self.fixed),
            self.full,
            np.array(self._floor_prices(duals), dtype=np.float64),
            np.array(pot, dtype=np.float64),
            reward,
        )
        return _LabelPrices(arguments, gains[self._laid_out().check_month], where)

    def _best_per_last_check(self, found: labels.Labels) -> dict[int, tuple[float, int]]:
        """The best end for each pending window: different check patterns, one column each."""
        assert self.graph is not None
        best: dict[int, tuple[float, int]] = {}
        for value, key, label in labels.ends(self.graph, found):
            if value <= NEG / 2:
                continue  # only through a check ``checks`` does not allow
            phase = self.graph.keys[key][0]
            if phase not in best or value > best[phase][0]:
                best[phase] = (value, label)
        return best

    def _graph(self) -> labels.Graph:
        """The states and moves of ``_fly_or_idle`` and ``_start_check``, laid out once."""
        horizon = self.instance.periods
        index = {m.id: i for i, m in enumerate(self.missions)}

        def expand(t: int, key: Key) -> tuple[list[tuple[Key, int, int]], int | None]:
            phase, mission_id, owed = key
            window = self.windows[phase]
            if window is not None and window.required and t > window.latest:
                return [], None
            if owed > 0:
                moved = (phase, mission_id, owed - 1)
                return [(moved, index[mission_id], self.hours_of[mission_id])], None
            moves = [((phase, "", 0), -1, 0)]
            for mission, owe in self._joins(t, mission_id):
                moves.append(((phase, mission.id, owe), index[mission.id], mission.hours))
            opens = window is not None and t in window.periods(horizon)
            return moves, t if opens else None

        def ends_ok(key: Key) -> bool:
            window = self.windows[key[0]]
            return window is None or not window.required

        mission_id, owed = self._under_way()
        start: Key = (-1, mission_id, owed)
        return labels.build_graph(self.begin, horizon, start, expand, self.duration, ends_ok)

    def _check_gains(self, duals: Duals, pot: list[float]) -> tuple[np.ndarray, list[str]]:
        """Per month, what a check started then earns at its best facility, and that facility."""
        horizon = self.instance.periods
        gains = np.full(horizon, NEG)
        where = [""] * horizon
        for t in range(horizon):
            end = min(t + self.duration, horizon)
            for facility in self.facilities:
                if not self._may_check(t, facility.id):
                    continue
                value = sum(
                    duals.slots.get((facility.id, u), 0.0) + pot[u] * self.full
                    for u in range(t, end)
                )
                if value > gains[t]:
                    gains[t], where[t] = value, facility.id
        return gains, where

    def _may_check(self, t: int, facility_id: str) -> bool:
        return self.checks is None or (t, facility_id) in self.checks

    def _schedule(self, found: labels.Labels, label: int, where: list[str]) -> Schedule:
        assert self.graph is not None
        flown, started = labels.trace(self.graph, found, label)
        aircraft = self.aircraft.id
        return Schedule(
            aircraft,
            tuple(sorted(PlannedCheck(aircraft, t, where[t]) for t, _ in started)),
            tuple(sorted(Flight(aircraft, self.missions[m].id, t) for t, m in flown)),
        )

    def _under_way(self) -> tuple[str, int]:
        """The mission flown just before the horizon and the months it still holds the aircraft."""
        under = self.aircraft.mission_under_way
        if under is None or not any(m.id == under.mission for m in self.missions):
            return "", 0
        held = self.instance.forced_mission_periods(self.aircraft)
        return under.mission, len(held[1]) if held else 0

    def _fly_or_idle(
        self,
        t: int,
        key: Key,
        values: np.ndarray,
        gain: np.ndarray,
        duals: Duals,
        month: _Month,
    ) -> None:
        """Fly a block still owed, or stay on the ground, continue or join a mission."""
        phase, mission_id, owed = key
        if owed > 0:
            reward = duals.cover.get((mission_id, t), 0.0)
            shifted = _spend(values, self.hours_of[mission_id])
            month.offer(
                (phase, mission_id, owed - 1),
                shifted + (gain + reward),
                ("fly", key, 0, mission_id),
            )
            return
        month.offer((phase, "", 0), values + gain, ("idle", key, 0, ""))
        for mission, owe in self._joins(t, mission_id):
            reward = duals.cover.get((mission.id, t), 0.0)
            month.offer(
                (phase, mission.id, owe),
                _spend(values, mission.hours) + (gain + reward),
                ("fly", key, 0, mission.id),
            )

    def _joins(self, t: int, last: str) -> list[tuple[Mission, int]]:
        """The missions a free aircraft may fly in ``t`` after flying ``last`` (or ""), each
        with the months of its block then still owed: a new block must fit its least stay
        before the mission ends (or the horizon cuts it); ``last`` simply continues."""
        horizon = self.instance.periods
        joins = []
        for mission in self.active[t]:
            if mission.id == last:
                joins.append((mission, 0))
                continue
            stay = mission.min_consecutive
            if min(t + stay - 1, horizon - 1) <= mission.end:
                joins.append((mission, max(0, min(stay - 1, horizon - 1 - t))))
        return joins

    def _start_check(
        self,
        t: int,
        key: Key,
        values: np.ndarray,
        duals: Duals,
        pot: list[float],
        month: _Month,
        arrivals: dict[int, dict[Key, tuple[float, int]]],
    ) -> None:
        """Start a check in ``t``: the aircraft comes back at full hours when it ends."""
        best_h = int(np.argmax(values))
        best = float(values[best_h])
        if best <= NEG / 2:
            return
        end = min(t + self.duration, self.instance.periods)
        target: Key = (t, "", 0)
        for facility in self.facilities:
            if not self._may_check(t, facility.id):
                continue
            value = best + sum(
                duals.slots.get((facility.id, u), 0.0) + pot[u] * self.full for u in range(t, end)
            )
            have = arrivals[end - 1].get(target)
            if have is None or value > have[0]:
                code = month.record(("check", key, best_h, facility.id))
                arrivals[end - 1][target] = (value, -2 - code)

    def _trace(self, key: Key, h: int, months: list[_Month]) -> Schedule:
        """Follow the back-pointers from the best final state to the schedule."""
        checks: list[PlannedCheck] = []
        flights: list[Flight] = []
        t = self.instance.periods - 1
        while t >= self.begin:
            code = int(months[t].codes[key][h])
            if code == -1:
                raise AssertionError("broken back-pointer")
            if code <= -2:
                # A check's move is recorded in the month it started: the key's phase.
                start = key[0]
                _, key, h, facility_id = months[start].moves[-2 - code]
                checks.append(PlannedCheck(self.aircraft.id, start, facility_id))
                t = start - 1
                continue
            kind, key, _, mission_id = months[t].moves[code]
            if kind == "fly":
                flights.append(Flight(self.aircraft.id, mission_id, t))
                h += self.hours_of[mission_id]
            t -= 1
        return Schedule(self.aircraft.id, tuple(sorted(checks)), tuple(sorted(flights)))


def _miss(
    row: int, amount: float, allowance: int, cost: float
) -> tuple[float, float, float, list[int], list[float]]:
    """The column of a floor-period's miss: it relieves its row and counts in the allowance."""
    return (cost, 0, 1, [row, allowance], [amount, 1.0])


def schedules_of(instance: Instance, plan: Solution) -> list[Schedule]:
    """A plan cut into one schedule per aircraft."""
    checks: dict[str, list[PlannedCheck]] = defaultdict(list)
    flights: dict[str, list[Flight]] = defaultdict(list)
    for check in plan.checks:
        checks[check.aircraft].append(check)
    for flight in plan.flights:
        flights[flight.aircraft].append(flight)
    return [
        Schedule(a.id, tuple(sorted(checks[a.id])), tuple(sorted(flights[a.id])))
        for a in instance.aircraft
    ]


class Master:
    """The master's linear relaxation: one schedule per aircraft (fractionally) under
    the shared rows, least shortfall with at most ``misses`` floor-periods missed.

    Rules left out (the joint command's lending caps, cost, spread) only relax it.
    """

    def __init__(
        self,
        instance: Instance,
        misses: int,
        *,
        relaxed: frozenset[FloorRow] = frozenset(),
        miss_cost: float = 0.0,
    ) -> None:
        self.instance = instance
        self.lp = silent_highs()
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.schedules: list[Schedule] = []
        self.seen: set[Schedule] = set()
        self.by_aircraft: dict[str, Aircraft] = {a.id: a for a in instance.aircraft}
        forced = instance.forced_cover()
        helpers: list[tuple[float, float, float, list[int], list[float]]] = []
        self.cover_lo: dict[tuple[str, int], int] = {}
        self.cover_hi: dict[tuple[str, int], int] = {}
        self.required: dict[tuple[str, int], int] = {}
        self.cover_cap: dict[tuple[str, int], int] = {}
        for mission in instance.missions:
            for t in range(max(0, mission.start), min(mission.end, instance.periods - 1) + 1):
                key = (mission.id, t)
                self.required[key] = mission.required
                self.cover_cap[key] = mission.required + forced.get(key, 0)
                self.cover_lo[key] = self._row(mission.required, INF)
                self.cover_hi[key] = self._row(-INF, self.cover_cap[key])
                helpers.append((1.0, 0, mission.required, [self.cover_lo[key]], [1.0]))
        self.available: dict[tuple[str, int], int] = {}
        self.potential: dict[tuple[str, int], int] = {}
        self.misses: list[tuple[FloorRow, int]] = []
        self.hours_scale: dict[str, int] = {}
        allowance = self._row(-INF, misses)
        for floor in instance.floors:
            members = [a for a in instance.aircraft if floor.covers(a)]
            for t in range(instance.periods):
                need = instance.least_available(floor, members, t)
                if need > 0 and ("a", floor.id, t) not in relaxed:
                    row = self._row(need, INF)
                    self.available[floor.id, t] = row
                    self.misses.append((("a", floor.id, t), need))
                    helpers.append(_miss(row, need, allowance, miss_cost))
                if floor.min_hours > 0 and members and ("h", floor.id, t) not in relaxed:
                    # Scaled to 1 so that hours and aircraft counts share a magnitude.
                    row = self._row(1, INF)
                    self.potential[floor.id, t] = row
                    self.hours_scale[floor.id] = floor.min_hours
                    self.misses.append((("h", floor.id, t), floor.min_hours))
                    helpers.append(_miss(row, 1, allowance, miss_cost))
        load = instance.slots_taken()
        self.slots: dict[tuple[str, int], int] = {}
        self.free_slots: dict[tuple[str, int], int] = {}
        for facility in instance.facilities:
            for t in range(instance.periods):
                free = facility.slots - load[facility.id, t]
                self.free_slots[facility.id, t] = free
                self.slots[facility.id, t] = self._row(-INF, free)
        self.convexity = {a.id: self._row(1, 1) for a in instance.aircraft}
        self.floors_of = {
            a.id: [f.id for f in instance.floors if f.covers(a)] for a in instance.aircraft
        }
        rows = len(self.lower)
        self.lp.addRows(
            rows,
            np.array(self.lower),
            np.array(self.upper),
            0,
            np.zeros(rows + 1, dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([], dtype=np.float64),
        )
        for cost, low, high, index, value in helpers:
            self._column(cost, low, high, index, value)
        self.helpers = len(helpers)
        self.weights: list[float] = []
        """Each schedule's weight in the last relaxation solved."""
        self.value = 0.0
        self.row_dual: list[float] = []
        """The last relaxation solved's value and row prices, kept: HiGHS forgets both
        (value 0, prices invalid) as soon as a column is added."""

    def _row(self, low: float, high: float) -> int:
        self.lower.append(low)
        self.upper.append(high)
        return len(self.lower) - 1

    def _column(
        self, cost: float, low: float, high: float, index: list[int], value: list[float]
    ) -> None:
        self.lp.addCol(
            cost,
            low,
            high,
            len(index),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )

    def add(self, schedule: Schedule) -> bool:
        """Add a column; False if it was already there."""
        if schedule in self.seen:
            return False
        self.seen.add(schedule)
        aircraft = self.by_aircraft[schedule.aircraft]
        hours, available, load = schedule_figures(self.instance, aircraft, schedule)
        index: list[int] = []
        value: list[float] = []
        for flight in schedule.flights:
            key = (flight.mission, flight.period)
            index += [self.cover_lo[key], self.cover_hi[key]]
            value += [1.0, 1.0]
        for floor_id in self.floors_of[aircraft.id]:
            for t in range(self.instance.periods):
                row = self.available.get((floor_id, t))
                if row is not None and available[t]:
                    index.append(row)
                    value.append(1.0)
                row = self.potential.get((floor_id, t))
                if row is not None and hours[t]:
                    index.append(row)
                    value.append(hours[t] / self.hours_scale[floor_id])
        for key, used in load.items():
            index.append(self.slots[key])
            value.append(float(used))
        index.append(self.convexity[aircraft.id])
        value.append(1.0)
        self._column(0.0, 0, 1, index, value)
        self.schedules.append(schedule)
        return True

    def solve_lp(self) -> tuple[float, Duals]:
        self.lp.run()
        status = self.lp.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"master linear programme not optimal ({status})")
        solution = self.lp.getSolution()
        dual = self.row_dual = list(solution.row_dual)
        self.value = float(self.lp.getInfo().objective_function_value)
        self.weights = list(solution.col_value[self.helpers :])
        cover = {key: dual[self.cover_lo[key]] + dual[self.cover_hi[key]] for key in self.cover_lo}
        duals = Duals(
            cover=cover,
            available={k: dual[r] for k, r in self.available.items()},
            potential={k: dual[r] / self.hours_scale[k[0]] for k, r in self.potential.items()},
            slots={k: dual[r] for k, r in self.slots.items()},
            convexity={k: dual[r] for k, r in self.convexity.items()},
        )
        return self.value, duals

    def support(self) -> tuple[Schedule, ...]:
        """The schedules the last relaxation solved gives weight."""
        return tuple(s for s, w in zip(self.schedules, self.weights, strict=False) if w > 1e-6)

    def floor_prices(self) -> dict[FloorRow, float]:
        """What dropping each floor row would be worth to the last relaxation solved."""
        dual = self.row_dual
        rows = {**{("a", *k): r for k, r in self.available.items()}}
        rows.update({("h", *k): r for k, r in self.potential.items()})
        amount = dict(self.misses)
        return {
            key: dual[row] * (1.0 if key[0] == "h" else amount[key]) for key, row in rows.items()
        }


@dataclass(frozen=True)
class ShortfallBound:
    """What column generation proved: no plan with at most ``misses`` floor-periods
    missed has less shortfall than ``shortfall``. ``support``: the schedules the
    last relaxation solved uses, whose check patterns ``patterns.py`` searches."""

    shortfall: int
    relaxation: float
    converged: bool
    rounds: int
    schedules: int
    support: tuple[Schedule, ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """The master's relaxation with floor misses priced out of reach: its support and
    what each floor row is worth (``relaxation_support``)."""

    value: float
    converged: bool
    support: tuple[Schedule, ...]
    floor_prices: dict[FloorRow, float]


def shortfall_bound(
    instance: Instance,
    policy: Policy,
    misses: int,
    time_limit: float,
    *,
    plans: Iterable[Solution] = (),
    cancel: threading.Event | None = None,
    on_round: Callable[[ShortfallBound], None] | None = None,
) -> ShortfallBound | None:
    """Price schedules until none improves the master or ``time_limit`` runs out.

    ``plans`` (valid plans of ``instance`` within the allowance) seed the
    master; without one, or with none within ``misses``, there is no start and
    None is returned. After each full
    round of pricing, the master's value plus every aircraft's most negative
    reduced cost is a lower bound on the relaxation (Lagrangian), so the bound
    is valid even when time runs out before the prices settle; ``on_round``
    hears it after each round that has not settled.
    """
    master = Master(instance, misses)

    def heard(best: float, rounds: int) -> None:
        if on_round is not None:
            on_round(_bound(best, False, rounds, len(master.schedules)))

    done = _generate(master, policy, time_limit, plans, cancel, heard)
    if done is None:
        return None
    best, converged, rounds = done
    return replace(_bound(best, converged, rounds, len(master.schedules)), support=master.support())


def relaxation_support(
    instance: Instance,
    policy: Policy,
    time_limit: float,
    *,
    plans: Iterable[Solution],
    relaxed: frozenset[FloorRow] = frozenset(),
    cancel: threading.Event | None = None,
) -> Relaxation | None:
    """Column generation floors first, the rows in ``relaxed`` dropped.

    A miss costs more than all shortfall, so any valid plan starts the
    master (even one missing floors) and the prices are those of keeping
    every floor. None when no plan was given or no round finished.
    """
    penalty = 1.0 + sum(m.required * (m.end - m.start + 1) for m in instance.missions)
    rows = 2 * len(instance.floors) * instance.periods
    master = Master(instance, rows, relaxed=relaxed, miss_cost=penalty)
    done = _generate(master, policy, time_limit, plans, cancel, None)
    if done is None or not master.weights:
        return None
    value = master.value
    return Relaxation(value, done[1], master.support(), master.floor_prices())


def _generate(
    master: Master,
    policy: Policy,
    time_limit: float,
    plans: Iterable[Solution],
    cancel: threading.Event | None,
    on_round: Callable[[float, int], None] | None,
) -> tuple[float, bool, int] | None:
    """Rounds of pricing on ``master``: (Lagrangian bound, converged, rounds), or None
    without a start."""
    began = time.monotonic()
    instance = master.instance
    for plan in plans:
        for schedule in schedules_of(instance, plan):
            master.add(schedule)
    if not master.schedules:
        return None
    pricers = [_Pricing(instance, policy, a) for a in instance.aircraft]
    best = 0.0
    rounds = 0
    converged = False
    while time.monotonic() - began < time_limit and not (cancel and cancel.is_set()):
        try:
            value, duals = master.solve_lp()
        except RuntimeError:
            if not rounds:
                return None  # the plans given break the allowance: no start
            break
        rounds += 1
        lagrange: float | None = value
        found: list[Schedule] = []
        for pricer in pricers:
            if time.monotonic() - began >= time_limit or (cancel and cancel.is_set()):
                lagrange = None
                break
            priced = pricer.price_many(duals, COLUMNS_PER_ROUND)
            if not priced:
                continue
            convexity = duals.convexity[pricer.aircraft.id]
            if lagrange is not None:
                lagrange += min(0.0, -priced[0][0] - convexity)
            found += [schedule for gain, schedule in priced if -gain - convexity < -1e-7]
        if lagrange is not None:
            best = max(best, lagrange)
        added = sum(master.add(s) for s in found)
        if lagrange is not None and not added:
            converged = True
            best = max(best, value)
            break
        if on_round is not None and lagrange is not None:
            on_round(best, rounds)
    return best, converged, rounds


def _bound(relaxation: float, converged: bool, rounds: int, schedules: int) -> ShortfallBound:
    # Shortfall is whole: round up, less a tolerance for the simplex's own.
    proven = max(0, math.ceil(relaxation - 1e-6))
    return ShortfallBound(proven, relaxation, converged, rounds, schedules)
