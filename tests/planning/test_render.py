"""Exports and pictures of a plan: JSON, CSV and accessible SVG."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from bedeco.planning.engine.render import (
    facility_load_svg,
    gantt_svg,
    solution_to_csv,
    solution_to_json,
)
from bedeco.planning.engine.solution import Solution

from .conftest import tiny_instance

SVG = "{http://www.w3.org/2000/svg}"


def test_the_json_export_carries_the_validated_figures(tiny_plan: Solution) -> None:
    data = json.loads(json.dumps(solution_to_json(tiny_instance(), tiny_plan)))
    assert data["valid"] and data["figures"]["shortfall"] == 0
    assert len(data["checks"]) == len(tiny_plan.checks)
    assert data["checks"][0]["month"].startswith("2027-")


def test_the_csv_export_has_one_row_per_aircraft_and_period(tiny_plan: Solution) -> None:
    rows = list(csv.DictReader(io.StringIO(solution_to_csv(tiny_instance(), tiny_plan))))
    assert len(rows) == 4 * 12
    states = {(r["aircraft"], r["period"]): r["state"] for r in rows}
    assert states["BEL-1", "4"] == "check" and states["BEL-1", "0"] == "mission"


def test_the_svgs_are_well_formed_and_titled(tiny_plan: Solution) -> None:
    for svg in (
        gantt_svg(tiny_instance(), tiny_plan),
        facility_load_svg(tiny_instance(), tiny_plan),
    ):
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and "tiny" in (title.text or "")
        rects = root.findall(f"{SVG}rect")
        assert rects and all(r.find(f"{SVG}title") is not None for r in rects)
