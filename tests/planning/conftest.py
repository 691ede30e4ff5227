"""Small instances and helpers for the planning engine's tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from bedeco.planning.engine.instance import (
    Aircraft,
    CheckType,
    Facility,
    Floor,
    Instance,
    Mission,
    Policy,
)
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.solver import BuiltModel, SolveParams, build_model, solve
from bedeco.planning.engine.validation import validate

ROOT = Path(__file__).resolve().parents[2]
FMP_DIR = ROOT / "benchmarks" / "fmp"
DATA = Path(__file__).parent / "data"
EXACT = SolveParams(time_limit=10.0, workers=1, seed=0)


def tiny_instance(**changes: object) -> Instance:
    """Two nations, one helicopter type, twelve months: small enough to prove optimal."""
    check = CheckType(
        "H-check", frozenset({"H"}), duration=2, max_hours=100, max_months=6, window=2
    )
    aircraft = (
        Aircraft("BEL-1", "BEL", "H", frozenset({"H"}), hours_left=60, months_left=4),
        Aircraft("BEL-2", "BEL", "H", frozenset({"H"}), hours_left=100, months_left=7),
        Aircraft("NLD-1", "NLD", "H", frozenset({"H"}), hours_left=40, months_left=3),
        Aircraft("NLD-2", "NLD", "H", frozenset({"H"}), hours_left=90, months_left=8),
    )
    missions = (
        Mission("BEL-m", "BEL", 0, 11, required=1, hours=20, min_consecutive=2),
        Mission("NLD-m", "NLD", 0, 11, required=1, hours=20, min_consecutive=2),
    )
    facilities = (
        Facility("BEL-F", "BEL", frozenset({"H"}), slots=1, cost=10, transit_cost=5),
        Facility("NLD-F", "NLD", frozenset({"H"}), slots=1, cost=12, transit_cost=5),
    )
    floors = (Floor("BEL-H", min_available=1, min_hours=40, nation="BEL", aircraft_type="H"),)
    base = Instance(
        name="tiny",
        periods=12,
        aircraft=aircraft,
        missions=missions,
        check_types=(check,),
        facilities=facilities,
        floors=floors,
        start_month="2027-01",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def tiny() -> Instance:
    return tiny_instance()


@pytest.fixture(scope="session")
def tiny_plan() -> Solution:
    """The proven-optimal pooled plan of the tiny instance (validated)."""
    instance = tiny_instance()
    solution = solve(instance, Policy.POOLED, EXACT)
    assert solution.status == "OPTIMAL"
    assert validate(instance, solution).ok
    return solution


def pinned_status(
    instance: Instance,
    policy: Policy,
    plan: Solution,
    extra: Callable[[BuiltModel], None] | None = None,
) -> str:
    """Status of the model with every decision pinned to ``plan``."""
    built = build_model(instance, policy)
    built.fix(plan)
    if extra is not None:
        extra(built)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    return str(solver.status_name(solver.solve(built.model)))
