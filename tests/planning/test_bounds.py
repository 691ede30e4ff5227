"""The decomposition bound on shortfall is valid and, on small cases, tight."""

from __future__ import annotations

from bedeco.planning.engine.bounds import shortfall_lower_bound
from bedeco.planning.engine.decompose import components
from bedeco.planning.engine.instance import Policy
from bedeco.planning.engine.scenario import load_scenario
from bedeco.planning.engine.solver import solve
from bedeco.planning.engine.validation import validate

from .conftest import DATA, EXACT


def test_nations_fall_apart_unless_under_the_joint_command() -> None:
    instance = load_scenario(DATA / "tiny.yaml").instance
    assert len(components(instance, Policy.NATIONAL, floors=False)) == 2
    assert len(components(instance, Policy.JOINT, floors=False)) == 1


def test_the_bound_never_exceeds_the_best_plan_and_proves_the_checks_cost() -> None:
    instance = load_scenario(DATA / "tiny.yaml").instance
    for policy in Policy:
        best = validate(instance, solve(instance, policy, EXACT)).figures.shortfall
        bound = shortfall_lower_bound(instance, policy, 5.0)
        assert bound <= best
    # NLD needs both its aircraft every month, and each must go to a check.
    assert shortfall_lower_bound(instance, Policy.NATIONAL, 5.0) > 0
