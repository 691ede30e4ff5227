"""Decision variables of the CP-SAT model, created once and shared by every rule family.

Policy enters here first: a check variable exists only for a facility the
policy allows, a flight variable only for a mission the policy lets the
aircraft fly. A rule class in ``constraints.py`` then only has to say what
must hold between the variables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from bedeco.planning.engine.due import possible_starts
from bedeco.planning.engine.instance import Instance, Policy

Var = cp_model.IntVar
Expr = cp_model.LinearExprT


@dataclass
class ModelVars:
    """Every variable of one model, keyed by aircraft id, mission id, facility id and period."""

    instance: Instance
    policy: Policy
    model: cp_model.CpModel
    start: dict[tuple[str, int, str], Var] = field(default_factory=dict)
    starts_at: dict[tuple[str, int], Var] = field(default_factory=dict)
    in_check: dict[tuple[str, int], Var | int] = field(default_factory=dict)
    fly: dict[tuple[str, str, int], Var] = field(default_factory=dict)
    fly_at: dict[tuple[str, int], list[tuple[str, Var]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    hours: dict[tuple[str, int], Var] = field(default_factory=dict)
    shortfall: dict[tuple[str, int], Var] = field(default_factory=dict)
    available_miss: dict[tuple[str, int], Var] = field(default_factory=dict)
    hours_miss: dict[tuple[str, int], Var] = field(default_factory=dict)
    peak: Var | None = None
    cost_terms: list[tuple[Var, int]] = field(default_factory=list)

    def impossible(self) -> None:
        """Add a constraint nothing satisfies: a rule needs a variable that cannot exist."""
        self.model.add_bool_or([])


def create_variables(instance: Instance, policy: Policy, model: cp_model.CpModel) -> ModelVars:
    """Create the check, flight, hour, shortfall and floor-miss variables."""
    v = ModelVars(instance, policy, model)
    horizon = instance.periods
    for aircraft in instance.aircraft:
        check = instance.check_type_of(aircraft)
        facilities = [f for f in instance.facilities if instance.may_maintain(aircraft, f, policy)]
        for t in possible_starts(instance, aircraft) if facilities else []:
            per_facility = []
            for facility in facilities:
                var = model.new_bool_var(f"start_{aircraft.id}_{t}_{facility.id}")
                v.start[aircraft.id, t, facility.id] = var
                v.cost_terms.append((var, instance.check_cost(aircraft, facility)))
                per_facility.append(var)
            if len(per_facility) == 1:
                v.starts_at[aircraft.id, t] = per_facility[0]
            else:
                any_start = model.new_bool_var(f"starts_{aircraft.id}_{t}")
                model.add(any_start == sum(per_facility))
                v.starts_at[aircraft.id, t] = any_start
        fixed = set(instance.fixed_check_periods(aircraft))
        for t in range(horizon):
            if t in fixed:
                v.in_check[aircraft.id, t] = 1
                continue
            covering = [
                v.starts_at[aircraft.id, s]
                for s in range(t - check.duration + 1, t + 1)
                if (aircraft.id, s) in v.starts_at
            ]
            if not covering:
                v.in_check[aircraft.id, t] = 0
            elif len(covering) == 1:
                v.in_check[aircraft.id, t] = covering[0]
            else:
                busy = model.new_bool_var(f"check_{aircraft.id}_{t}")
                model.add(busy == sum(covering))
                v.in_check[aircraft.id, t] = busy
            top = max(check.max_hours, aircraft.hours_left)
            v.hours[aircraft.id, t] = model.new_int_var(0, top, f"hours_{aircraft.id}_{t}")
        for t in fixed:
            top = max(check.max_hours, aircraft.hours_left)
            v.hours[aircraft.id, t] = model.new_int_var(0, top, f"hours_{aircraft.id}_{t}")
        for mission in instance.missions:
            if not instance.may_fly(aircraft, mission, policy):
                continue
            for t in range(max(0, mission.start), min(mission.end, horizon - 1) + 1):
                if t in fixed:
                    continue
                var = model.new_bool_var(f"fly_{aircraft.id}_{mission.id}_{t}")
                v.fly[aircraft.id, mission.id, t] = var
                v.fly_at[aircraft.id, t].append((mission.id, var))
    for mission in instance.missions:
        for t in range(max(0, mission.start), min(mission.end, horizon - 1) + 1):
            v.shortfall[mission.id, t] = model.new_int_var(
                0, mission.required, f"short_{mission.id}_{t}"
            )
    for floor in instance.floors:
        for t in range(horizon):
            v.available_miss[floor.id, t] = model.new_bool_var(f"amiss_{floor.id}_{t}")
            v.hours_miss[floor.id, t] = model.new_bool_var(f"hmiss_{floor.id}_{t}")
    v.peak = model.new_int_var(0, len(instance.aircraft), "peak")
    return v
