"""The public FMP benchmark: read both instances, plan them, write the data_out format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bedeco.planning.engine import fmp
from bedeco.planning.engine.heuristic import heuristic_plan
from bedeco.planning.engine.instance import Instance, Policy
from bedeco.planning.engine.validation import validate

from .conftest import FMP_DIR

NAMES = ("a060_p04_s81", "a060_p04_s85")


def _read(name: str) -> tuple[dict[str, Any], Instance]:
    data = json.loads((FMP_DIR / f"{name}.json").read_text())
    return data, fmp.read_instance(data, name)


@pytest.mark.parametrize("name", NAMES)
def test_a_benchmark_instance_is_read_whole(name: str) -> None:
    data, instance = _read(name)
    assert instance.periods == 90 and instance.start_month == "2018-01"
    assert len(instance.aircraft) == 60 and len(instance.missions) == 41
    assert instance.facilities[0].slots == 9
    check = instance.check_types[0]
    assert (check.duration, check.max_hours, check.max_months, check.window) == (6, 1000, 60, 15)
    clusters = {frozenset(t["capacities"]) for t in data["tasks"].values()}
    assert len(instance.floors) == len(clusters)
    for floor in instance.floors:
        size = sum(1 for a in instance.aircraft if floor.covers(a))
        assert floor.min_hours == size * 500
        assert floor.min_available == max(1, -(-size // 10))


def test_checks_and_missions_under_way_are_carried_over() -> None:
    _, instance = _read("a060_p04_s81")
    by_id = {a.id: a for a in instance.aircraft}
    # Aircraft 25 was in check from 2017-08: six months, so it stays in check in 2018-01.
    assert by_id["25"].check_under_way is not None
    assert list(instance.fixed_check_periods(by_id["25"])) == [0]
    # Aircraft 21 flew mission 31 for two months; its least stay is three.
    assert instance.forced_mission_periods(by_id["21"]) == ("31", range(0, 1))


@pytest.mark.parametrize("name", NAMES)
def test_the_heuristic_plan_validates_and_is_written_in_the_data_out_format(name: str) -> None:
    _, instance = _read(name)
    solution = heuristic_plan(instance, Policy.NATIONAL)
    report = validate(instance, solution)
    assert report.ok, report.violations[:5]
    out = fmp.write_solution(instance, solution)
    assert set(out) == {"state_m", "task"}
    for months in out["state_m"].values():
        for month, state in months.items():
            assert len(month) == 7 and month[4] == "-" and state == {"M": 1}
    flown = sum(len(months) for months in out["task"].values())
    assert flown == len(solution.flights)
    json.dumps(out)
    again = fmp.read_solution(instance, json.loads(json.dumps(out)))
    assert set(again.checks) == set(solution.checks)
    assert set(again.flights) == set(solution.flights)


def test_floor_misses_are_reported_per_cluster_and_month() -> None:
    _, instance = _read("a060_p04_s85")
    report = validate(instance, heuristic_plan(instance, Policy.NATIONAL))
    misses = fmp.cluster_misses(instance, report)
    assert len(misses) == len(report.figures.floor_misses)
    for miss in misses:
        assert miss.cluster.startswith("cluster-") and miss.got < miss.need
        assert miss.month >= "2018-01" and miss.kind in {"available", "hours"}
