"""The /api/v1/studies API: submit (JSON or upload), list, detail with progress, cancel, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bedeco.planning.worker import run_pending
from tests.factories import bearer, make_token, make_user
from tests.planning.tiny_study import BROKEN, TINY


@pytest.fixture
def api(app_factory: Any) -> Iterator[tuple[TestClient, Any, dict[str, str]]]:
    app, engine = app_factory(planning_worker=False)
    make_user(engine, "anna", nation="BEL")
    make_user(engine, "lars", nation="LUX")
    with TestClient(app) as client:
        yield client, engine, bearer(make_token(engine, "anna"))


def body(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "tiny",
        "scenario": TINY,
        "scenario_file": "tiny.yaml",
        "kind": "compare",
        "time_limit": 1,
        "workers": 1,
        "classification": "RESTRICTED",
    }
    values.update(overrides)
    return values


def test_submitting_answers_at_once_with_a_queued_study(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, anna = api
    response = client.post("/api/v1/studies", json=body(), headers=anna)
    assert response.status_code == 202
    study = response.json()
    assert study["status"] == "queued" and study["progress"]["fraction"] == 0
    assert study["releasable_to"] == ["BEL"] and study["result"] is None


def test_a_broken_scenario_is_a_422_naming_file_line_and_field(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, anna = api
    response = client.post(
        "/api/v1/studies", json=body(scenario=BROKEN, scenario_file="b.yaml"), headers=anna
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "scenario"
    assert error["message"].startswith("b.yaml:5: check_types[0].duration:")


def test_the_public_may_not_submit(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, _anna = api
    assert client.post("/api/v1/studies", json=body()).status_code == 401


def test_a_scenario_file_can_be_uploaded(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, anna = api
    response = client.post(
        "/api/v1/studies/upload",
        files={"file": ("fleet.yaml", TINY.encode())},
        data={"name": "uploaded", "kind": "run", "policy": "national", "time_limit": "1"},
        headers=anna,
    )
    assert response.status_code == 202, response.text
    assert response.json()["policy"] == "national"
    broken = client.post(
        "/api/v1/studies/upload",
        files={"file": ("bad.yaml", BROKEN.encode())},
        data={"name": "bad"},
        headers=anna,
    )
    assert broken.status_code == 422 and "bad.yaml:5" in broken.json()["error"]["message"]


def test_list_is_paginated_sorted_and_hides_other_nations_studies(api) -> None:  # type: ignore[no-untyped-def]
    client, engine, anna = api
    for name in ("b", "c", "a"):
        client.post("/api/v1/studies", json=body(name=name), headers=anna)
    lars = bearer(make_token(engine, "lars"))
    page = client.get("/api/v1/studies?sort=name&page_size=2", headers=anna).json()
    assert [s["name"] for s in page["items"]] == ["a", "b"]
    assert (page["total"], page["page"], page["page_size"]) == (3, 1, 2)
    assert client.get("/api/v1/studies", headers=lars).json()["total"] == 0
    assert client.get("/api/v1/studies?sort=bogus", headers=anna).status_code == 422
    first = page["items"][0]["id"]
    assert client.get(f"/api/v1/studies/{first}", headers=lars).status_code == 404


def test_a_finished_study_has_figures_and_exports(api) -> None:  # type: ignore[no-untyped-def]
    client, engine, anna = api
    study_id = client.post("/api/v1/studies", json=body(), headers=anna).json()["id"]
    assert run_pending(engine, once=True) == 1
    detail = client.get(f"/api/v1/studies/{study_id}", headers=anna).json()
    assert detail["status"] == "done" and detail["progress"]["fraction"] == 1
    runs = detail["result"]["runs"]
    assert [r["policy"] for r in runs] == ["national", "pooled", "joint"]
    assert all("gantt_svg" not in r and "solution" not in r for r in runs)
    exported = client.get(f"/api/v1/studies/{study_id}/export.json", headers=anna)
    assert exported.headers["content-type"].startswith("application/json")
    plans = exported.json()["result"]["runs"]
    assert all(r["solution"]["valid"] for r in plans)
    table = client.get(f"/api/v1/studies/{study_id}/export.csv", headers=anna)
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {r["policy"] for r in rows} == {"national", "pooled", "joint"}
    assert len(rows) == 3 * 4 * 12
    checks = sum(r["state"] == "check" for r in rows if r["policy"] == "joint")
    joint = next(r for r in plans if r["policy"] == "joint")
    assert checks == sum(min(2, 12 - c["start"]) for c in joint["solution"]["checks"])


def test_cancel_needs_a_signed_in_owner_and_an_unfinished_study(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, anna = api
    study_id = client.post("/api/v1/studies", json=body(), headers=anna).json()["id"]
    assert client.post(f"/api/v1/studies/{study_id}/cancel").status_code == 401
    cancelled = client.post(f"/api/v1/studies/{study_id}/cancel", headers=anna)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/studies/{study_id}/cancel", headers=anna)
    assert again.status_code == 409
    assert client.get(f"/api/v1/studies/{study_id}/export.csv", headers=anna).status_code == 404


def test_a_huge_or_negative_id_is_a_422_not_a_crash(api) -> None:  # type: ignore[no-untyped-def]
    client, _engine, anna = api
    assert client.get("/api/v1/studies/99999999999999999999", headers=anna).status_code == 422
    assert client.get("/api/v1/studies/0", headers=anna).status_code == 422
