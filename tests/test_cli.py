"""The ``bedeco`` command as a person runs it: a real process with BEDECO_* variables."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import bedeco

pytestmark = pytest.mark.slow


def run(
    args: list[str], env_dir: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BEDECO_")}
    environment.update({"BEDECO_VAR_DIR": str(env_dir), "COLUMNS": "200", **env})
    return subprocess.run(
        [sys.executable, "-m", "bedeco", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=env_dir,
        timeout=120,
    )


def test_version_is_printed(tmp_path: Path) -> None:
    result = run(["--version"], tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"bedeco {bedeco.__version__}"


def test_every_command_has_help(tmp_path: Path) -> None:
    for command in (
        [],
        ["init"],
        ["serve"],
        ["users"],
        ["users", "add"],
        ["users", "token"],
        ["audit", "verify"],
        ["reference", "load"],
    ):
        result = run([*command, "--help"], tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout


def test_init_users_tokens_and_audit_from_a_clean_folder(tmp_path: Path) -> None:
    assert run(["init", "--with-reference"], tmp_path).returncode == 0
    loaded = int(run(["audit", "verify"], tmp_path).stdout.split()[1])
    added = run(
        [
            "users",
            "add",
            "eva",
            "--nation",
            "LUX",
            "--clearance",
            "RESTRICTED",
            "--role",
            "viewer",
            "--role",
            "contributor",
            "--password-stdin",
        ],
        tmp_path,
        stdin="a long enough password\n",
    )
    assert added.returncode == 0, added.stderr
    listed = run(["users", "list"], tmp_path)
    assert "eva" in listed.stdout and "LUX" in listed.stdout
    token = run(["users", "token", "eva"], tmp_path).stdout.strip()
    assert token.startswith("bdc_")
    database = sqlite3.connect(tmp_path / "bedeco.sqlite3")
    digests = [row[0] for row in database.execute("SELECT digest FROM security_api_token")]
    assert len(digests) == 1 and token not in digests[0]
    assert "bdc_" in run(["users", "tokens", "eva"], tmp_path).stdout
    assert run(["users", "revoke", "1"], tmp_path).returncode == 0
    assert run(["users", "disable", "eva"], tmp_path).returncode == 0
    verified = run(["audit", "verify"], tmp_path)
    assert verified.returncode == 0
    assert verified.stdout.startswith(f"OK: {loaded + 4} events")  # add, token, revoke, disable


def test_audit_verify_exits_1_naming_the_broken_link(tmp_path: Path) -> None:
    run(["init"], tmp_path)
    for name in ("a1", "a2", "a3"):
        run(
            [
                "users",
                "add",
                name,
                "--nation",
                "BEL",
                "--clearance",
                "RESTRICTED",
                "--role",
                "viewer",
                "--password-stdin",
            ],
            tmp_path,
            stdin="a long enough password\n",
        )
    database = sqlite3.connect(tmp_path / "bedeco.sqlite3")
    database.execute("UPDATE audit_event SET object_id = '99' WHERE seq = 2")
    database.commit()
    result = run(["audit", "verify"], tmp_path)
    assert result.returncode == 1 and "sequence 2" in result.stderr


def test_bad_user_input_is_one_clear_line(tmp_path: Path) -> None:
    run(["init"], tmp_path)
    result = run(
        [
            "users",
            "add",
            "x",
            "--nation",
            "FRA",
            "--clearance",
            "RESTRICTED",
            "--role",
            "viewer",
            "--password-stdin",
        ],
        tmp_path,
        stdin="a long enough password\n",
    )
    assert result.returncode == 1
    assert "nation must be one of BEL, NLD, LUX (field nation)" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_users_get_random_passwords_written_once_with_mode_0600(tmp_path: Path) -> None:
    run(["init"], tmp_path)
    first = run(["users", "demo", "--out", "var/demo.txt"], tmp_path)
    assert first.returncode == 0, first.stderr
    lines = (tmp_path / "var" / "demo.txt").read_text().splitlines()
    assert len(lines) == 12
    assert len({line.split("\t")[1] for line in lines}) == 12
    assert stat.S_IMODE((tmp_path / "var" / "demo.txt").stat().st_mode) == 0o600
    again = run(["users", "demo", "--out", "var/demo.txt"], tmp_path)
    assert "exist already" in again.stdout
    assert len((tmp_path / "var" / "demo.txt").read_text().splitlines()) == 12


def test_unreachable_database_is_one_line_with_the_password_hidden(tmp_path: Path) -> None:
    result = run(
        ["users", "list"],
        tmp_path,
        BEDECO_DATABASE_URL="postgresql://bedeco:s3cret@127.0.0.1:9/nowhere",
    )
    assert result.returncode == 2
    assert "s3cret" not in result.stderr and "***" in result.stderr
    assert "127.0.0.1:9/nowhere" in result.stderr and "Traceback" not in result.stderr


def test_wrong_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = run(["users", "list"], tmp_path, BEDECO_MAX_CLASSIFICATION="COSMIC")
    assert result.returncode == 2
    assert "BEDECO_MAX_CLASSIFICATION: must be one of" in result.stderr
    assert "Traceback" not in result.stderr
