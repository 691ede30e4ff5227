"""The register through the API: lists, the workflow, versions, evidence, import and export."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import bearer, make_token, make_user

SEED = "be-chamber-56-0367"


def coordinator_client(
    app_factory: Any, name: str = "co", nation: str = "BEL"
) -> tuple[TestClient, Any]:
    app, engine = app_factory(reference=True)
    make_user(engine, name, nation=nation, roles=("viewer", "contributor", "coordinator"))
    client = TestClient(app)
    client.headers.update(bearer(make_token(engine, name)))
    return client, engine


def test_the_seed_gives_sixteen_public_commitments_to_the_public(app_factory: Any) -> None:
    app, _engine = app_factory(reference=True)
    body = (
        TestClient(app)
        .get("/api/v1/commitments", params={"instrument": SEED, "page_size": 50})
        .json()
    )
    assert body["total"] == 16 and len(body["items"]) == 16
    assert {c["classification"] for c in body["items"]} == {"PUBLIC"}
    progress = TestClient(app).get("/api/v1/progress", params={"instrument": SEED}).json()
    assert progress["total"] == 16 and progress["counts"]["proposed"] == 16


def test_an_illegal_transition_answers_409_with_the_reason(app_factory: Any) -> None:
    client, _ = coordinator_client(app_factory)
    answer = client.post("/api/v1/commitments/1/status", json={"status": "implemented"})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "illegal_transition"
    assert "can only become" in answer.json()["error"]["message"]


def test_two_coordinators_changing_at_once_the_second_gets_409_and_nothing_is_lost(
    app_factory: Any,
) -> None:
    first, engine = coordinator_client(app_factory, "co1")
    make_user(engine, "co2", nation="NLD", roles=("viewer", "contributor", "coordinator"))
    second = TestClient(first.app)
    second.headers.update(bearer(make_token(engine, "co2")))
    v1 = first.get("/api/v1/commitments/2").json()["version"]
    v2 = second.get("/api/v1/commitments/2").headers["ETag"]
    ok = first.post(
        "/api/v1/commitments/2/status",
        json={"status": "under_study", "version": v1, "comment": "one"},
    )
    assert ok.status_code == 200
    late = second.post("/api/v1/commitments/2/status", json={"status": "decided", "comment": "two"},
                       headers={"If-Match": v2})  # fmt: skip
    assert late.status_code == 409 and late.json()["error"]["code"] == "stale_version"
    history = first.get("/api/v1/commitments/2").json()["history"]
    assert [h["comment"] for h in history][-1] == "one"
    assert first.get("/api/v1/commitments/2").json()["status"] == "under_study"


def test_evidence_upload_is_kept_by_checksum_and_limited_in_size(
    app_factory: Any, monkeypatch: Any
) -> None:
    client, _ = coordinator_client(app_factory)
    stored = client.post(
        "/api/v1/evidence-files", files={"file": ("a.txt", b"proof", "text/plain")}
    )
    assert stored.status_code == 201 and len(stored.json()["sha256"]) == 64
    from bedeco.register import api

    monkeypatch.setattr(api, "MAX_EVIDENCE_BYTES", 3)
    too_big = client.post(
        "/api/v1/evidence-files", files={"file": ("b.txt", b"12345", "text/plain")}
    )
    assert too_big.status_code == 413 and too_big.json()["error"]["field"] == "file"


def test_an_anonymous_change_is_refused(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    answer = TestClient(app).post("/api/v1/commitments/1/status", json={"status": "under_study"})
    assert answer.status_code == 401


def test_export_then_import_into_an_empty_database_gives_the_same_records(app_factory: Any) -> None:
    source, _ = coordinator_client(app_factory)
    sha = source.post(
        "/api/v1/evidence-files", files={"file": ("a.txt", b"proof", "text/plain")}
    ).json()
    for status in ("decided", "in_progress", "implemented"):
        version = source.get("/api/v1/commitments/1").json()["version"]
        source.post("/api/v1/commitments/1/status", json={
            "status": status, "version": version, "comment": f"to {status}",
            "evidence": [{"kind": "file", **{k: sha[k] for k in ("sha256", "file_name", "media_type", "size")}}],
        })  # fmt: skip
    source.post("/api/v1/commitments", json={"title": {"nl": "geheim", "fr": "secret"},
                "classification": "RESTRICTED", "releasable_to": ["BEL"], "domains": ["cyber"],
                "target_on": "2027-01-31"})  # fmt: skip
    for fmt in ("yaml", "csv"):
        exported = source.get("/api/v1/register/export", params={"format": fmt})
        assert exported.status_code == 200
        app, engine = app_factory(reference=False)
        make_user(engine, "co", roles=("viewer", "contributor", "coordinator"))
        target = TestClient(app)
        target.headers.update(bearer(make_token(engine, "co")))
        imported = target.post("/api/v1/register/import", files={"file": ("r", exported.content)})
        assert imported.status_code == 200, imported.text
        again = target.get("/api/v1/register/export", params={"format": fmt})
        if fmt == "yaml":
            assert again.text == exported.text
        else:
            from bedeco.register.transfer import from_csv_zip

            assert from_csv_zip(again.content) == from_csv_zip(exported.content)
    items = target.get("/api/v1/commitments", params={"status": "implemented"}).json()["items"]
    assert [c["key"] for c in items] == [f"{SEED}/request-01"]
    history = target.get(f"/api/v1/commitments/{items[0]['id']}").json()["history"]
    assert history[-1]["evidence"][0]["sha256"] == sha["sha256"]


def test_list_answers_are_paginated_and_validated(app_factory: Any) -> None:
    app, _ = app_factory(reference=True)
    client = TestClient(app)
    body = client.get(
        "/api/v1/commitments", params={"page_size": 5, "page": 2, "sort": "-key"}
    ).json()
    assert body["page"] == 2 and body["page_size"] == 5 and len(body["items"]) == 5
    assert client.get("/api/v1/commitments", params={"sort": "colour"}).status_code == 422
    found = client.get("/api/v1/commitments", params={"q": "helikopter"}).json()
    assert [c["key"] for c in found["items"]] == [f"{SEED}/request-07"]


def _implemented_with_a_file(client: TestClient, payload: bytes) -> dict[str, Any]:
    sha = client.post(
        "/api/v1/evidence-files", files={"file": ("a.txt", payload, "text/plain")}
    ).json()
    for status in ("decided", "in_progress", "implemented"):
        version = client.get("/api/v1/commitments/1").json()["version"]
        client.post("/api/v1/commitments/1/status", json={
            "status": status, "version": version, "comment": f"to {status}",
            "evidence": [{"kind": "file", **{k: sha[k] for k in ("sha256", "file_name", "media_type", "size")}}],
        })  # fmt: skip
    return sha


def _empty_target(app_factory: Any, tmp_path: Any) -> TestClient:
    app, engine = app_factory(reference=False, var_dir=tmp_path / "elsewhere")
    make_user(engine, "co", roles=("viewer", "contributor", "coordinator"))
    target = TestClient(app)
    target.headers.update(bearer(make_token(engine, "co")))
    return target


def test_a_zip_export_carries_the_evidence_files_to_another_deployment(
    app_factory: Any, tmp_path: Any
) -> None:
    source, _ = coordinator_client(app_factory)
    sha = _implemented_with_a_file(source, b"signed minutes")["sha256"]
    exported = source.get("/api/v1/register/export", params={"format": "csv"}).content
    import io
    import zipfile

    assert f"evidence/{sha}" in zipfile.ZipFile(io.BytesIO(exported)).namelist()
    target = _empty_target(app_factory, tmp_path)
    assert target.get(f"/api/v1/evidence-files/{sha}").status_code == 404
    imported = target.post("/api/v1/register/import", files={"file": ("r.zip", exported)})
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"]["evidence_files"] == 1
    fetched = target.get(f"/api/v1/evidence-files/{sha}")
    assert fetched.status_code == 200 and fetched.content == b"signed minutes"


def test_a_zip_whose_evidence_file_does_not_match_its_checksum_is_refused_whole(
    app_factory: Any, tmp_path: Any
) -> None:
    import io
    import zipfile

    source, _ = coordinator_client(app_factory)
    sha = _implemented_with_a_file(source, b"signed minutes")["sha256"]
    exported = source.get("/api/v1/register/export", params={"format": "csv"}).content
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(exported)) as original, zipfile.ZipFile(tampered, "w") as out:
        for name in original.namelist():
            body = b"forged minutes" if name == f"evidence/{sha}" else original.read(name)
            out.writestr(name, body)
    target = _empty_target(app_factory, tmp_path)
    answer = target.post("/api/v1/register/import", files={"file": ("r.zip", tampered.getvalue())})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "file"
    assert f"evidence/{sha}" in answer.json()["error"]["message"]
    assert target.get("/api/v1/commitments", params={"status": "implemented"}).json()["total"] == 0
