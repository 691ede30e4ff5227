"""A plan: the checks started and the aircraft flown, with what the solver proved about it."""

from __future__ import annotations

from dataclasses import dataclass

from bedeco.planning.engine.instance import Policy


@dataclass(frozen=True, order=True)
class PlannedCheck:
    """A check of ``aircraft`` starting in period ``start`` at ``facility``."""

    aircraft: str
    start: int
    facility: str


@dataclass(frozen=True, order=True)
class Flight:
    """``aircraft`` flies ``mission`` in ``period``."""

    aircraft: str
    mission: str
    period: int


@dataclass(frozen=True)
class Solution:
    """The best plan a method found, with its proven bound where there is one.

    ``objective`` and ``bound`` are in the solver's weighted lexicographic
    units (floor misses, then shortfall, then cost, then peak of checks);
    ``floor_bound`` and ``shortfall_bound`` are what the bound proves about the
    first two levels. Figures of the plan itself come from ``validation.py``,
    never from here, so that a plan cannot vouch for itself.
    """

    policy: Policy
    checks: tuple[PlannedCheck, ...]
    flights: tuple[Flight, ...]
    method: str
    status: str
    objective: int | None = None
    bound: int | None = None
    floor_bound: int | None = None
    shortfall_bound: int | None = None
    wall_time: float = 0.0
    first_plan_time: float | None = None
    solutions_found: int = 0
    message: str = ""

    @property
    def has_plan(self) -> bool:
        return self.status in {"OPTIMAL", "FEASIBLE", "HEURISTIC"}

    @property
    def gap(self) -> float | None:
        """Relative distance between the plan and the proven bound (0 = proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)
