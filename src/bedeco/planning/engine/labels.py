"""The pricing's dynamic programme on Pareto labels, compiled by numba.

``colgen._Pricing`` keeps, per state and month, one value for every number
of hours left (a numpy array of ~1 000 entries on the FMP benchmark). Where
the master's hour prices are all non-negative, more hours left is never
worse: every move open with fewer hours is open with more, and each month
pays at least as much. So only the *Pareto* labels count, those worth more
than every label with more hours: about 40 per state on s85's cluster 2
with the master's prices, where ~225 of the ~1 000 entries are reachable.
The states and the moves between them do not depend on the prices, so they
are laid out once per aircraft (``Graph``); each pricing runs the compiled
kernel over them (``run``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numba
import numpy as np

NEG = -1e18
"""Value of an unreachable state (the array programme in ``colgen`` uses it too)."""

Key = tuple[int, str, int]
"""A state at the end of a month: the pending check window (-1 before the first check,
else the month the last check started), the mission flown (or ""), and the months of
its block still owed."""


@dataclass(frozen=True)
class Graph:
    """One aircraft's states per month and the moves between them, without prices.

    Keys are numbered month by month (slot 0 holds the state before the first
    month planned). A move into a key is a flight (``move_mission`` >= 0,
    ``move_hours`` spent) or a month on the ground; a check starts from a key of
    the month before ``check_month`` and lands, back at full hours, on
    ``check_landing`` in the month the check ends.
    """

    keys: tuple[Key, ...]
    key_month: np.ndarray
    slot_start: np.ndarray
    """Per slot, the first key (and one past the last slot's last key at the end)."""
    move_start: np.ndarray
    """Per key, its first incoming move (CSR, one past the last at the end)."""
    move_from: np.ndarray
    move_month: np.ndarray
    move_mission: np.ndarray
    move_hours: np.ndarray
    check_start: np.ndarray
    """Per slot, the first check starting in its month (CSR)."""
    check_from: np.ndarray
    check_month: np.ndarray
    check_landing: np.ndarray
    final: np.ndarray
    """Per key of the last slot: 1 when the plan may end there (no required check pending)."""


def build_graph(
    begin: int,
    horizon: int,
    start: Key,
    expand: Callable[[int, Key], tuple[list[tuple[Key, int, int]], int | None]],
    duration: int,
    ends_ok: Callable[[Key], bool],
) -> Graph:
    """Lay out the states reached from ``start`` month by month.

    ``expand(t, key)`` gives the moves out of ``key`` in month ``t`` as
    (next key, mission index or -1, hours) and the month a check may start
    (``t``) or None; a key whose required window has passed gives no moves.
    """
    keys: list[Key] = [start]
    key_month = [begin - 1]
    slot_start = [0]
    moves: list[list[tuple[int, int, int]]] = [[]]
    checks: list[tuple[int, int, int]] = []
    check_start = [0, 0]
    landing: dict[int, dict[Key, list[int]]] = {}
    previous = [0]
    for t in range(begin, horizon):
        slot_start.append(len(keys))
        index: dict[Key, int] = {}
        incoming: dict[Key, list[tuple[int, int, int]]] = {}
        for source in previous:
            targets, check = expand(t, keys[source])
            for target, mission, hours in targets:
                incoming.setdefault(target, []).append((source, mission, hours))
            if check is not None:
                end = min(t + duration, horizon) - 1
                landing.setdefault(end, {}).setdefault((t, "", 0), []).append(len(checks))
                checks.append((source, t, -1))
        check_start.append(len(checks))
        # Landings first, then the keys moves reach, numbered in that order.
        for target, arriving in landing.pop(t, {}).items():
            incoming.setdefault(target, [])
            for check in arriving:
                checks[check] = (checks[check][0], checks[check][1], len(keys) + len(index))
            index[target] = len(keys) + len(index)
        for target in incoming:
            index.setdefault(target, len(keys) + len(index))
        for key in index:
            keys.append(key)
            key_month.append(t)
            moves.append(incoming[key])
        previous = list(index.values())
    slot_start.append(len(keys))
    move_start = np.zeros(len(keys) + 1, dtype=np.int64)
    move_start[1:] = np.cumsum([len(m) for m in moves])
    flat = [move for per_key in moves for move in per_key]
    final = np.zeros(len(keys), dtype=np.int8)
    for k in range(int(slot_start[-2]), len(keys)):
        final[k] = 1 if ends_ok(keys[k]) else 0
    return Graph(
        keys=tuple(keys),
        key_month=np.array(key_month, dtype=np.int64),
        slot_start=np.array(slot_start, dtype=np.int64),
        move_start=move_start,
        move_from=np.array([m[0] for m in flat], dtype=np.int64),
        move_month=np.repeat(np.array(key_month, dtype=np.int64), [len(m) for m in moves]),
        move_mission=np.array([m[1] for m in flat], dtype=np.int64),
        move_hours=np.array([m[2] for m in flat], dtype=np.int64),
        check_start=np.array(check_start, dtype=np.int64),
        check_from=np.array([c[0] for c in checks], dtype=np.int64),
        check_month=np.array([c[1] for c in checks], dtype=np.int64),
        check_landing=np.array([c[2] for c in checks], dtype=np.int64),
        final=final,
    )


@dataclass(frozen=True)
class Labels:
    """The kernel's output: each key's labels (best last) and how each was reached."""

    key_first: np.ndarray
    key_end: np.ndarray
    hours: np.ndarray
    value: np.ndarray
    parent: np.ndarray
    move: np.ndarray
    """The move into the label: >= 0 a move index, <= -2 the check ``-2 - move``, -1 the start."""


def price(
    graph: Graph,
    start_hours: int,
    start_value: float,
    full: int,
    available: np.ndarray,
    potential: np.ndarray,
    reward: np.ndarray,
    check_gain: np.ndarray,
    capacity: int | None = None,
) -> Labels:
    """Run the kernel at one set of prices (``potential`` must be non-negative).

    ``capacity``: labels held before the pool grows (by default 64 a key).
    """
    found = run(
        graph.slot_start,
        graph.key_month,
        graph.move_start,
        graph.move_from,
        graph.move_mission,
        graph.move_hours,
        graph.check_start,
        graph.check_from,
        graph.check_landing,
        start_hours,
        start_value,
        full,
        available,
        potential,
        reward,
        check_gain,
        max(1, 64 * len(graph.keys) if capacity is None else capacity),
    )
    return Labels(*found)


@numba.njit(cache=True)
def run(
    slot_start: np.ndarray,
    key_month: np.ndarray,
    move_start: np.ndarray,
    move_from: np.ndarray,
    move_mission: np.ndarray,
    move_hours: np.ndarray,
    check_start: np.ndarray,
    check_from: np.ndarray,
    check_landing: np.ndarray,
    start_hours: int,
    start_value: float,
    full: int,
    available: np.ndarray,
    potential: np.ndarray,
    reward: np.ndarray,
    check_gain: np.ndarray,
    capacity: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Labels of every key, month by month; each key's labels sorted by hours
    falling and value rising, so its best is its last."""
    keys = len(key_month)
    hours = np.empty(capacity, dtype=np.int64)
    value = np.empty(capacity, dtype=np.float64)
    parent = np.empty(capacity, dtype=np.int64)
    move = np.empty(capacity, dtype=np.int64)
    key_first = np.zeros(keys, dtype=np.int64)
    key_end = np.zeros(keys, dtype=np.int64)
    landed = np.full(keys, NEG)
    landed_from = np.full(keys, -1, dtype=np.int64)
    landed_by = np.full(keys, -1, dtype=np.int64)
    hours[0], value[0], parent[0], move[0] = start_hours, start_value, -1, -1
    key_end[0] = 1
    count = 1
    widest = max(1, int(np.max(np.diff(move_start))))
    at = np.empty(widest, dtype=np.int64)
    stop = np.empty(widest, dtype=np.int64)
    for slot in range(1, len(slot_start) - 1):
        for check in range(check_start[slot], check_start[slot + 1]):
            source = check_from[check]
            target = check_landing[check]
            if key_end[source] == key_first[source]:
                continue
            best = key_end[source] - 1
            gained = value[best] + check_gain[check]
            if gained > landed[target]:
                landed[target], landed_from[target], landed_by[target] = gained, best, check
        for key in range(slot_start[slot], slot_start[slot + 1]):
            t = key_month[key]
            first = move_start[key]
            ways = move_start[key + 1] - first
            for j in range(ways):
                at[j] = key_first[move_from[first + j]]
                stop[j] = key_end[move_from[first + j]]
            landing = landed_by[key] >= 0
            # Merge the sources' labels (each falling in hours) by hours falling, value
            # falling within equal hours: a label stays if it is worth more than every
            # label with at least as many hours.
            key_first[key] = count
            best = NEG
            while True:
                pick, top_hours, top_value = -1, -1, NEG
                for j in range(ways):
                    if at[j] == stop[j]:
                        continue
                    m = first + j
                    left = hours[at[j]] - move_hours[m]
                    if left < 0:
                        at[j] = stop[j]  # hours fall along the labels: none flies
                        continue
                    mission = move_mission[m]
                    pay = available[t] + (reward[mission, t] if mission >= 0 else 0.0)
                    worth = value[at[j]] + (pay + potential[t] * left)
                    if left > top_hours or (left == top_hours and worth > top_value):
                        pick, top_hours, top_value = j, left, worth
                if landing and (
                    full > top_hours or (full == top_hours and landed[key] > top_value)
                ):
                    pick, top_hours, top_value = ways, full, landed[key]
                if pick < 0:
                    break
                if top_value > best:
                    if count == len(hours):
                        grow = len(hours)
                        hours = np.concatenate((hours, np.empty(grow, dtype=np.int64)))
                        value = np.concatenate((value, np.empty(grow, dtype=np.float64)))
                        parent = np.concatenate((parent, np.empty(grow, dtype=np.int64)))
                        move = np.concatenate((move, np.empty(grow, dtype=np.int64)))
                    hours[count], value[count] = top_hours, top_value
                    if pick == ways:
                        parent[count], move[count] = landed_from[key], -2 - landed_by[key]
                    else:
                        parent[count], move[count] = at[pick], first + pick
                    best = top_value
                    count += 1
                if pick == ways:
                    landing = False
                else:
                    at[pick] += 1
            key_end[key] = count
    return key_first, key_end, hours[:count], value[:count], parent[:count], move[:count]


def trace(
    graph: Graph, labels: Labels, label: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Follow a label back to the start: (month, mission index) flown, (month, check) started."""
    flights: list[tuple[int, int]] = []
    checks: list[tuple[int, int]] = []
    while True:
        move = int(labels.move[label])
        if move == -1:
            return flights, checks
        if move <= -2:
            check = -2 - move
            checks.append((int(graph.check_month[check]), check))
        else:
            mission = int(graph.move_mission[move])
            if mission >= 0:
                flights.append((int(graph.move_month[move]), mission))
        label = int(labels.parent[label])


def ends(graph: Graph, labels: Labels) -> Sequence[tuple[float, int, int]]:
    """Per final key that may end the plan and has a label: (best value, key, label)."""
    last = range(int(graph.slot_start[-2]), int(graph.slot_start[-1]))
    return [
        (float(labels.value[labels.key_end[k] - 1]), k, int(labels.key_end[k] - 1))
        for k in last
        if graph.final[k] and labels.key_end[k] > labels.key_first[k]
    ]
