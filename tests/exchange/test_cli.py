"""``bedeco exchange`` as a person runs it: a real process with BEDECO_* variables."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bedeco.db import make_engine
from bedeco.exchange import service
from bedeco.runtime import unit_of_work
from bedeco.security import service as security
from bedeco.security.logic import Classification
from tests.exchange.helpers import content
from tests.exchange.receiver import receiver
from tests.factories import make_user


def run(args: list[str], folder: Path, stdin: str = "") -> Any:
    """Run ``bedeco exchange ...`` in-process with BEDECO_* variables naming a database in ``folder``."""
    from typer.testing import CliRunner

    from bedeco.cli import app
    from bedeco.config import get_settings

    env = {
        "BEDECO_VAR_DIR": str(folder / "var"),
        "BEDECO_DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}",
        "COLUMNS": "200",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["exchange", *args], input=stdin)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def world(sqlite_template: Path, folder: Path) -> tuple[Engine, int]:
    shutil.copy(sqlite_template, folder / "cli.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'cli.sqlite3'}")
    make_user(engine, "bel", nation="BEL")
    make_user(engine, "lux", nation="LUX")
    with unit_of_work(engine) as session:
        bel = security.principal_for(security.get_user_by_name(session, "bel"))
        notice = service.create_notice(
            session,
            bel,
            content=content(releasable_to={"BEL", "NLD"}),
            highest=Classification.RESTRICTED,
        )
        service.circulate_notice(session, bel, notice_id=notice.id, version=1)
    return engine, notice.id


def test_export_applies_the_access_rule_of_the_person_named(
    sqlite_template: Path, tmp_path: Path
) -> None:
    engine, notice_id = world(sqlite_template, tmp_path)
    engine.dispose()
    done = run(["export", str(notice_id), "--as", "bel"], tmp_path)
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["notice"]["id"] == notice_id
    assert [v["version"] for v in data["history"]["notice_versions"]] == [1, 2]
    refused = run(["export", str(notice_id), "--as", "lux"], tmp_path)
    assert refused.exit_code == 1 and "no notice" in refused.output
    assert "notice_versions" not in refused.output


def test_webhook_set_and_deliver_once(sqlite_template: Path, tmp_path: Path) -> None:
    engine, _notice_id = world(sqlite_template, tmp_path)
    with receiver(fail=0) as hook:
        set_done = run(
            ["webhook", "set", "NLD", "--url", hook.url + "/NLD", "--secret-stdin"],
            tmp_path,
            stdin="a-long-enough-shared-secret\n",
        )
        assert set_done.exit_code == 0, set_done.output
        listed = run(["webhook", "list"], tmp_path)
        assert "NLD" in listed.output and "a-long-enough" not in listed.output
        # a notice circulated after the webhook exists is delivered
        with unit_of_work(engine) as session:
            bel = security.principal_for(security.get_user_by_name(session, "bel"))
            notice = service.create_notice(
                session,
                bel,
                content=content(operation="After hook"),
                highest=Classification.RESTRICTED,
            )
            service.circulate_notice(session, bel, notice_id=notice.id, version=1)
        engine.dispose()
        delivered = run(["deliver"], tmp_path)
        assert delivered.exit_code == 0, delivered.output
        assert "delivered 1" in delivered.output
        assert [json.loads(r.body)["notice"]["operation"] for r in hook.requests] == ["After hook"]
    shown = run(["deliveries", "NLD"], tmp_path)
    assert "delivered" in shown.output


def test_every_exchange_command_has_help(tmp_path: Path) -> None:
    for command in (
        [],
        ["export"],
        ["deliver"],
        ["deliveries"],
        ["webhook"],
        ["webhook", "set"],
        ["webhook", "list"],
        ["webhook", "remove"],
    ):
        result = run([*command, "--help"], tmp_path)
        assert result.exit_code == 0 and "Usage" in result.output, (command, result.output)
