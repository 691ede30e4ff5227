"""``bedeco portal export`` writes the open data as on the site, public records only."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bedeco.cli import app
from bedeco.config import get_settings
from bedeco.db import make_engine
from bedeco.reference import load_all
from bedeco.runtime import unit_of_work
from tests.portal.conftest import MARK, SEED, seed_non_public


@pytest.fixture
def database(sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    shutil.copy(sqlite_template, tmp_path / "cli.sqlite3")
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with unit_of_work(engine) as session:
        for _line in load_all(session):
            pass
    monkeypatch.setenv("BEDECO_DATABASE_URL", str(engine.url))
    monkeypatch.setenv("BEDECO_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
    engine.dispose()


def test_export_writes_every_data_set_in_each_language_without_non_public_records(
    database: Any, tmp_path: Path
) -> None:
    seed_non_public(database)
    out = tmp_path / "open-data"
    result = CliRunner().invoke(app, ["portal", "export", str(out), "--lang", "fr", "--lang", "en"])
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.*"))
    assert len(written) == 2 * 5 * 2
    assert f"fr/resolution/{SEED}/commitments.csv" in written
    data = json.loads((out / "en" / "initiatives.json").read_text())
    assert data["licence"]["id"] == "CC-BY-4.0" and data["total"] == 12
    rows = list(csv.DictReader((out / "fr" / "resolution" / SEED / "commitments.csv").open()))
    assert len(rows) == 16 and rows[0]["text_lang"] == "fr"
    for path in out.rglob("*.*"):
        assert MARK not in path.read_text().lower(), path


def test_export_names_a_wrong_language(database: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["portal", "export", str(tmp_path), "--lang", "es"])
    assert result.exit_code == 1 and "--lang must be one of" in result.output
