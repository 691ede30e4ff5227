"""The ``bedeco planning`` sub-app, driven through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bedeco.planning.cli import app

from .conftest import DATA, FMP_DIR

runner = CliRunner()


def test_validate_accepts_the_tiny_scenario() -> None:
    result = runner.invoke(app, ["validate", str(DATA / "tiny.yaml")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_names_file_line_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text((DATA / "tiny.yaml").read_text().replace("periods: 12", "periods: twelve"))
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml:5: periods: must be an integer >= 1" in result.output


def test_run_shows_the_figures_and_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    args = ["run", str(DATA / "tiny.yaml"), "--policy", "joint", "--time-limit", "5"]
    result = runner.invoke(app, [*args, "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "shortfall" in result.output
    assert json.loads(out.read_text())["valid"] is True


def test_compare_prints_one_table_for_all_policies() -> None:
    args = ["compare", str(DATA / "tiny.yaml"), "--time-limit", "5", "--workers", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for policy in ("national", "pooled", "joint"):
        assert policy in result.output
    assert "significant" in result.output


def test_fmp_solve_writes_a_data_out_plan(tmp_path: Path) -> None:
    out = tmp_path / "PLAN.json"
    instance = FMP_DIR / "a060_p04_s81.json"
    result = runner.invoke(
        app, ["fmp", "solve", str(instance), "--time-limit", "8", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert set(plan) == {"state_m", "task"} and plan["task"]


def test_a_negative_floor_miss_budget_is_refused_naming_the_option() -> None:
    args = ["fmp", "solve", str(FMP_DIR / "a060_p04_s81.json"), "--floor-miss-budget", "-1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--floor-miss-budget" in result.output
