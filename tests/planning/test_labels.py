"""Pricing on Pareto labels: the same best schedules as the array programme, exactly."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedeco.planning.engine.colgen import DUAL_NOISE, Duals, _Pricing
from bedeco.planning.engine.instance import (
    Aircraft,
    CheckUnderWay,
    Instance,
    Mission,
    MissionUnderWay,
    Policy,
)
from bedeco.planning.engine.solution import Solution
from bedeco.planning.engine.validation import validate

from .test_colgen import _alone, _best_by_cp_sat, _value, prices
from .test_solver import small_instances

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def under_way(draw: st.DrawFn, instance: Instance) -> Instance:
    """``instance`` with, maybe, a check or a mission under way on each aircraft."""
    changed = []
    for aircraft in instance.aircraft:
        kind = draw(st.sampled_from(["none", "check", "mission"]))
        if kind == "check":
            facility = draw(st.sampled_from(instance.facilities)).id
            start = draw(st.integers(-2, 0))  # started before the horizon
            aircraft = dataclasses.replace(aircraft, check_under_way=CheckUnderWay(start, facility))
        elif kind == "mission" and any(_may_continue(m, aircraft) for m in instance.missions):
            # One of its own nation's missions, which it may fly under every policy.
            mission = next(m for m in instance.missions if _may_continue(m, aircraft))
            served = draw(st.integers(1, 2))
            aircraft = dataclasses.replace(
                aircraft, mission_under_way=MissionUnderWay(mission.id, served)
            )
        changed.append(aircraft)
    return dataclasses.replace(instance, aircraft=tuple(changed))


def _may_continue(mission: Mission, aircraft: Aircraft) -> bool:
    return mission.active(0) and mission.nation == aircraft.nation


def _priced_both_ways(
    instance: Instance, policy: Policy, aircraft: Aircraft, duals: Duals
) -> tuple[list[float], list[float], _Pricing]:
    pricer = _Pricing(instance, policy, aircraft)
    by_labels = pricer.by_labels(duals, 4, capacity=1)  # the pool grows from one label
    by_arrays = _Pricing(instance, policy, aircraft).by_arrays(duals, 4)
    return [v for v, _ in by_labels], [v for v, _ in by_arrays], pricer


@SETTINGS
@given(st.data(), small_instances(), st.sampled_from(list(Policy)))
def test_labels_find_the_best_valid_schedule_the_arrays_and_cp_sat_find(
    data: st.DataObject, instance: Instance, policy: Policy
) -> None:
    instance = data.draw(under_way(instance))
    duals = data.draw(prices(instance, lowest_hour_price=0))  # as the master's are
    for aircraft in instance.aircraft:
        alone = _alone(instance, aircraft)
        labels, arrays, pricer = _priced_both_ways(alone, policy, aircraft, duals)
        # Each check pattern's last window's best, best first: the same values.
        assert labels == arrays
        best = _best_by_cp_sat(alone, policy, duals)
        if not labels:
            assert best is None, "the model has a schedule the labels missed"
            continue
        assert best is not None and labels[0] == round(best)
        for value, schedule in pricer.by_labels(duals, 4):
            plan = Solution(policy, schedule.checks, schedule.flights, "colgen", "FEASIBLE")
            assert validate(dataclasses.replace(alone, floors=()), plan).ok
            assert value == _value(alone, aircraft, schedule, duals)


def _one_aircraft(instance: Instance) -> tuple[Instance, Aircraft]:
    aircraft = instance.aircraft[0]
    return _alone(instance, aircraft), aircraft


def _prices(instance: Instance, hour_price: float) -> Duals:
    periods = range(instance.periods)
    return Duals(
        cover={(m.id, t): 1.0 for m in instance.missions for t in periods},
        available={(f.id, t): 0.0 for f in instance.floors for t in periods},
        potential={(f.id, t): hour_price for f in instance.floors for t in periods},
        slots={(f.id, t): 0.0 for f in instance.facilities for t in periods},
        convexity={a.id: 0.0 for a in instance.aircraft},
    )


def test_the_pricing_takes_labels_unless_an_hour_price_is_negative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .conftest import tiny_instance

    instance, aircraft = _one_aircraft(tiny_instance())
    taken: list[str] = []
    for way in ("by_labels", "by_arrays"):
        real = getattr(_Pricing, way)
        monkeypatch.setattr(
            _Pricing,
            way,
            lambda self, duals, count, *, _way=way, _real=real: (
                taken.append(_way) or _real(self, duals, count)
            ),
        )
    for hour_price, way in (
        (0.0, "by_labels"),
        (-DUAL_NOISE / 2, "by_labels"),
        (-1.0, "by_arrays"),
    ):
        taken.clear()
        assert _Pricing(instance, Policy.NATIONAL, aircraft).price(_prices(instance, hour_price))
        assert taken == [way]


def test_labels_refuse_a_negative_hour_price() -> None:
    from .conftest import tiny_instance

    instance, aircraft = _one_aircraft(tiny_instance())
    with pytest.raises(ValueError, match="not negative"):
        _Pricing(instance, Policy.NATIONAL, aircraft).by_labels(_prices(instance, -1.0), 1)
