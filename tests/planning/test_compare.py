"""Policies side by side, significance within the gaps, and the capacity bisection."""

from __future__ import annotations

import threading

import pytest

from bedeco.planning.engine import compare
from bedeco.planning.engine.compare import (
    PolicyRun,
    capacity_study,
    compare_policies,
    significant,
    with_total_slots,
)
from bedeco.planning.engine.instance import Aircraft, CheckType, Facility, Instance, Policy
from bedeco.planning.engine.scenario import load_scenario
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.validation import Figures, Report

from .conftest import DATA, EXACT


def test_every_policy_is_solved_with_the_same_budget_and_validated() -> None:
    instance = load_scenario(DATA / "tiny.yaml").instance
    comparison = compare_policies(instance, params=EXACT)
    assert [r.policy for r in comparison.runs] == list(Policy)
    for run in comparison.runs:
        assert run.report.ok and run.solution.status == "OPTIMAL"
    # NLD needs two aircraft a month from two; lending a Belgian one can only help.
    national = comparison.run(Policy.NATIONAL)
    joint = comparison.run(Policy.JOINT)
    assert joint.shortfall <= national.shortfall
    assert national.shortfall > 0


def _run(shortfall: int, bound: int, policy: Policy = Policy.POOLED) -> PolicyRun:
    solution = Solution(policy, (), (), "cp-sat", "FEASIBLE", floor_bound=0, shortfall_bound=bound)
    return PolicyRun(policy, solution, Report([], Figures(shortfall=shortfall)))


def test_a_difference_within_the_gaps_is_not_significant() -> None:
    assert not significant(_run(10, 4), _run(7, 6))
    assert significant(_run(10, 9), _run(7, 6))
    assert significant(_run(3, 3), _run(10, 8))


def test_total_slots_are_shared_as_today_with_at_least_one_each() -> None:
    instance = load_scenario(DATA / "tiny.yaml").instance
    assert [f.slots for f in with_total_slots(instance, 2).facilities] == [1, 1]
    assert sum(f.slots for f in with_total_slots(instance, 5).facilities) == 5


def bunched() -> Instance:
    """Both Belgian aircraft must start their check in month 1: alone, BEL needs two slots."""
    check = CheckType("c", frozenset({"H"}), duration=2, max_hours=100, max_months=6, window=0)
    aircraft = (
        Aircraft("BEL-1", "BEL", "H", frozenset({"H"}), 100, 1),
        Aircraft("BEL-2", "BEL", "H", frozenset({"H"}), 100, 1),
        Aircraft("NLD-1", "NLD", "H", frozenset({"H"}), 100, 10),
    )
    facilities = (
        Facility("BEL-F", "BEL", frozenset({"H"}), 1),
        Facility("NLD-F", "NLD", frozenset({"H"}), 1),
    )
    return Instance("bunched", 6, aircraft, (), (check,), facilities)


def test_a_cancelled_capacity_study_stops_at_once_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cancel = threading.Event()
    handed: list[object] = []
    real = compare.solve

    def probe_then_cancel(*args, **kwargs):  # type: ignore[no-untyped-def]
        handed.append(kwargs.get("cancel"))
        result = real(*args, **kwargs)
        cancel.set()
        return result

    monkeypatch.setattr(compare, "solve", probe_then_cancel)
    policies = (Policy.NATIONAL, Policy.POOLED)
    study = capacity_study(bunched(), policies, EXACT, ceiling=6, cancel=cancel)
    assert study.cancelled and study.least_slots == {}
    assert handed == [cancel], "the probe under way gets the cancel event; no probe follows"


def test_the_capacity_study_finds_the_least_slots_and_the_pooling_gain() -> None:
    instance = bunched()
    study = capacity_study(instance, (Policy.NATIONAL, Policy.POOLED), EXACT, ceiling=6)
    assert study.least_slots == {Policy.NATIONAL: 3, Policy.POOLED: 2}
    assert not study.cancelled
    assert study.gain() == 1.5
