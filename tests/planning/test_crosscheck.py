"""CP-SAT's proven optima against a second formulation solved by HiGHS (``highs_model.py``)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedeco.planning.engine.instance import Aircraft, CheckType, Facility, Instance, Mission, Policy
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


def test_a_least_stay_that_binds_gives_the_same_optimum_in_both_solvers() -> None:
    """The check in months 2-3 splits the mission: a 3-month stay fits neither side."""
    check = CheckType("c", frozenset({"H"}), duration=2, max_hours=100, max_months=12, window=0)
    aircraft = (Aircraft("a0", "BEL", "H", frozenset({"H"}), hours_left=100, months_left=2),)
    mission = Mission("m0", "BEL", 0, 4, required=1, hours=5, min_consecutive=3)
    facility = Facility("F", "BEL", frozenset({"H"}), slots=1)
    instance = Instance("stay", 6, aircraft, (mission,), (check,), (facility,))
    assert lexicographic_optimum(instance, Policy.NATIONAL) == (0, 5, 0, 1)
    assert_same_optimum(instance, Policy.NATIONAL)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.sampled_from(list(Policy)))
def test_random_small_instances_have_the_same_optimum_in_both_solvers(
    instance: Instance, policy: Policy
) -> None:
    assert_same_optimum(instance, policy)
