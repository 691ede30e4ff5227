"""The scaling-series generator writes instances the benchmark reader accepts."""

from __future__ import annotations

from bedeco.planning.engine import fmp
from bedeco.planning.engine.generator import generate
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Policy
from bedeco.planning.engine.validation import validate


def test_a_generated_instance_has_the_published_shape() -> None:
    instance = fmp.read_instance(generate(45, seed=3), "gen45")
    assert len(instance.aircraft) == 45 and instance.periods == 90
    assert instance.facilities[0].slots == 7
    assert min(m.required for m in instance.missions) >= 1
    assert max(m.required for m in instance.missions) <= 6
    assert {m.min_consecutive for m in instance.missions} <= {2, 3, 6}
    report = validate(instance, heuristic_plan(instance, Policy.NATIONAL))
    assert report.ok, report.violations[:3]


def test_generation_is_reproducible() -> None:
    assert generate(60, seed=5) == generate(60, seed=5)
