"""Split a scenario into parts that meet only at the facilities, and put their plans together.

Aircraft that can never fly each other's missions, share no floor and no
joint-command cap are independent except for the check slots they share. A
fleet of specialised clusters (the public benchmark's four, the reference
study's helicopters and transport aircraft) therefore searches far better
part by part: one part's hard months no longer dilute the search of the
whole. Each part keeps every facility with its full slots, which relaxes
the coupling: the parts' proven bounds add up to a bound on the whole, and a
merged plan that overfills a facility is repaired by the solver afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from bedeco.planning.engine.due import possible_starts
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.solution import Solution


class _Groups:
    """Union-find over string keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, keys: Iterable[str]) -> None:
        roots = [self.find(k) for k in keys]
        for root in roots[1:]:
            self.parent[root] = roots[0]


def components(
    instance: Instance, policy: Policy, *, floors: bool = True
) -> list[tuple[set[str], set[str]]]:
    """Aircraft and missions linked by who may fly what under ``policy``.

    With ``floors`` (the default) aircraft under one floor, and under the
    joint command the aircraft of a nation with a lending cap, are linked too:
    those rules bind them together. Without, the groups are finer and only
    good for a relaxation that drops the floors (``bounds.py``).
    """
    groups = _Groups()
    for mission in instance.missions:
        groups.find("m:" + mission.id)
    for aircraft in instance.aircraft:
        key = "a:" + aircraft.id
        groups.find(key)
        for mission in instance.missions:
            if instance.may_fly(aircraft, mission, policy):
                groups.join([key, "m:" + mission.id])
        if aircraft.mission_under_way is not None:
            groups.join([key, "m:" + aircraft.mission_under_way.mission])
    if floors:
        for floor in instance.floors:
            groups.join("a:" + a.id for a in instance.aircraft if floor.covers(a))
        if policy is Policy.JOINT:
            for nation in instance.joint_cap:
                groups.join("a:" + a.id for a in instance.aircraft if a.nation == nation)
    found: dict[str, tuple[set[str], set[str]]] = {}
    for key in list(groups.parent):
        aircraft_ids, mission_ids = found.setdefault(groups.find(key), (set(), set()))
        (aircraft_ids if key.startswith("a:") else mission_ids).add(key[2:])
    return list(found.values())


def split(instance: Instance, policy: Policy) -> list[Instance]:
    """The scenario's independent parts, largest first, each with every facility.

    Groups without missions (aircraft that only need checks, floors alone)
    are folded into one part, and missions no aircraft may fly into the
    largest part: neither deserves a search of its own.
    """
    groups = sorted(
        components(instance, policy), key=lambda g: (-len(g[0]), -len(g[1]), sorted(g[0]))
    )
    busy = [g for g in groups if g[0] and g[1]]
    idle_aircraft = set().union(*(g[0] for g in groups if not g[1]))
    unflown = set().union(*(g[1] for g in groups if not g[0]))
    if not busy:
        return [instance]
    if unflown:
        busy[0] = (busy[0][0], busy[0][1] | unflown)
    if idle_aircraft:
        busy.append((idle_aircraft, set()))
    if len(busy) == 1:
        return [instance]
    parts = []
    placed_floors: set[str] = set()
    for number, (aircraft_ids, mission_ids) in enumerate(busy, start=1):
        members = [a for a in instance.aircraft if a.id in aircraft_ids]
        floors = tuple(f for f in instance.floors if any(f.covers(a) for a in members))
        placed_floors |= {f.id for f in floors}
        parts.append(
            dataclasses.replace(
                instance,
                name=f"{instance.name} part {number}",
                aircraft=tuple(members),
                missions=tuple(m for m in instance.missions if m.id in mission_ids),
                floors=floors,
            )
        )
    empty_floors = tuple(f for f in instance.floors if f.id not in placed_floors)
    if empty_floors:
        parts[0] = dataclasses.replace(parts[0], floors=parts[0].floors + empty_floors)
    return parts


def decisions(instance: Instance, policy: Policy) -> int:
    """How many check and flight decisions the model of ``instance`` holds (without building it)."""
    flights = sum(
        max(0, min(m.end, instance.periods - 1) - max(0, m.start) + 1)
        for a in instance.aircraft
        for m in instance.missions
        if instance.may_fly(a, m, policy)
    )
    checks = sum(
        len(possible_starts(instance, a))
        * sum(1 for f in instance.facilities if instance.may_maintain(a, f, policy))
        for a in instance.aircraft
    )
    return flights + checks


def merge(policy: Policy, plans: Sequence[Solution]) -> Solution:
    """One plan made of the parts' plans (figures and bounds are the caller's to add)."""
    return Solution(
        policy=policy,
        checks=tuple(sorted(c for p in plans for c in p.checks)),
        flights=tuple(sorted(f for p in plans for f in p.flights)),
        method="cp-sat by parts",
        status="FEASIBLE",
    )
