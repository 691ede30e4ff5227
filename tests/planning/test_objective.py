"""The weighted objective ranks plans exactly as the levels do, and can be read back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bedeco.planning.engine.instance import Policy
from bedeco.planning.engine.objective import Objective, objective_for
from bedeco.planning.engine.solver import build_model

from .conftest import tiny_instance

TINY = tiny_instance()
PERIODS = TINY.periods
FLOOR_UB = 2 * len(TINY.floors) * PERIODS
SHORTFALL_UB = sum(m.required * (m.end - m.start + 1) for m in TINY.missions)


def _objectives() -> st.SearchStrategy[Objective]:
    return st.builds(objective_for, st.just(TINY), st.sampled_from(list(Policy)), st.integers(0, 3))


levels = st.tuples(
    st.integers(0, FLOOR_UB), st.integers(0, SHORTFALL_UB), st.integers(0, 60), st.integers(0, 4)
)


def _rank(objective: Objective, lv: tuple[int, int, int, int]) -> tuple[int, ...]:
    misses, shortfall, cost, peak = lv
    if objective.budget:
        return (max(0, misses - objective.budget), shortfall, misses, cost, peak)
    return (misses, shortfall, cost, peak)


@given(_objectives(), levels)
def test_levels_read_back_what_the_weighted_sum_holds(
    objective: Objective, lv: tuple[int, int, int, int]
) -> None:
    assert objective.levels(objective.of(lv)) == lv


@given(_objectives(), levels, levels)
def test_the_weighted_sum_ranks_plans_lexicographically(
    objective: Objective, a: tuple[int, int, int, int], b: tuple[int, int, int, int]
) -> None:
    assert (objective.of(a) < objective.of(b)) == (_rank(objective, a) < _rank(objective, b))


@given(_objectives(), levels, st.integers(0, FLOOR_UB), st.integers(0, SHORTFALL_UB))
def test_a_bound_from_proven_levels_never_exceeds_a_plan_that_respects_them(
    objective: Objective, lv: tuple[int, int, int, int], floor_bound: int, shortfall_bound: int
) -> None:
    misses, shortfall, _, _ = lv
    proven = misses >= floor_bound and (
        shortfall >= shortfall_bound or misses > max(floor_bound, objective.budget)
    )
    if proven:
        assert objective.bound(floor_bound, shortfall_bound) <= objective.of(lv)


def test_the_model_uses_the_same_weights() -> None:
    for policy in Policy:
        for budget in (0, 2):
            built = build_model(TINY, policy, budget)
            assert built.objective == objective_for(TINY, policy, budget)
