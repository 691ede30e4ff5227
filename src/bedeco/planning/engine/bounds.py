"""A proven least shortfall, by decomposition, so that gaps mean something.

The full model's LP bound says little about shortfall (the hour rules are
half-reified and stay out of the relaxation). But aircraft that can never
fly each other's missions only meet at the facilities and the floors;
dropping the floors and keeping only the component's own aircraft relaxes
the problem, so the least shortfall of each component, proven by a small
search, adds up to a valid lower bound on the whole (floors come first in
the objective, so the bound holds for every plan, a fortiori for the best).
"""

from __future__ import annotations

import dataclasses
import math

from ortools.sat.python import cp_model

from bedeco.planning.engine.cpsat import build_model
from bedeco.planning.engine.decompose import components
from bedeco.planning.engine.instance import Instance, Policy


def shortfall_lower_bound(
    instance: Instance, policy: Policy, time_limit: float = 5.0, seed: int = 0
) -> int:
    """Least shortfall any plan of ``instance`` under ``policy`` can have, as far as proven."""
    parts = [c for c in components(instance, policy, floors=False) if c[1]]
    total = 0
    for aircraft_ids, mission_ids in parts:
        sub = dataclasses.replace(
            instance,
            aircraft=tuple(a for a in instance.aircraft if a.id in aircraft_ids),
            missions=tuple(m for m in instance.missions if m.id in mission_ids),
            floors=(),
        )
        built = build_model(sub, policy)
        built.model.minimize(sum(built.vars.shortfall.values()))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, time_limit / len(parts))
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        status = solver.solve(built.model)
        if status == cp_model.OPTIMAL:
            total += round(solver.objective_value)
        elif status == cp_model.FEASIBLE:
            total += math.ceil(solver.best_objective_bound - 1e-6)
    return total
