"""CP-SAT's proven optima against a second formulation solved by HiGHS (``highs_model.py``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.scenario import load_scenario
from bedeco.planning.engine.solver import solve
from bedeco.planning.engine.validation import validate

from .conftest import DATA, EXACT, tiny_instance
from .highs_model import lexicographic_optimum
from .test_solver import small_instances


def assert_same_optimum(instance: Instance, policy: Policy) -> None:
    solution = solve(instance, policy, EXACT)
    expected = lexicographic_optimum(instance, policy)
    if solution.status == "INFEASIBLE":
        assert expected is None, f"HiGHS found a plan with levels {expected}"
        return
    assert solution.status == "OPTIMAL", solution.status
    levels = validate(instance, solution).figures.levels
    assert levels == expected, f"CP-SAT {levels} against HiGHS {expected}"


@pytest.mark.parametrize("policy", list(Policy))
def test_the_tiny_instance_has_the_same_optimum_in_both_solvers(policy: Policy) -> None:
    assert_same_optimum(tiny_instance(), policy)


@pytest.mark.parametrize("policy", list(Policy))
def test_the_tiny_study_has_the_same_optimum_in_both_solvers(policy: Policy) -> None:
    assert_same_optimum(load_scenario(DATA / "tiny.yaml").instance, policy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.sampled_from(list(Policy)))
def test_random_small_instances_have_the_same_optimum_in_both_solvers(
    instance: Instance, policy: Policy
) -> None:
    assert_same_optimum(instance, policy)
