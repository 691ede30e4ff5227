"""Explanations: a scenario that cannot be planned, and a plan that leaves missions short."""

from __future__ import annotations

import dataclasses

from bedeco.planning.engine.explain import explain_infeasible, explain_shortfall
from bedeco.planning.engine.instance import CheckUnderWay, Mission, Policy
from bedeco.planning.engine.solver import solve
from bedeco.planning.engine.validation import validate

from .conftest import EXACT, tiny_instance


def test_checks_under_way_beyond_a_facilitys_slots_name_the_facility_and_period() -> None:
    base = tiny_instance()
    held = tuple(
        dataclasses.replace(a, check_under_way=CheckUnderWay(-1, "BEL-F"))
        if a.nation == "BEL"
        else a
        for a in base.aircraft
    )
    instance = dataclasses.replace(base, aircraft=held)
    causes = explain_infeasible(instance, Policy.POOLED)
    assert [(c.rule, c.subject, c.period) for c in causes] == [("facility-slots", "BEL-F", 0)]
    assert "BEL-F" in causes[0].message and "2027-01" in causes[0].message
    assert solve(instance, Policy.POOLED, EXACT).status == "INFEASIBLE"


def test_an_aircraft_past_its_calendar_limit_is_named() -> None:
    base = tiny_instance()
    late = tuple(
        dataclasses.replace(a, months_left=-2) if a.id == "NLD-2" else a for a in base.aircraft
    )
    instance = dataclasses.replace(base, aircraft=late)
    causes = explain_infeasible(instance, Policy.NATIONAL)
    assert [(c.rule, c.subject) for c in causes] == [("calendar-limit", "NLD-2")]
    assert "past its calendar limit" in causes[0].message
    assert solve(instance, Policy.NATIONAL, EXACT).status == "INFEASIBLE"


def test_an_aircraft_past_its_hour_limit_is_named() -> None:
    base = tiny_instance()
    spent = tuple(
        dataclasses.replace(a, hours_left=-5) if a.id == "BEL-1" else a for a in base.aircraft
    )
    causes = explain_infeasible(dataclasses.replace(base, aircraft=spent), Policy.POOLED)
    assert [(c.rule, c.subject, c.period) for c in causes] == [("flight-hours", "BEL-1", 0)]


def test_a_plannable_scenario_has_no_cause() -> None:
    for policy in Policy:
        assert explain_infeasible(tiny_instance(), policy) == []


def test_shortfall_is_explained_per_nation_type_and_period() -> None:
    base = tiny_instance()
    demanding = dataclasses.replace(
        base,
        missions=(*base.missions, Mission("BEL-x", "BEL", 0, 1, required=3, hours=5)),
    )
    solution = solve(demanding, Policy.NATIONAL, EXACT)
    report = validate(demanding, solution)
    assert report.ok and report.figures.shortfall > 0
    causes = explain_shortfall(demanding, solution, report)
    assert sum(c.missing for c in causes) == report.figures.shortfall
    assert {(c.nation, c.aircraft_type) for c in causes} == {("BEL", "H")}
    first = causes[0]
    assert first.period == 0
    assert first.on_other_missions + first.not_allowed >= 1
    assert "BEL H 2027-01" in first.sentence(demanding)
