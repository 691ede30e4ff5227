"""The planning problem as frozen dataclasses: fleets, missions, checks, facilities, floors.

Time runs in whole periods (months by default), numbered 0 .. ``periods - 1``
from the study's start month. Everything here is plain data plus the few
derived facts (who may fly what, where an aircraft may be maintained, when its
checks fall due) that the model, the heuristic and the validator must agree on;
keeping them in one place is what lets ``validation.py`` stay independent of
the solver while reading the rules the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from types import MappingProxyType
from typing import Any

JOINT = "JOINT"
"""Owner of a mission of the joint command rather than of one nation."""


class Policy(StrEnum):
    """How far the nations pool (recital M; requests 6, 7 and 15).

    ``national``: own facilities, own aircraft on own missions.
    ``pooled``: maintenance at any certified facility of the three nations.
    ``joint``: pooled maintenance, and an aircraft may also fly another
    nation's or a joint mission, within a cap per nation.
    """

    NATIONAL = "national"
    POOLED = "pooled"
    JOINT = "joint"


@dataclass(frozen=True)
class CheckType:
    """A maintenance check programme for some aircraft types.

    Due after ``max_hours`` flight hours or ``max_months`` months, whichever
    comes first; it may start at most ``window`` months before its calendar
    limit (the benchmark's ``elapsed_time_size``).
    """

    id: str
    aircraft_types: frozenset[str]
    duration: int
    max_hours: int
    max_months: int
    window: int


@dataclass(frozen=True)
class CheckUnderWay:
    """A check that started before the horizon (``start`` may be negative)."""

    start: int
    facility: str


@dataclass(frozen=True)
class MissionUnderWay:
    """A mission an aircraft was flying in the periods just before the horizon."""

    mission: str
    served: int


@dataclass(frozen=True)
class Aircraft:
    """One airframe.

    ``hours_left``: flight hours before the next check is due.
    ``months_left``: months from the horizon start to the latest month in
    which the next check may start (the calendar limit).
    """

    id: str
    nation: str
    type: str
    capabilities: frozenset[str]
    hours_left: int
    months_left: int
    check_under_way: CheckUnderWay | None = None
    mission_under_way: MissionUnderWay | None = None


@dataclass(frozen=True)
class Mission:
    """A demand for ``required`` aircraft in each period ``start..end``.

    Each assigned aircraft flies ``hours`` a period and stays at least
    ``min_consecutive`` periods once it joins (unless the mission or the
    horizon ends first). ``nation`` owns it, or ``JOINT`` for the joint command.
    """

    id: str
    nation: str
    start: int
    end: int
    required: int
    hours: int
    min_consecutive: int = 1
    capabilities: frozenset[str] = frozenset()
    aircraft_type: str | None = None

    def active(self, period: int) -> bool:
        return self.start <= period <= self.end


@dataclass(frozen=True)
class Facility:
    """A maintenance facility: ``slots`` checks at the same time, certified ``types``."""

    id: str
    nation: str
    types: frozenset[str]
    slots: int
    cost: int = 0
    transit_cost: int = 0


@dataclass(frozen=True)
class Floor:
    """What a nation must keep (sovereignty): least aircraft out of check and
    least flight-hour potential among the aircraft it covers, every period.

    A floor covers the aircraft of ``nation`` (any if None), of
    ``aircraft_type`` (any if None) holding all ``capabilities``; the FMP
    benchmark's clusters are floors with capabilities only.
    """

    id: str
    min_available: int
    min_hours: int
    nation: str | None = None
    aircraft_type: str | None = None
    capabilities: frozenset[str] = frozenset()

    def covers(self, aircraft: Aircraft) -> bool:
        return (
            (self.nation is None or aircraft.nation == self.nation)
            and (self.aircraft_type is None or aircraft.type == self.aircraft_type)
            and self.capabilities <= aircraft.capabilities
        )


@dataclass(frozen=True)
class Instance:
    """A whole study: horizon, fleets, missions, checks, facilities and floors."""

    name: str
    periods: int
    aircraft: tuple[Aircraft, ...]
    missions: tuple[Mission, ...]
    check_types: tuple[CheckType, ...]
    facilities: tuple[Facility, ...]
    floors: tuple[Floor, ...] = ()
    start_month: str = ""
    joint_cap: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    taken_slots: Mapping[tuple[str, int], int] = field(default_factory=lambda: MappingProxyType({}))
    """Slots of a facility already taken in a period by checks planned elsewhere: a part
    of a larger search fitted around the parts placed before it (``solver.py``)."""

    def __hash__(self) -> int:
        return hash((self.name, self.periods, self.aircraft, self.missions))

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Picklable (a part's relaxation runs in a process of its own, ``offload.py``):
        the read-only mappings travel as dicts and are wrapped again."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["joint_cap"] = dict(self.joint_cap)
        values["taken_slots"] = dict(self.taken_slots)
        return _unpickled, (values,)

    # --- look-ups -----------------------------------------------------------------
    def check_type_of(self, aircraft: Aircraft) -> CheckType:
        for check in self.check_types:
            if aircraft.type in check.aircraft_types:
                return check
        raise KeyError(f"no check type for aircraft type {aircraft.type!r}")

    def mission(self, mission_id: str) -> Mission:
        for mission in self.missions:
            if mission.id == mission_id:
                return mission
        raise KeyError(mission_id)

    def facility(self, facility_id: str) -> Facility:
        for facility in self.facilities:
            if facility.id == facility_id:
                return facility
        raise KeyError(facility_id)

    def period_label(self, period: int) -> str:
        """``YYYY-MM`` of a period when the start month is known, else ``t<period>``."""
        if not self.start_month:
            return f"t{period}"
        year, month = (int(part) for part in self.start_month.split("-"))
        index = year * 12 + month - 1 + period
        return f"{index // 12:04d}-{index % 12 + 1:02d}"

    # --- policy -------------------------------------------------------------------
    def may_fly(self, aircraft: Aircraft, mission: Mission, policy: Policy) -> bool:
        """Capability and type always; ownership unless under the joint command."""
        if not mission.capabilities <= aircraft.capabilities:
            return False
        if mission.aircraft_type is not None and mission.aircraft_type != aircraft.type:
            return False
        return policy is Policy.JOINT or mission.nation == aircraft.nation

    def may_maintain(self, aircraft: Aircraft, facility: Facility, policy: Policy) -> bool:
        """Certification always; own nation's facilities only under the national policy."""
        if aircraft.type not in facility.types:
            return False
        return policy is not Policy.NATIONAL or facility.nation == aircraft.nation

    def check_cost(self, aircraft: Aircraft, facility: Facility) -> int:
        """Price of one check, with transit when the aircraft is foreign to the facility."""
        foreign = facility.nation != aircraft.nation
        return facility.cost + (facility.transit_cost if foreign else 0)

    # --- fixed periods ------------------------------------------------------------
    def fixed_check_periods(self, aircraft: Aircraft) -> range:
        """Periods of the horizon taken by a check under way."""
        under_way = aircraft.check_under_way
        if under_way is None:
            return range(0)
        end = under_way.start + self.check_type_of(aircraft).duration
        return range(max(0, under_way.start), max(0, min(end, self.periods)))

    def least_available(self, floor: Floor, members: Sequence[Aircraft], period: int) -> int:
        """Aircraft ``floor`` must keep out of check in ``period``: its least, lowered where
        checks under way already take its ``members`` (nothing a plan can change)."""
        fixed = sum(1 for a in members if period in self.fixed_check_periods(a))
        return min(floor.min_available, len(members) - fixed)

    def forced_cover(self) -> dict[tuple[str, int], int]:
        """Aircraft held on each mission and period by missions under way: the most a
        mission may have beyond what it requires."""
        forced: dict[tuple[str, int], int] = defaultdict(int)
        for aircraft in self.aircraft:
            held = self.forced_mission_periods(aircraft)
            if held is not None:
                for t in held[1]:
                    forced[held[0], t] += 1
        return forced

    def slots_taken(self) -> dict[tuple[str, int], int]:
        """Slots already taken per facility and period: by checks under way and by
        checks planned elsewhere (``taken_slots``)."""
        taken: dict[tuple[str, int], int] = defaultdict(int, self.taken_slots)
        for aircraft in self.aircraft:
            if aircraft.check_under_way is not None:
                for t in self.fixed_check_periods(aircraft):
                    taken[aircraft.check_under_way.facility, t] += 1
        return taken

    def forced_mission_periods(self, aircraft: Aircraft) -> tuple[str, range] | None:
        """A mission under way continues until its least stay is served."""
        under_way = aircraft.mission_under_way
        if under_way is None:
            return None
        mission = self.mission(under_way.mission)
        left = mission.min_consecutive - under_way.served
        stop = min(left, mission.end + 1, self.periods)
        if left <= 0 or not mission.active(0):
            return None
        return mission.id, range(0, stop)


def _unpickled(values: dict[str, Any]) -> Instance:
    """An instance from ``Instance.__reduce__``'s values, its mappings read-only again."""
    values["joint_cap"] = MappingProxyType(values["joint_cap"])
    values["taken_slots"] = MappingProxyType(values["taken_slots"])
    return Instance(**values)
