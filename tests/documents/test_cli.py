"""``bedeco documents`` commands: parse to stdout, clear errors, import into a file database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from bedeco.cli import app
from bedeco.config import get_settings
from bedeco.db import make_engine
from tests.documents.conftest import FIXTURES, SEED_PATH

runner = CliRunner()


@pytest.fixture
def database(
    sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Engine]:
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    monkeypatch.setenv("BEDECO_DATABASE_URL", str(engine.url))
    monkeypatch.setenv("BEDECO_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
    engine.dispose()


def test_parse_prints_the_json_of_the_seed() -> None:
    result = runner.invoke(app, ["documents", "parse", str(SEED_PATH)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "bedeco.documents/1.0"
    assert len(data["versions"]["nl"]["recitals"]) == 22
    assert len(data["versions"]["fr"]["requests"]) == 16


def test_parse_prints_akn_and_markdown_per_language() -> None:
    akn = runner.invoke(app, ["documents", "parse", str(SEED_PATH), "--format", "akn",
                              "--lang", "fr"])  # fmt: skip
    assert akn.exit_code == 0 and 'language="fra"' in akn.stdout
    assert akn.stdout.startswith("<?xml")
    md = runner.invoke(app, ["documents", "parse", str(SEED_PATH), "--format", "md",
                             "--lang", "nl"])  # fmt: skip
    assert md.exit_code == 0 and "VERZOEKT DE FEDERALE REGERING" in md.stdout


def test_a_text_that_does_not_parse_prints_file_line_expected_and_exits_1(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_text("Dear colleague,\n\nplease find the agenda attached.\n", encoding="utf-8")
    result = runner.invoke(app, ["documents", "parse", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{bad}:1: expected ")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_or_a_wrong_option_is_one_clear_line(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["documents", "parse", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.txt'}: no such file"
    wrong = runner.invoke(app, ["documents", "parse", str(SEED_PATH), "--format", "pdf"])
    assert wrong.exit_code == 2 and wrong.stderr.count("\n") == 1
    assert "--format must be one of json, akn, md" in wrong.stderr
    lang = runner.invoke(app, ["documents", "parse", str(SEED_PATH), "-f", "md", "--lang", "de"])
    assert lang.exit_code == 2 and "--lang must be nl or fr" in lang.stderr


def test_import_stores_the_document_and_reports_the_commitments(database: Engine) -> None:
    result = runner.invoke(app, ["documents", "import", str(SEED_PATH)])
    assert result.exit_code == 0, result.output
    assert "stored be-chamber-56-0367" in result.stdout
    assert "commitments: 16 created, 0 updated" in result.stdout
    with database.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM documents_document")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM register_commitment")).scalar() == 16
    again = runner.invoke(app, ["documents", "import", str(SEED_PATH)])
    assert again.exit_code == 1 and "already imported" in again.output
    replaced = runner.invoke(app, ["documents", "import", str(SEED_PATH), "--replace"])
    assert replaced.exit_code == 0 and "0 created, 16 updated" in replaced.stdout
    listed = runner.invoke(app, ["documents", "list"])
    assert listed.exit_code == 0 and "be-chamber-56-0367" in listed.stdout


def test_importing_an_unreadable_file_writes_nothing(database: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Notes\n\nnothing to see\n", encoding="utf-8")
    result = runner.invoke(app, ["documents", "import", str(bad)])
    assert result.exit_code == 1 and result.stderr.startswith(f"{bad}:1: expected ")
    fixture = runner.invoke(app, ["documents", "import", str(FIXTURES / "nl_tk_motion.txt")])
    assert fixture.exit_code == 0, fixture.output
    with database.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM documents_document")).scalar() == 1
