"""Scenario files: the reference study loads; every error names file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bedeco.planning.engine.scenario import ScenarioInvalid, load_scenario, parse_scenario

from .conftest import DATA, ROOT

REFERENCE = ROOT / "src" / "bedeco" / "planning" / "data" / "reference-study.yaml"


def _problems(text: str, file: str = "study.yaml") -> list[str]:
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text, file)
    return [str(p) for p in caught.value.problems]


def test_the_reference_study_is_illustrative_and_complete() -> None:
    scenario = load_scenario(REFERENCE)
    instance = scenario.instance
    assert scenario.illustrative and "invented" in scenario.note
    assert "ILLUSTRATIVE" in REFERENCE.read_text() and "INVENTED" in REFERENCE.read_text()
    assert instance.periods == 60
    fleet = {}
    for a in instance.aircraft:
        fleet[a.nation, a.type] = fleet.get((a.nation, a.type), 0) + 1
    assert fleet["BEL", "A400M"] == 7 and fleet["LUX", "A400M"] == 1
    assert {n for n, _ in fleet} == {"BEL", "NLD", "LUX"}
    assert {f.nation for f in instance.facilities} == {"BEL", "NLD", "LUX"}


def test_a_wrong_type_is_reported_with_file_line_and_field() -> None:
    text = (
        (DATA / "tiny.yaml").read_text().replace("required: 2, hours: 20", "required: 2, hours: x")
    )
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "hours: x" in row)
    assert _problems(text) == [f"study.yaml:{line}: missions[1].hours: must be an integer >= 0"]


def test_a_missing_field_names_the_entry_that_lacks_it() -> None:
    text = (DATA / "tiny.yaml").read_text().replace("slots: 1, cost: 10,", "cost: 10,")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "BEL-F, nation" in row)
    assert _problems(text) == [f"study.yaml:{line}: facilities[0]: missing required field 'slots'"]


def test_every_problem_is_reported_at_once() -> None:
    text = (DATA / "tiny.yaml").read_text()
    text = text.replace("periods: 12", "periods: 0").replace(
        "nation: NLD, start: 0", "nation: FRA, start: 0"
    )
    problems = _problems(text)
    assert any(": periods: must be an integer >= 1" in p for p in problems)
    assert any("missions[1].nation: no aircraft of nation 'FRA'" in p for p in problems)


def test_json_scenarios_get_line_numbers_too(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((DATA / "tiny.yaml").read_text())
    data["check_types"][0]["duration"] = -1
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data, indent=2))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if '"duration"' in row)
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(path)
    assert [str(p) for p in caught.value.problems] == [
        f"tiny.json:{line}: check_types[0].duration: must be an integer >= 1"
    ]


def test_broken_yaml_names_the_line() -> None:
    problems = _problems("name: x\nperiods: [1,\n")
    assert problems[0].startswith("study.yaml:3: (document): not YAML/JSON")
