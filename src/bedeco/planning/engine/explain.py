"""Why a scenario cannot be planned, and why a plan leaves missions short.

Infeasibility is explained before any search: each cause names the rule,
the aircraft or facility, and the period, in words a planner can act on
(move a check, add a slot, accept a waiver). Shortfall is explained per
nation, aircraft type and period by sorting every aircraft that could have
flown into where it actually was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bedeco.planning.engine.due import first_window
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.validation import Report


@dataclass(frozen=True)
class Cause:
    """One reason the scenario cannot be planned."""

    rule: str
    subject: str
    period: int | None
    message: str


def explain_infeasible(instance: Instance, policy: Policy) -> list[Cause]:
    """Causes that make every plan impossible, found without a solver."""
    causes: list[Cause] = []
    label = instance.period_label
    facility_ids = {f.id for f in instance.facilities}
    fixed_load: dict[tuple[str, int], list[str]] = defaultdict(list)
    for aircraft in instance.aircraft:
        if aircraft.hours_left < 0:
            causes.append(
                Cause(
                    "flight-hours",
                    aircraft.id,
                    0,
                    f"aircraft {aircraft.id} is already {-aircraft.hours_left} flight hours "
                    f"past its limit in {label(0)}",
                )
            )
        window = first_window(instance, aircraft)
        if window.required and not len(window.periods(instance.periods)):
            causes.append(
                Cause(
                    "calendar-limit",
                    aircraft.id,
                    max(0, window.latest),
                    f"aircraft {aircraft.id} is past its calendar limit: its check had to "
                    f"start by {label(window.latest)}",
                )
            )
        allowed = [f for f in instance.facilities if instance.may_maintain(aircraft, f, policy)]
        if window.required and not allowed:
            causes.append(
                Cause(
                    "facility",
                    aircraft.id,
                    window.latest,
                    f"no facility may maintain aircraft {aircraft.id} ({aircraft.nation} "
                    f"{aircraft.type}) under the {policy} policy; its check is due by "
                    f"{label(window.latest)}",
                )
            )
        under_way = aircraft.check_under_way
        if under_way is not None:
            if under_way.facility not in facility_ids:
                causes.append(
                    Cause(
                        "facility",
                        under_way.facility,
                        0,
                        f"aircraft {aircraft.id} is in a check at unknown facility "
                        f"{under_way.facility}",
                    )
                )
            for t in instance.fixed_check_periods(aircraft):
                fixed_load[under_way.facility, t].append(aircraft.id)
    for facility in instance.facilities:
        for t in range(instance.periods):
            held = fixed_load.get((facility.id, t), [])
            if len(held) > facility.slots:
                causes.append(
                    Cause(
                        "facility-slots",
                        facility.id,
                        t,
                        f"facility {facility.id} has {facility.slots} slots but checks under "
                        f"way hold {len(held)} in {label(t)} ({', '.join(held)})",
                    )
                )
                break
    return causes


@dataclass(frozen=True)
class ShortfallCause:
    """Aircraft-periods missing for one nation, type and period, and where the fleet was."""

    nation: str
    aircraft_type: str
    period: int
    missing: int
    in_check: int
    on_other_missions: int
    out_of_hours: int
    not_allowed: int
    idle: int

    def sentence(self, instance: Instance) -> str:
        return (
            f"{self.nation} {self.aircraft_type} {instance.period_label(self.period)}: "
            f"{self.missing} missing; of the capable aircraft {self.in_check} in check, "
            f"{self.on_other_missions} on other missions, {self.out_of_hours} out of hours, "
            f"{self.not_allowed} barred by the policy, {self.idle} held back (floors, least stays)"
        )


def explain_shortfall(
    instance: Instance, solution: Solution, report: Report
) -> list[ShortfallCause]:
    """Shortfall per nation, type and period, with where every capable aircraft was."""
    figures = report.figures
    flying: dict[tuple[str, int], set[str]] = defaultdict(set)
    for flight in solution.flights:
        flying[flight.aircraft, flight.period].add(flight.mission)
    groups: dict[tuple[str, str, int], list[int]] = {}
    for (mission_id, t), missing in sorted(figures.shortfall_by.items()):
        mission = instance.mission(mission_id)
        capable = [
            a
            for a in instance.aircraft
            if mission.capabilities <= a.capabilities
            and (mission.aircraft_type is None or a.type == mission.aircraft_type)
        ]
        kind = mission.aircraft_type or "/".join(sorted({a.type for a in capable})) or "-"
        row = groups.setdefault((mission.nation, kind, t), [0, 0, 0, 0, 0, 0])
        row[0] += missing
        for aircraft in capable:
            where = flying.get((aircraft.id, t), set())
            if mission_id in where:
                continue
            if (aircraft.id, t) in figures.in_check:
                row[1] += 1
            elif where:
                row[2] += 1
            elif not instance.may_fly(aircraft, mission, solution.policy):
                row[4] += 1
            elif figures.hours.get((aircraft.id, t - 1), aircraft.hours_left) < mission.hours:
                row[3] += 1
            else:
                row[5] += 1
    return [
        ShortfallCause(nation, kind, t, *row)
        for (nation, kind, t), row in sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][0]))
    ]
