"""The lexicographic objective as one weighted sum, and back.

Floor misses come first, then shortfall, then cost, then the peak of checks
(with a floor-miss budget: misses beyond the budget, shortfall, every miss,
cost, peak). Each level's weight exceeds everything the levels below it can
add up to, so the sum ranks plans exactly as the levels do. The weights
depend on the instance only, so that plans put together from parts can be
scored on the whole without building its model.
"""

from __future__ import annotations

from dataclasses import dataclass

from bedeco.planning.engine.due import possible_starts
from bedeco.planning.engine.instance import Instance, Policy

Levels = tuple[int, int, int, int]
"""Floor misses, shortfall, cost, peak."""


@dataclass(frozen=True)
class Objective:
    """Weights of the levels; ``per_miss`` weighs every miss when there is a budget."""

    floor: int
    shortfall: int
    cost: int
    peak: int
    budget: int = 0
    per_miss: int = 0

    @property
    def weights(self) -> Levels:
        return (self.floor, self.shortfall, self.cost, self.peak)

    def of(self, levels: Levels) -> int:
        """The weighted objective of a plan's levels."""
        misses, shortfall, cost, peak = levels
        return (
            self.floor * max(0, misses - self.budget)
            + self.shortfall * shortfall
            + (self.per_miss * misses if self.budget else 0)
            + self.cost * cost
            + self.peak * peak
        )

    def levels(self, value: int) -> Levels:
        """The levels a weighted objective stands for (the inverse of :meth:`of`)."""
        first, rest = divmod(value, self.floor)
        shortfall, rest = divmod(rest, self.shortfall)
        misses = first
        if self.budget:
            misses, rest = divmod(rest, self.per_miss)
        cost, peak = divmod(rest, self.cost)
        return (misses, shortfall, cost, peak // self.peak)

    def bound(self, floor_bound: int, shortfall_bound: int) -> int:
        """A lower bound on the objective from proven bounds on misses and shortfall."""
        return self.floor * max(0, floor_bound - self.budget) + self.shortfall * shortfall_bound


def objective_for(instance: Instance, policy: Policy, floor_miss_budget: int = 0) -> Objective:
    """Weights that keep the levels apart for every plan of ``instance`` under ``policy``."""
    starts = {a.id: len(possible_starts(instance, a)) for a in instance.aircraft}
    prices = [
        instance.check_cost(a, f)
        for a in instance.aircraft
        for f in instance.facilities
        if starts[a.id] and instance.may_maintain(a, f, policy)
    ]
    top_price = max(prices, default=0)
    floor_ub = 2 * len(instance.floors) * instance.periods
    shortfall_ub = sum(m.required * (m.end - m.start + 1) for m in instance.missions)
    cost_ub = sum(top_price * n for n in starts.values())
    peak_w = 1
    cost_w = len(instance.aircraft) + 1
    per_miss = cost_w * (cost_ub + 1) if floor_miss_budget > 0 else 0
    shortfall_w = per_miss * (floor_ub + 1) if floor_miss_budget > 0 else cost_w * (cost_ub + 1)
    floor_w = shortfall_w * (shortfall_ub + 1)
    if floor_w * (floor_ub + 1) > 2**62:
        raise ValueError("objective levels too large: express costs in larger units")
    return Objective(floor_w, shortfall_w, cost_w, peak_w, floor_miss_budget, per_miss)
