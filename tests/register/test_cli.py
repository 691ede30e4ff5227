"""``bedeco register`` commands against a file database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bedeco.cli import app
from bedeco.config import get_settings
from tests.factories import make_user


@pytest.fixture
def database(app_factory: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    _app, engine = app_factory(reference=True)
    make_user(engine, "co", roles=("viewer", "contributor", "coordinator"))
    monkeypatch.setenv("BEDECO_DATABASE_URL", str(engine.url))
    monkeypatch.setenv("BEDECO_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def test_list_progress_export_and_import_work_from_the_command_line(
    database: Any, tmp_path: Path
) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["register", "list", "--as", "co", "--q", "PESCO"])
    assert listed.exit_code == 0 and "1 commitments" in listed.output
    progress = runner.invoke(app, ["register", "progress", "--as", "co"])
    assert progress.exit_code == 0 and "proposed" in progress.output
    out = tmp_path / "register.yaml"
    exported = runner.invoke(app, ["register", "export", str(out), "--as", "co"])
    assert exported.exit_code == 0 and out.read_text().startswith("format: bedeco-register")
    imported = runner.invoke(app, ["register", "import", str(out), "--as", "co"])
    assert imported.exit_code == 0, imported.output


def test_an_unknown_user_is_a_clear_error(database: Any) -> None:
    result = CliRunner().invoke(app, ["register", "list", "--as", "nobody"])
    assert result.exit_code == 1 and "nobody" in result.output


def test_a_zip_export_counts_the_evidence_files_and_a_forged_one_is_refused(
    database: Any, tmp_path: Path
) -> None:
    import zipfile

    runner = CliRunner()
    out = tmp_path / "register.zip"
    exported = runner.invoke(app, ["register", "export", str(out), "--as", "co"])
    assert exported.exit_code == 0, exported.output
    assert "0 of 0 evidence files" in exported.output
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("evidence/not-a-checksum", b"x")
    refused = runner.invoke(app, ["register", "import", str(out), "--as", "co"])
    assert refused.exit_code == 1
    assert "evidence/not-a-checksum" in refused.output and "SHA-256" in refused.output
