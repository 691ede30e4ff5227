"""When checks fall due: the calendar windows shared by model, heuristic and validator.

The benchmark's convention, kept for every instance so that plans stay
comparable with the published ones: the first check starts in
``months_left - window .. months_left``; a following check, after a check that
started in ``s``, in ``s + duration + max_months - window .. s + duration +
max_months - 1``. A check is required when the last month of its window falls
before the horizon's last period; otherwise it may be left beyond the horizon.
Flight hours do not move the window: an aircraft out of hours simply stays on
the ground until its check.
"""

from __future__ import annotations

from dataclasses import dataclass

from bedeco.planning.engine.instance import Aircraft, Instance


@dataclass(frozen=True)
class Window:
    """Earliest and latest start of a check, and whether the horizon needs it."""

    earliest: int
    latest: int
    required: bool

    def periods(self, horizon: int) -> range:
        return range(max(0, self.earliest), min(self.latest, horizon - 1) + 1)


def first_window(instance: Instance, aircraft: Aircraft) -> Window:
    """Window of the first check to plan (after any check under way)."""
    check = instance.check_type_of(aircraft)
    fixed = instance.fixed_check_periods(aircraft)
    after_fixed = fixed.stop if len(fixed) else 0
    earliest = max(aircraft.months_left - check.window, after_fixed)
    latest = aircraft.months_left
    return Window(earliest, latest, latest < instance.periods - 1)


def next_window(instance: Instance, aircraft: Aircraft, start: int) -> Window:
    """Window of the check that follows a check started in ``start``."""
    check = instance.check_type_of(aircraft)
    limit = start + check.duration + check.max_months
    return Window(limit - check.window, limit - 1, limit - 1 < instance.periods - 1)


def possible_starts(instance: Instance, aircraft: Aircraft) -> list[int]:
    """Every period in which some chain of checks may start one."""
    seen: set[int] = set()
    frontier = list(first_window(instance, aircraft).periods(instance.periods))
    while frontier:
        start = frontier.pop()
        if start in seen:
            continue
        seen.add(start)
        frontier.extend(next_window(instance, aircraft, start).periods(instance.periods))
    return sorted(seen)
